"""Agent mode: a curator edits a shop for its owner; every change is logged under their name.

The merchant pages stay the only way to edit a shop: they let in a curator whose session names
the shop (shops.access.AGENT_SESSION_KEY). A flush hook here writes one audit row per object
changed during such a request, in the same transaction as the change, on every blueprint that
declares itself with shops.access.open_to_agent_mode (the hook is installed by register_hooks).
"""

from __future__ import annotations

import json

from flask import flash, g, has_request_context, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session

from marketplace.audit import AuditLog, record_action
from marketplace.curation.blueprint import bp
from marketplace.curation.forms import DecisionForm
from marketplace.db import utcnow
from marketplace.extensions import db
from shops.access import AGENT_SESSION_KEY, agent_shop_id, in_agent_audited_blueprint
from shops.models import Closure, OpeningHours, Product, ProductImage, Shop

SKIPPED_COLUMNS = {"updated_at", "created_at", "version"}
KINDS = {
    Shop: "shop",
    Product: "product",
    OpeningHours: "hours",
    Closure: "closure",
    ProductImage: "photo",
}


def start_agent_mode(shop: Shop, curator) -> None:
    """Open agent mode for `shop` in this curator's session (logged)."""
    session[AGENT_SESSION_KEY] = shop.id
    record_action(curator.id, "agent.started", "shop", shop.id)


def stop_agent_mode(curator) -> None:
    """Leave agent mode (logged)."""
    shop_id = session.pop(AGENT_SESSION_KEY, None)
    if shop_id is not None:
        record_action(curator.id, "agent.stopped", "shop", shop_id)


def _shop_id(obj) -> int | None:
    if isinstance(obj, Shop):
        return obj.id
    if isinstance(obj, ProductImage):
        return obj.product.shop_id if obj.product is not None else None
    return getattr(obj, "shop_id", None)


def _value(value):
    return json.loads(json.dumps(value, default=str))


def _changes(obj, op: str) -> dict:
    state = inspect(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        if attr.key in SKIPPED_COLUMNS:
            continue
        history = state.attrs[attr.key].history
        if op == "update" and not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else getattr(obj, attr.key)
        if op == "delete":
            before, after = getattr(obj, attr.key), None
        if op == "update" or before != after:
            changes[attr.key] = [_value(before), _value(after)]
    return changes


def _agent_context() -> tuple[int, int] | None:
    # Blueprints declare themselves with shops.access.open_to_agent_mode.
    if not in_agent_audited_blueprint():
        return None
    shop_id = agent_shop_id()
    return (current_user.id, shop_id) if shop_id is not None else None


def log_agent_changes(session: Session, _flush_context) -> None:
    """One audit row per shop object changed by a curator in agent mode."""
    context = _agent_context()
    if context is None:
        return
    actor_id, shop_id = context
    rows = []
    for op, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            kind = KINDS.get(type(obj))
            if kind is None or _shop_id(obj) != shop_id:
                continue
            changes = _changes(obj, op)
            if op == "update" and not changes:
                continue
            rows.append(
                {
                    "actor_id": actor_id,
                    "action": f"agent.{kind}.{op}",
                    "target_kind": "shop",
                    "target_id": shop_id,
                    "reason": None,
                    "changes": json.dumps({f"{kind}#{obj.id}": changes}, ensure_ascii=False),
                    "created_at": utcnow(),
                }
            )
    if rows:
        # The unit of work is running: rows go straight to the connection, in its transaction.
        session.connection().execute(insert(AuditLog.__table__), rows)


@bp.post("/shops/<int:shop_id>/agent")
def agent_start(shop_id: int):
    """Act for this shop: open its merchant pages with the agent banner."""
    shop = db.get_or_404(Shop, shop_id)
    if DecisionForm().validate_on_submit():
        start_agent_mode(shop, current_user)
        db.session.commit()
        flash(_("Agent mode: you are acting for %(shop)s.", shop=shop.name), "info")
        return redirect(url_for("merchant.edit_shop", slug=shop.slug), 303)
    return redirect(url_for("curation.shop", shop_id=shop.id), 303)


@bp.post("/agent/stop")
def agent_stop():
    """Leave agent mode and go back to the shop's file."""
    shop_id = session.get(AGENT_SESSION_KEY)
    if DecisionForm().validate_on_submit():
        stop_agent_mode(current_user)
        db.session.commit()
        flash(_("Agent mode closed."), "info")
    if shop_id is None:
        return redirect(url_for("curation.queue"), 303)
    return redirect(url_for("curation.shop", shop_id=shop_id), 303)


def inject_agent_shop() -> dict:
    """The shop the curator acts for, for the banner in base.html."""
    if "agent_shop" not in g:
        shop_id = agent_shop_id() if has_request_context() else None
        g.agent_shop = (
            db.session.scalar(select(Shop).where(Shop.id == shop_id)) if shop_id else None
        )
    return {"agent_shop": g.agent_shop}
