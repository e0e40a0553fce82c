"""What the town's office did for a shop in agent mode, shown to its owner."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER, User
from marketplace.audit import AuditLog
from marketplace.curation.audit_log import change_rows
from marketplace.extensions import db
from shops.access import closed_to_agent_mode, get_owned_shop

bp = closed_to_agent_mode(
    Blueprint("assisted", __name__, url_prefix="/merchant/shops/<slug>/assisted")
)


@bp.get("/")
@roles_required(SHOPKEEPER)
def index(slug: str):
    """List the changes the town's office made for my shop, newest first, with who made them."""
    shop = get_owned_shop(slug)
    rows = db.session.execute(
        select(AuditLog, User.name)
        .outerjoin(User, User.id == AuditLog.actor_id)
        .where(
            AuditLog.target_kind == "shop",
            AuditLog.target_id == shop.id,
            AuditLog.action.like("agent.%"),
        )
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(500)
    ).all()
    return render_template("curation/assisted.html", shop=shop, rows=rows, change_rows=change_rows)
