"""How each shop's part of a cart is paid: online by card where the shop takes it, else at the counter.

One cart may mix both: the parts paid online go through one payment, the others are confirmed
at once (marketplace/orders/checkout.py). The checkout page and the checkout service both ask
here, so the page shows exactly what placing the order will do.
"""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.orders.models import AT_PICKUP, ONLINE
from shops.models import Shop

METHODS = (ONLINE, AT_PICKUP)
# Why a shop's part cannot be paid as asked (CheckoutError codes).
REFUSED = {ONLINE: "no_online_payment", AT_PICKUP: "no_pay_at_pickup"}


class MethodRefused(ValueError):
    """The shop's part cannot be paid as asked; `code` says why (a CheckoutError code)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def accepted_methods(shop: Shop, online_available: bool) -> tuple[str, ...]:
    """The ways `shop` can be paid, the default first: online by card when it can, the counter."""
    methods: tuple[str, ...] = ()
    if online_available and shop.payouts_enabled:
        methods += (ONLINE,)
    if shop.pay_at_pickup:
        methods += (AT_PICKUP,)
    return methods


def pick_method(accepted: tuple[str, ...], chosen: str = "", preference: str = "") -> str:
    """The way a shop's part is paid; raise MethodRefused when it cannot be paid so.

    `chosen` is the resident's choice for this shop (the form's `pay-<shop id>`): it must be
    one the shop accepts, since the page showed it so. `preference` applies to the whole cart
    (an older form's `method`): it is followed where the shop accepts it, else the shop's default.
    """
    if chosen and chosen not in METHODS:
        raise MethodRefused("bad_method")
    if not accepted:
        raise MethodRefused("no_payment_method")
    if chosen:
        if chosen not in accepted:
            raise MethodRefused(REFUSED[chosen])
        return chosen
    return preference if preference in accepted else accepted[0]


@dataclass(frozen=True)
class PartPayment:
    """How one shop's part will be paid, for the checkout page: what it takes, what is chosen."""

    accepted: tuple[str, ...]
    method: str | None  # None: the shop cannot be paid at all right now

    @property
    def is_choice(self) -> bool:
        """True when the resident may choose between paying online and at the counter."""
        return len(self.accepted) > 1

    @property
    def can_be_online(self) -> bool:
        """True when this part may be paid online by card."""
        return ONLINE in self.accepted


def plan_payments(
    shops: list[Shop], online_available: bool, chosen: dict[int, str]
) -> dict[int, PartPayment]:
    """How each shop's part would be paid with the choices `chosen` ({shop id: method}) so far."""
    plan = {}
    for shop in shops:
        accepted = accepted_methods(shop, online_available)
        try:
            method: str | None = pick_method(accepted, chosen.get(shop.id, ""))
        except MethodRefused:
            method = accepted[0] if accepted else None  # a stale choice: show the default again
        plan[shop.id] = PartPayment(accepted, method)
    return plan
