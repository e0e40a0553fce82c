"""What a shop's connected Stripe account can do, read from Stripe's account object."""

from __future__ import annotations


def can_receive_transfers(account) -> bool:
    """True when the account can be sent transfers and paid out to the shop's bank.

    Stripe gates transfers on the `transfers` capability, not on `charges_enabled` (the shop
    never charges cards itself: the platform does). An account object without capabilities
    (an older API shape) is judged on `payouts_enabled` alone.
    """
    if hasattr(account, "to_dict"):  # a StripeObject is not a dict
        account = account.to_dict()
    payouts = bool(account.get("payouts_enabled"))
    capabilities = account.get("capabilities")
    if not isinstance(capabilities, dict) or not capabilities:
        return payouts
    return payouts and capabilities.get("transfers") == "active"
