"""Shared fixtures: an app on SQLite (or PostgreSQL when VITRINE_TEST_DB=postgres), a client, users."""

from __future__ import annotations

import html
import os
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from marketplace.app import create_app
from marketplace.extensions import db, limiter
from tests.url_builders import share_url_builders

pytest_plugins = ["tests.factories"]
share_url_builders()  # a new app per test costs 20 ms instead of 140 (tests/url_builders.py)


def _postgres_url() -> str | None:
    return (
        os.environ.get("TEST_DATABASE_URL")
        if os.environ.get("VITRINE_TEST_DB") == "postgres"
        else None
    )


def pytest_report_header(config) -> str:
    url = _postgres_url()
    return (
        f"database: PostgreSQL {url}"
        if url
        else "database: SQLite (PostgreSQL run: TEST_DATABASE_URL)"
    )


# Which run checks what, when the suite runs on both databases (`make test` with TEST_DATABASE_URL):
# - a test that uses no database (it asks for no `database_url`) runs once, on SQLite;
# - `@pytest.mark.one_database("sqlite")`: its subject does not depend on the database (search
#   quality), or it is a long load or fuzz run that one database is enough for (big imports,
#   form fuzzing), so the PostgreSQL run, the longer one, leaves it;
# - `@pytest.mark.one_database("postgres")`: robustness against the production database (the
#   API's contract), so the SQLite run leaves it to the PostgreSQL run, and runs it itself only
#   on a machine without PostgreSQL.
# Browser tests have their own rule (tests/e2e/conftest.py).
NO_DATABASE = "uses no database: checked on the SQLite run"
SQLITE_RUN = "does not depend on the database, or one database is enough: checked on the SQLite run"
POSTGRES_RUN = "robustness on the production database: checked on the PostgreSQL run"


def pytest_collection_modifyitems(config, items):
    """Skip, on each run of a two-database `make test`, what the other run checks."""
    on_postgres = _postgres_url() is not None
    both_runs = on_postgres or bool(os.environ.get("TEST_DATABASE_URL"))
    if not both_runs:
        return
    for item in items:
        marker = item.get_closest_marker("one_database")
        wanted = marker.args[0] if marker else None
        if on_postgres and wanted == "sqlite":
            item.add_marker(pytest.mark.skip(reason=SQLITE_RUN))
        elif not on_postgres and wanted == "postgres":
            item.add_marker(pytest.mark.skip(reason=POSTGRES_RUN))
        elif on_postgres and "/e2e/" not in str(item.fspath) and _uses_no_database(item):
            item.add_marker(pytest.mark.skip(reason=NO_DATABASE))


def _uses_no_database(item) -> bool:
    return "database_url" not in getattr(item, "fixturenames", ())


def _private_schema(url: str):
    """A PostgreSQL schema of this run's own, so that two test runs never clobber each other."""
    schema = f"vitrine_test_{os.getpid()}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
    sep = "&" if "?" in url else "?"
    return engine, schema, f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """Create the schema once per run, through the Alembic migrations."""
    url = _postgres_url() or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = schema = None
    if url.startswith("postgresql"):
        engine, schema, url = _private_schema(url)
    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance"))},
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url
    if engine is not None:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture
def app(database_url, tmp_path):
    """A fresh app on the migrated database; every table is emptied after the test."""
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        },
    )
    app.test_client_class = BrowserClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()
    limiter.reset()


# The tables of the private schema whose id sequence was used since its last restart: a test that
# added rows and removed them leaves none behind, but its ids would show in the next test.
_USED_SEQUENCES = text(
    """
    SELECT DISTINCT t.relname FROM pg_sequences ps
    JOIN pg_namespace n ON n.nspname = ps.schemaname
    JOIN pg_class s ON s.relname = ps.sequencename AND s.relnamespace = n.oid
    JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
    JOIN pg_class t ON t.oid = d.refobjid
    WHERE ps.schemaname = current_schema() AND ps.last_value IS NOT NULL
    """
)


def _empty_tables() -> None:
    # A thread the test started (the live server, a search catch-up) may still be reading when
    # the test ends: PostgreSQL then breaks the deadlock by failing one side, and we try again.
    for attempt in range(5):
        try:
            return _empty_tables_once()
        except OperationalError as error:
            if attempt == 4 or "deadlock detected" not in str(error.orig):
                raise


