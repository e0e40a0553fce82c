"""Production refuses to start unsafely: no secret key, or SQLite without saying so."""

import pytest

from config import ConfigError, load_config
from marketplace.app import create_app

POSTGRES = "postgresql+psycopg://vitrine@db.internal:5432/vitrine"


@pytest.fixture
def production_env(monkeypatch):
    """A production environment with a secret and PostgreSQL; each test takes something away."""
    for name in (
        "DATABASE_URL",
        "SECRET_KEY",
        "ALLOW_SQLITE_IN_PRODUCTION",
        "VITRINE_ENV",
        "STRIPE_API_BASE",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", POSTGRES)
    return monkeypatch


def test_production_starts_with_a_secret_and_postgresql(production_env, tmp_path):
    config = load_config("production", tmp_path)
    assert config.SQLALCHEMY_DATABASE_URI == POSTGRES
    assert config.SECRET_KEY == "a-long-random-production-secret"
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_HTTPONLY is True
    assert config.SESSION_COOKIE_SAMESITE == "Lax"


def test_production_refuses_to_start_without_a_secret_key(production_env, tmp_path):
    production_env.delenv("SECRET_KEY")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config("production", tmp_path)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app("production", {"INSTANCE_PATH": str(tmp_path)})


def test_production_refuses_an_empty_secret_key(production_env, tmp_path):
    production_env.setenv("SECRET_KEY", "")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config("production", tmp_path)


def test_production_refuses_sqlite_unless_allowed(production_env, tmp_path):
    production_env.delenv("DATABASE_URL")  # the default is a SQLite file in instance/
    with pytest.raises(ConfigError, match="PostgreSQL"):
        load_config("production", tmp_path)
    production_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    with pytest.raises(ConfigError, match="ALLOW_SQLITE_IN_PRODUCTION"):
        load_config("production", tmp_path)
    production_env.setenv("ALLOW_SQLITE_IN_PRODUCTION", "0")
    with pytest.raises(ConfigError):
        load_config("production", tmp_path)

    production_env.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")
    config = load_config("production", tmp_path)
    assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite")


def test_development_keeps_a_generated_secret_out_of_the_code(production_env, tmp_path):
    production_env.delenv("SECRET_KEY")
    first = load_config("development", tmp_path).SECRET_KEY
    assert len(first) >= 32
    assert first == load_config("development", tmp_path).SECRET_KEY
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_an_unknown_configuration_name_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="Unknown configuration"):
        load_config("staging", tmp_path)


def test_production_refuses_the_stripe_emulator(production_env, tmp_path):
    production_env.setenv("STRIPE_API_BASE", "http://127.0.0.1:8420")
    with pytest.raises(ConfigError, match="STRIPE_API_BASE"):
        load_config("production", tmp_path)


def test_production_refuses_a_stripe_key_without_a_webhook_secret(production_env, tmp_path):
    production_env.setenv("STRIPE_SECRET_KEY", "sk_live_example")
    with pytest.raises(ConfigError, match="STRIPE_WEBHOOK_SECRET"):
        load_config("production", tmp_path)
    production_env.setenv("STRIPE_WEBHOOK_SECRET", "whsec_example")
    assert load_config("production", tmp_path).STRIPE_WEBHOOK_SECRET == "whsec_example"
