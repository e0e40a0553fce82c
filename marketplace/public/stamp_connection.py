"""A stamp query's round trip on PostgreSQL: a psycopg connection per thread, statements prepared.

A cached page's only database work is its stamp (marketplace.public.stamps), so that query is
the floor of a public page's cost. Through SQLAlchemy it cost ~280 µs of CPU and a pool checkout
per request; on a connection of its own per thread (autocommit, no pool, the statement compiled
once and prepared on the server, so PostgreSQL neither parses nor plans it again) ~100 µs.
"""

from __future__ import annotations

import os
import threading

import psycopg
from sqlalchemy.engine import URL
from sqlalchemy.sql import Select

APPLICATION_NAME = "vitrine stamps"

# The stamps' plans do not depend on their values (a slug, an id): planned once, not per query.
# PostgreSQL's default re-plans a prepared statement whose generic plan it estimates dearer, as
# it does the shop stamp's join: 170 µs a query instead of 130 (measured on the benchmark town).
GENERIC_PLANS = "-c plan_cache_mode=force_generic_plan"

_local = threading.local()
_compiled: dict[int, tuple[str, dict]] = {}
_dsns: dict[URL, str] = {}
_compile_lock = threading.Lock()


def _sql_of(statement: Select, dialect) -> tuple[str, dict]:
    """The statement's SQL text and its constant parameters, compiled once per process."""
    found = _compiled.get(id(statement))  # the statements are module constants, never freed
    if found is None:
        with _compile_lock:
            compiled = statement.compile(dialect=dialect)
            found = _compiled.setdefault(id(statement), (str(compiled), dict(compiled.params)))
    return found


def _dsn(url: URL) -> str:
    """The engine's URL as psycopg's connection string, rendered once per process."""
    found = _dsns.get(url)
    if found is None:
        found = _dsns[url] = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return found


def _connection(url: URL) -> psycopg.Connection:
    dsn = _dsn(url)
    if getattr(_local, "pid", None) != os.getpid():
        # A connection is never shared with a forked worker: each process opens its own.
        _local.conns, _local.pid = {}, os.getpid()
    conn = _local.conns.get(dsn)
    if conn is None or conn.closed:
        # Named for the worker in pg_stat_activity (and for the restart test to find it).
        name = f"{APPLICATION_NAME} {os.getpid()}"
        # Beside the URL's own options (a test schema's search_path, say), not instead of them.
        options = " ".join(filter(None, (str(url.query.get("options") or ""), GENERIC_PLANS)))
        conn = _local.conns[dsn] = psycopg.connect(
            dsn, autocommit=True, application_name=name, options=options
        )
    return conn


def _forget(url: URL) -> None:
    conn = _local.conns.pop(_dsn(url), None)
    if conn is not None:
        conn.close()


def pg_rows(statement: Select, params: dict, engine) -> list:
    """Run a stamp statement on this thread's connection to the engine's database."""
    sql, constants = _sql_of(statement, engine.dialect)
    values = {**constants, **params}
    for attempt in range(2):
        conn = _connection(engine.url)
        try:
            return conn.execute(sql, values, prepare=True).fetchall()
        except psycopg.OperationalError:
            # The database restarted or dropped the connection: open a new one, try once more.
            _forget(engine.url)
            if attempt:
                raise
    raise AssertionError("unreachable")