def _empty_tables_once() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # TRUNCATE of every table costs ~150 ms a test; most tests touch a few tables. One
            # round trip finds those holding rows or whose ids moved, and only they are emptied.
            probe = "SELECT '{0}' FROM (SELECT 1 FROM \"{0}\" LIMIT 1) AS r"  # our own table names
            holding = " UNION ALL ".join(probe.format(t.name) for t in tables)
            dirty = set(conn.execute(text(holding)).scalars())
            dirty |= set(conn.execute(_USED_SEQUENCES).scalars())
            if dirty:
                names = ", ".join(f'"{name}"' for name in sorted(dirty))
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


class BrowserClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The `app` fixture keeps an app context open for the test body; without this, requests
    would reuse it and share `g` (Flask-Login's cached user) and the test's database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    """A test client that keeps cookies, like a browser."""
    return app.test_client()


def english_client(app):
    """A test client whose browser asks for English pages (French is the default language)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(client, path: str = "/account/login") -> str:
    """Return a CSRF token valid for this client's session, read from a rendered form."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    if match is None and path != "/account/login":
        # A page without a form (an empty cart: the header's language switch is a link): the
        # login form's token is this client's too.
        match = CSRF_RE.search(client.get("/account/login").get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


ALERT_RE = re.compile(r'<p class="alert alert--(\w+)">(.*?)</p>', re.S)


def page_text(response) -> str:
    """Return the body of a response with HTML entities decoded (' instead of &#39;)."""
    return html.unescape(response.get_data(as_text=True))


def alerts(response) -> list[tuple[str, str]]:
    """Return the flashed messages shown on a page, as (category, text)."""
    return [(c, html.unescape(t)) for c, t in ALERT_RE.findall(response.get_data(as_text=True))]


def post_form(client, path: str, data: dict | None = None, token_from: str | None = None, **kwargs):
    """Submit a form like a browser: read a CSRF token from `token_from` (or `path`), then POST."""
    token = csrf_token(client, token_from or path)
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


def outbox(app) -> list[str]:
    """Return the emails written to the outbox folder, oldest first, as text."""
    from email import message_from_bytes
    from email.header import decode_header, make_header
    from pathlib import Path

    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    if not folder.exists():
        return []
    mails = []
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = message_from_bytes(path.read_bytes())
        parts = [message] if not message.is_multipart() else list(message.walk())
        body = "".join(
            p.get_payload(decode=True).decode("utf-8")
            for p in parts
            if p.get_content_type() == "text/plain"
        )
        subject = str(make_header(decode_header(message["Subject"])))
        mails.append(f"To: {message['To']}\nSubject: {subject}\n\n{body}")
    return mails


def link_path(mail: str) -> str:
    """Return the path of the (first) link to this site in an email, to visit it with a client."""
    from urllib.parse import urlsplit

    match = re.search(r"https?://\S+", mail)
    assert match, f"no link in the email:\n{mail}"
    return urlsplit(match.group(0)).path


def open_account_from_mail(client, app, email: str):
    """Open the account signed up with `email` as its owner does: follow the confirmation link
    mailed last to that address (it keeps any `next`) and press its button; return the answer."""
    from urllib.parse import urlsplit

    links = [
        urlsplit(m.group(0))
        for mail in outbox(app)
        if mail.startswith(f"To: {email}\n")
        for m in re.finditer(r"https?://\S+/account/confirm/\S+", mail)
    ]
    assert links, f"no confirmation link mailed to {email}"
    path = links[-1].path + (f"?{links[-1].query}" if links[-1].query else "")
    return post_form(client, path)


@pytest.fixture
def queued_jobs(app):
    """Put the app's job queue in queue mode (a SQLite file in the test's instance/): a request
    only enqueues, and nothing runs until the test calls drain_jobs(app)."""
    from marketplace.jobs.queue import queue_of

    queue = queue_of(app)
    queue.huey.immediate = False
    yield queue
    queue.huey.storage.close()


def drain_jobs(app, include_retries: bool = False) -> int:
    """Run every queued job in-process until the queue is empty (and, with include_retries, the
    retries waiting for their delay); return how many ran."""
    from marketplace.jobs.queue import queue_of

    return queue_of(app).drain(include_retries)
