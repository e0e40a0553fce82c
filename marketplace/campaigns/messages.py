"""What the resident and the shopkeeper read when a voucher or the town's part cannot be applied."""

from __future__ import annotations

from flask_babel import gettext as _

from marketplace.campaigns import redemption as r


def refusal_message(code: str, shop_name: str = "") -> str | None:
    """Say why the town's part was refused (None for a code that is not the town's)."""
    messages = {
        r.UNKNOWN: lambda: _("This voucher code is unknown: check it and type it again."),
        r.USED: lambda: _("This voucher has already been used."),
        r.VOID: lambda: _("This voucher was cancelled by the town hall."),
        r.EXPIRED: lambda: _("This voucher's campaign is over or paused: it cannot be used now."),
        r.NOT_ELIGIBLE: lambda: (
            _("%(shop)s does not take part in this voucher's campaign.", shop=shop_name)
            if shop_name
            else _("No shop in your cart takes part in this voucher's campaign.")
        ),
        r.OWN_SHOP: lambda: _(
            "%(shop)s is your own shop: the town does not pay for its owner's orders.",
            shop=shop_name,
        ),
        r.EXHAUSTED: lambda: _(
            "The town's budget for this campaign is used up: the voucher cannot be used any more."
        ),
        r.CAP_REACHED: lambda: _(
            "You have reached the town's limit per resident for this campaign."
        ),
        r.CHANGED: lambda: _(
            "What the town pays has changed (its budget or your voucher): "
            "check the amounts below and confirm again."
        ),
        "counter_not_pay_at_pickup": lambda: _(
            "A voucher can be used at the counter only on an order paid at the counter "
            "and not collected yet."
        ),
        "counter_nothing_left": lambda: _("The town already pays this whole order."),
        "counter_same_campaign": lambda: _(
            "This order already has a voucher of this campaign: one per order."
        ),
    }
    make = messages.get(code)
    return make() if make else None
