"""The shop state machine: the allowed transitions and the one function that applies them."""

from __future__ import annotations

from marketplace.audit import record_action
from marketplace.db import utcnow
from shops.models import DRAFT, PENDING_REVIEW, PUBLISHED, REJECTED, SUSPENDED, Shop

# (from, to) -> does the transition need a reason?
TRANSITIONS: dict[tuple[str, str], bool] = {
    (DRAFT, PENDING_REVIEW): False,  # the shopkeeper submits
    (REJECTED, PENDING_REVIEW): False,  # resubmits after fixing
    (PENDING_REVIEW, PUBLISHED): False,  # the city office approves
    (PENDING_REVIEW, REJECTED): True,  # ... or rejects, saying why
    (PUBLISHED, SUSPENDED): True,  # takes a shop down, saying why
    (SUSPENDED, PUBLISHED): False,  # reinstates it
}


class InvalidTransition(Exception):
    """A status change the table does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"{current} -> {target}")
        self.current = current
        self.target = target


class ReasonRequired(Exception):
    """The transition needs a reason and none was given."""


def transition_shop(
    shop: Shop, target: str, actor_id: int | None, reason: str | None = None
) -> None:
    """Move `shop` to `target` if the table allows it, and log the decision."""
    key = (shop.status, target)
    if key not in TRANSITIONS:
        raise InvalidTransition(shop.status, target)
    reason = (reason or "").strip() or None
    if TRANSITIONS[key] and not reason:
        raise ReasonRequired(target)
    before = shop.status
    shop.status = target
    shop.status_reason = reason
    if target == PUBLISHED and shop.published_at is None:
        shop.published_at = utcnow()
    record_action(actor_id, f"shop.{target}", "shop", shop.id, reason, {"status": [before, target]})
