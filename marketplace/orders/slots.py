"""Pickup slots: computed from opening hours, closures, preparation time and capacity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.status import ACTIVE
from shops.hours import PICKUP_DAYS_AHEAD
from shops.models import Shop
from shops.opening import open_intervals, shop_rules

DAYS_AHEAD = PICKUP_DAYS_AHEAD


@dataclass(frozen=True)
class Slot:
    """A pickup window at a shop, in UTC; `remaining` is how many more orders it takes."""

    starts_at: datetime
    ends_at: datetime
    remaining: int

    @property
    def key(self) -> str:
        """A stable form value for this slot: its UTC start as ISO text."""
        return self.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def parse_slot_key(value: str | None) -> datetime | None:
    """Turn a slot form value back into an aware UTC datetime, or None if malformed."""
    try:
        return datetime.strptime(value or "", "%Y-%m-%dT%H:%M").replace(tzinfo=UTC)
    except ValueError:
        return None


def candidate_slots(shop: Shop, now: datetime, tz: str, days: int = DAYS_AHEAD) -> list[tuple]:
    """Every (start, end) slot of the next `days` days, later than now + preparation time.

    The shop's whole opening_hours decides (holidays, date ranges, closures, part-day ones too).
    """
    zone = ZoneInfo(tz)
    earliest = now + timedelta(minutes=shop.prep_minutes)
    today = now.astimezone(zone).date()
    start_of_today = datetime.combine(today, time(0), zone)
    end = datetime.combine(today + timedelta(days=days), time(0), zone)
    step = timedelta(minutes=shop.slot_minutes)
    slots = []
    rules = shop_rules(shop)
    for opens, closes in open_intervals(shop.hours, shop.closures, start_of_today, end, tz, rules):
        # Step in UTC so that a 30-minute slot lasts 30 real minutes, even on DST days.
        start = opens.astimezone(UTC)
        end_of_interval = closes.astimezone(UTC)
        while start + step <= end_of_interval:
            if start >= earliest:
                slots.append((start, start + step))
            start += step
    return slots


def taken_by_slot(shop_id: int, starts: list[datetime]) -> dict[datetime, int]:
    """How many active orders each slot start already holds."""
    if not starts:
        return {}
    rows = db.session.execute(
        select(Order.pickup_starts_at, func.count())
        .where(
            Order.shop_id == shop_id,
            Order.status.in_(ACTIVE),
            Order.pickup_starts_at >= min(starts),
            Order.pickup_starts_at <= max(starts),
        )
        .group_by(Order.pickup_starts_at)
    ).all()
    return {start: count for start, count in rows}  # noqa: C416 - Row objects, not pairs


def pickup_slots_for(shop: Shop, now: datetime, tz: str, days: int = DAYS_AHEAD) -> list[Slot]:
    """The slots a resident may choose: in opening hours, after preparation, not full."""
    candidates = candidate_slots(shop, now, tz, days)
    taken = taken_by_slot(shop.id, [s for s, _ in candidates])
    return [
        Slot(start, end, shop.slot_capacity - taken.get(start, 0))
        for start, end in candidates
        if taken.get(start, 0) < shop.slot_capacity
    ]


def find_slot(shop: Shop, starts_at: datetime, now: datetime, tz: str) -> Slot | None:
    """Return the slot starting at `starts_at` if it is still offered, else None."""
    for slot in pickup_slots_for(shop, now, tz):
        if slot.starts_at == starts_at:
            return slot
    return None
