"""Migration 0019: tokens issued before scopes existed keep doing all they did."""

from __future__ import annotations

import os

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from marketplace.api.tokens import issue_token
from marketplace.app import create_app
from marketplace.extensions import db
from tests.conftest import _postgres_url
from tests.factories import make_shop


def test_tokens_issued_before_scopes_get_every_scope(tmp_path):
    url = _postgres_url() or f"sqlite:///{tmp_path / 'migrate.db'}"
    engine = schema = None
    if url.startswith("postgresql"):  # a schema of its own, beside the run's migrated one
        engine, schema = create_engine(url), f"vitrine_migration_{os.getpid()}"
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
        url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path)})
    try:
        with app.app_context():
            upgrade(revision="0019")
            shop = make_shop()
            issue_token(shop, shop.owner, "Caisse", ["orders:read"])
            db.session.commit()
            db.session.remove()
            downgrade(revision="0018")  # the token as it was stored before scopes
            upgrade(revision="0019")
            with db.engine.connect() as conn:
                scopes = conn.execute(text("SELECT scopes FROM api_tokens")).scalar_one()
            assert scopes == "catalogue:read catalogue:write orders:read orders:manage"
            db.engine.dispose()
    finally:
        if engine is not None:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()
