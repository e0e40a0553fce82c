"""The pieces behind the browser fixtures, also used by scripts/screenshots.py (outside pytest)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from marketplace.app import create_app
from marketplace.extensions import db

CHROMIUM = "/usr/bin/chromium"
DEVICES = ("desktop", "phone")
TIMEZONE = "Europe/Paris"
# Every journey logs in from 127.0.0.1 within seconds: a higher login limit, CSRF kept on.
LIVE_SETTINGS = {"LOGIN_RATE_LIMIT": "1000 per minute"}

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


def chromium_missing() -> bool:
    """Whether Debian's Chromium is absent (then the browser tests skip)."""
    return not os.access(CHROMIUM, os.X_OK)


@contextmanager
def own_database(postgres_url: str | None, folder: Path):
    """A migrated database of the browser tests' own: a SQLite file, or a PostgreSQL schema."""
    engine = schema = None
    url = f"sqlite:///{folder / 'e2e.db'}"
    if postgres_url:
        # Not vitrine_test_<pid>, which the other tests' fixtures create and drop.
        schema = f"vitrine_e2e_{os.getpid()}"
        engine = create_engine(postgres_url)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
        sep = "&" if "?" in postgres_url else "?"
        url = f"{postgres_url}{sep}options=-csearch_path%3D{schema}"
    app = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(folder / "instance")}
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    try:
        yield url
    finally:
        if engine is not None:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()


def launch_chromium(driver):
    """Debian's headless Chromium, driven by Playwright (its own download does not work here)."""
    return driver.chromium.launch(executable_path=CHROMIUM, headless=True)


def new_context(browser, base_url: str, device: str, locale: str, **overrides):
    """A fresh browser context (own cookies) on `device`, speaking `locale`, in Paris time."""
    context = browser.new_context(
        base_url=base_url,
        locale=locale,
        timezone_id=TIMEZONE,
        **{**VIEWPORTS[device], **overrides},
    )
    context.set_default_timeout(15_000)
    return context
