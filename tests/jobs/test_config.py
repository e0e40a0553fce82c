"""The queue comes from the configuration: Redis in production, a SQLite file otherwise."""

from __future__ import annotations

import pytest
from huey import RedisHuey, SqliteHuey
from huey.storage import MemoryStorage, SqliteStorage

from config import ConfigError
from marketplace.app import create_app
from marketplace.jobs.queue import build_huey, queue_of


def settings(**values) -> dict:
    base = {
        "JOBS_QUEUE_NAME": "vitrine",
        "JOBS_IMMEDIATE": False,
        "JOBS_BACKEND": "sqlite",
        "JOBS_SQLITE_PATH": "/nonexistent/jobs.db",
        "REDIS_URL": None,
    }
    return {**base, **values}


def test_production_with_redis_url_queues_in_redis(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6399/3")
    app = create_app("production", {"INSTANCE_PATH": str(tmp_path)})
    huey = queue_of(app).huey
    assert isinstance(huey, RedisHuey) and not huey.immediate
    assert huey.storage.conn.connection_pool.connection_kwargs["db"] == 3  # nothing connected yet


def test_development_queues_in_a_sqlite_file_in_instance(tmp_path):
    app = create_app("development", {"INSTANCE_PATH": str(tmp_path)})
    assert app.config["JOBS_SQLITE_PATH"] == str(tmp_path / "jobs.db")
    huey = queue_of(app).huey
    assert isinstance(huey, SqliteHuey) and isinstance(huey.storage, SqliteStorage)


def test_tests_run_jobs_immediately_in_memory(app):
    huey = queue_of(app).huey
    assert huey.immediate and isinstance(huey.storage, MemoryStorage)


def test_redis_without_an_address_or_an_unknown_backend_refuses_to_start():
    with pytest.raises(ConfigError, match="REDIS_URL"):
        build_huey(settings(JOBS_BACKEND="redis"))
    with pytest.raises(ConfigError, match="JOBS_BACKEND"):
        build_huey(settings(JOBS_BACKEND="rabbitmq"))
