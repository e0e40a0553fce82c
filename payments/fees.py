"""Splitting money exactly: platform fee, Stripe's fee shared pro rata, largest-remainder cents."""

from __future__ import annotations


def split_largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split `total` cents in proportion to `weights`; the parts always add up to `total`.

    Each part gets its floor share; the cents left over go to the largest remainders
    (ties to the earlier part), so no cent is lost or invented.
    """
    if total < 0:
        raise ValueError("total must be >= 0")
    weight_sum = sum(weights)
    if not weights:
        return []
    if weight_sum == 0:
        parts = [0] * len(weights)
        parts[0] = total
        return parts
    floors = [total * w // weight_sum for w in weights]
    remainders = [(total * w % weight_sum, -i) for i, w in enumerate(weights)]
    left = total - sum(floors)
    for _, neg_index in sorted(remainders, reverse=True)[:left]:
        floors[-neg_index] += 1
    return floors


def platform_fee(amount_cents: int, fee_bps: int) -> int:
    """The town's commission on an order, in cents (basis points, rounded half up)."""
    return (amount_cents * fee_bps + 5_000) // 10_000


def shop_shares(
    order_totals: list[int], stripe_fee_cents: int, fee_bps: int, fees_paid_by: str
) -> list[dict[str, int]]:
    """For each order of a checkout: its total, platform fee, share of Stripe's fee, and payout."""
    stripe_parts = (
        split_largest_remainder(stripe_fee_cents, order_totals)
        if fees_paid_by == "shop"
        else [0] * len(order_totals)
    )
    shares = []
    for total, stripe_part in zip(order_totals, stripe_parts, strict=True):
        fee = platform_fee(total, fee_bps)
        shares.append(
            {
                "total": total,
                "platform_fee": fee,
                "stripe_fee": stripe_part,
                "payout": max(total - fee - stripe_part, 0),
            }
        )
    return shares
