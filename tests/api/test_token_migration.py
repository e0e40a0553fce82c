"""Migration 0019: tokens issued before scopes existed keep doing all they did."""

from __future__ import annotations

import os
from types import SimpleNamespace

from flask_migrate import downgrade, upgrade
from sqlalchemy import column, create_engine, insert, table, text

from marketplace.accounts.models import SHOPKEEPER
from marketplace.api.tokens import issue_token
from marketplace.app import create_app
from marketplace.db import utcnow
from marketplace.extensions import db
from tests.conftest import _postgres_url


def user_as_of_0019() -> SimpleNamespace:
    """A shopkeeper row with the columns of revision 0019 only (today's model has more)."""
    values = {
        "email": "owner@example.org", "password_hash": None, "name": "Bob", "role": SHOPKEEPER,
        "session_token": "t" * 32, "created_at": utcnow(), "email_confirmed_at": utcnow(),
    }  # fmt: skip
    db.session.execute(insert(table("users", *map(column, values))).values(values))
    user_id = db.session.execute(text("SELECT id FROM users WHERE name = 'Bob'")).scalar()
    return SimpleNamespace(id=user_id)


def shop_as_of_0019(owner) -> SimpleNamespace:
    """A shop row with the columns of revision 0019 only (today's model has more)."""
    now = utcnow()
    values = {
        "owner_id": owner.id, "slug": "boulangerie", "name": "Boulangerie", "category": "boulangerie",
        "description": "", "specialities": "", "address": "12 rue Oberkampf", "postcode": "75011",
        "city": "Paris", "status": "draft", "featured": False, "pay_at_pickup": True,
        "prep_minutes": 60, "slot_minutes": 30, "slot_capacity": 5, "payouts_enabled": False,
        "created_at": now, "updated_at": now, "version": 0,
    }  # fmt: skip
    db.session.execute(insert(table("shops", *map(column, values))).values(values))
    shop_id = db.session.execute(text("SELECT id FROM shops WHERE slug = 'boulangerie'")).scalar()
    return SimpleNamespace(id=shop_id)


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
            owner = user_as_of_0019()
            issue_token(shop_as_of_0019(owner), owner, "Caisse", ["orders:read"])
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
