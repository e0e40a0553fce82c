"""Back up the database and the uploads, check that a backup restores, restore one.

    python scripts/backup.py create  DEST_DIR     # DATABASE_URL and UPLOAD_DIR from the environment
    python scripts/backup.py verify  BACKUP_DIR   # restore into a scratch database, compare counts
    python scripts/backup.py restore BACKUP_DIR   # into DATABASE_URL and UPLOAD_DIR (service stopped)

A backup folder holds database.dump (PostgreSQL: pg_dump custom format) or database.sqlite
(SQLite's online backup API), uploads.tar.gz, and manifest.json: the row count of every table
taken in the same snapshot as the dump (PostgreSQL: pg_export_snapshot + pg_dump --snapshot), and
the SHA-256 of every uploaded file. `verify` restores into a new scratch database (PostgreSQL) or
file (SQLite), counts again, unpacks the uploads into a scratch folder, hashes them again, and
reports every difference; exit code 1 if any.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump / pg_restore, never through a shell
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url


def _libpq(url: str, database: str | None = None) -> str:
    """The libpq form of a SQLAlchemy URL (pg_dump does not know '+psycopg')."""
    parsed = make_url(url).set(drivername="postgresql")
    if database:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def _schema(url: str) -> str:
    """The schema named in the URL's search_path option (the tests' private one), else public."""
    options = make_url(url).query.get("options", "")
    for part in (options if isinstance(options, str) else " ".join(options)).split():
        if part.startswith("-csearch_path="):
            return part.split("=", 1)[1].split(",")[0]
    return "public"


def _count_sql(name: str) -> str:
    # Built by SQLAlchemy, which quotes the identifier: no SQL assembled from strings here.
    return str(select(func.count()).select_from(table(name)))


def _count(connection, tables: list[str]) -> dict[str, int]:
    return {t: connection.execute(text(_count_sql(t))).scalar_one() for t in tables}


def _tables(engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())


def _hash_tree(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {result.stderr.strip()[:2000]}")


def create(database_url: str, upload_dir: str, dest: str | Path) -> Path:
    """Write a consistent backup of the database and the uploads into `dest`; return it."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    engine = create_engine(database_url)
    tables = _tables(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                counts = _count(conn, tables)
                # The dump reads the very snapshot the counts were taken in.
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        f"--schema={_schema(database_url)}",
                        f"--snapshot={snapshot}",
                        f"--file={dest / 'database.dump'}",
                        f"--dbname={_libpq(database_url)}",
                    ]
                )
    else:
        source = sqlite3.connect(make_url(database_url).database)
        try:
            source.execute("BEGIN")  # one read snapshot for the counts and the copy
            counts = {t: source.execute(_count_sql(t)).fetchone()[0] for t in tables}
            target = sqlite3.connect(dest / "database.sqlite")
            source.backup(target)
            target.close()
            source.execute("COMMIT")
        finally:
            source.close()
    engine.dispose()
    uploads = Path(upload_dir)
    with tarfile.open(dest / "uploads.tar.gz", "w:gz") as tar:
        if uploads.is_dir():
            tar.add(uploads, arcname="uploads")
    manifest = {"dialect": engine.dialect.name, "counts": counts, "uploads": _hash_tree(uploads)}
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return dest


def _restore_database(database_url: str, backup: Path, target_url: str) -> None:
    if make_url(database_url).get_backend_name() == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--clean",
                "--if-exists",
                f"--dbname={_libpq(target_url)}",
                str(backup / "database.dump"),
            ]
        )
    else:
        path = Path(make_url(target_url).database)
        for leftover in ("-wal", "-shm"):  # a stale write-ahead log would replay over the copy
            Path(f"{path}{leftover}").unlink(missing_ok=True)
        shutil.copyfile(backup / "database.sqlite", path)


def _extract_uploads(backup: Path, upload_dir: Path) -> None:
    upload_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup / "uploads.tar.gz") as tar:
        members = [m for m in tar.getmembers() if m.name.startswith("uploads")]
        with tempfile.TemporaryDirectory() as scratch:
            tar.extractall(scratch, members=members, filter="data")  # no absolute or ../ paths
            shutil.copytree(Path(scratch) / "uploads", upload_dir, dirs_exist_ok=True)


def verify(database_url: str, backup: str | Path) -> list[str]:
    """Restore `backup` into a scratch database and folder; return every difference found."""
    backup = Path(backup)
    manifest = json.loads((backup / "manifest.json").read_text())
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        if manifest["dialect"] == "postgresql":
            name = f"vitrine_verify_{uuid.uuid4().hex[:10]}"
            admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            target = make_url(database_url).set(database=name).render_as_string(False)
        else:
            target = f"sqlite:///{Path(scratch) / 'restored.sqlite'}"
        try:
            _restore_database(database_url, backup, target)
            engine = create_engine(target)
            with engine.connect() as conn:
                restored = _count(conn, sorted(manifest["counts"]))
            engine.dispose()
        except Exception as error:  # a broken dump is a finding, not a crash
            restored = {}
            problems.append(f"database did not restore: {error}")
        finally:
            if manifest["dialect"] == "postgresql":
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
        for table, expected in manifest["counts"].items():
            if restored and restored.get(table) != expected:
                problems.append(f"table {table}: {restored.get(table)} rows, expected {expected}")
        uploads = Path(scratch) / "uploads"
        try:
            _extract_uploads(backup, uploads)
        except (tarfile.TarError, OSError) as error:
            problems.append(f"uploads did not unpack: {error}")
        found = _hash_tree(uploads)
        for path, digest in manifest["uploads"].items():
            if found.get(path) != digest:
                problems.append(f"upload {path}: missing or different")
    return problems


def restore(database_url: str, upload_dir: str, backup: str | Path) -> None:
    """Put a backup back in place (stop the app first; run `flask db upgrade` after)."""
    backup = Path(backup)
    _restore_database(database_url, backup, database_url)
    _extract_uploads(backup, Path(upload_dir))


def main(argv: list[str]) -> int:
    """Command line: create | verify | restore, with DATABASE_URL and UPLOAD_DIR set."""
    if len(argv) != 2 or argv[0] not in {"create", "verify", "restore"}:
        print(__doc__)
        return 2
    command, folder = argv
    url = os.environ["DATABASE_URL"]
    uploads = os.environ.get("UPLOAD_DIR", "instance/uploads")
    if command == "create":
        print(f"backup written to {create(url, uploads, folder)}")
    elif command == "verify":
        problems = verify(url, folder)
        for line in problems:
            print(line)
        print("backup restores and matches" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    else:
        restore(url, uploads, folder)
        print("restored; now run `flask db upgrade`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
