"""What the checkout page shows of the town's part, and reads back from the form it posted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from marketplace.campaigns.messages import refusal_message
from marketplace.campaigns.redemption import (
    RedemptionRefused,
    TownPart,
    normalize_voucher_code,
    plan_town_parts,
)


@dataclass
class TownPreview:
    """The town's parts per shop id as the page shows them, with the voucher applied if valid."""

    parts: dict[int, list[TownPart]]
    typed: str = ""  # the voucher code as typed (shown back in its field)
    applied: str = ""  # the normalised code the amounts include ("" when none)
    error: str | None = None  # why the typed code was refused
    error_code: str | None = None  # redemption's refusal code (UNKNOWN counts as a guess)
    totals: dict[int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.totals = {k: sum(p.amount_cents for p in v) for k, v in self.parts.items()}

    def town(self, shop_id: int) -> int:
        """The town's part of this shop's order."""
        return self.totals.get(shop_id, 0)

    @property
    def town_total(self) -> int:
        """The town's part of the whole cart."""
        return sum(self.totals.values())

    def names(self, shop_id: int) -> str:
        """The campaigns paying a part of this shop's order."""
        return ", ".join(p.campaign.name for p in self.parts.get(shop_id, []))


def preview_for(user, summary, typed: str, today: date) -> TownPreview:
    """Plan the town's parts of the cart; a refused code is said and left out, the cart unchanged."""
    cart = [(g.shop, g.subtotal_cents) for g in summary.groups]
    code = normalize_voucher_code(typed)
    try:
        return TownPreview(plan_town_parts(user, cart, code, today), typed, code)
    except RedemptionRefused as refused:
        message = refusal_message(refused.code, refused.shop.name if refused.shop else "")
        parts = plan_town_parts(user, cart, "", today)
        return TownPreview(parts, typed, "", message, refused.code)


def preview_blocked(user, summary, typed: str, today: date, message: str) -> TownPreview:
    """The cart's matched spending only, the typed code kept but not looked up (too many guesses)."""
    cart = [(g.shop, g.subtotal_cents) for g in summary.groups]
    return TownPreview(plan_town_parts(user, cart, "", today), typed, "", message)


def shown_parts(form: Mapping[str, str], summary) -> dict[int, int]:
    """The town's part per shop id that the posted page showed (0 when absent or garbled)."""
    shown = {}
    for group in summary.groups:
        text = form.get(f"town-{group.shop.id}", "0")
        shown[group.shop.id] = int(text) if text.isdigit() and len(text) < 10 else -1
    return shown


def wants_voucher_applied(form: Mapping[str, str]) -> bool:
    """True when the form asks to apply a voucher, or its code is not the one the amounts include.

    Placing an order with a code typed but never shown applied shows the page again first: the
    resident confirms what they pay.
    """
    code = normalize_voucher_code(form.get("voucher", ""))
    # Enter in any field "presses" the Apply button (the form's first): with no code, it places.
    if form.get("apply_voucher") and code:
        return True
    return code != form.get("voucher_applied", "")
