"""What a demo shop is given besides its name: opening hours, pickup settings, SIRET, phone.

Everything here is pure: it takes a seeded `random.Random` and returns plain values, so that
the same seed always builds the same town.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time

from shops.hours import Interval
from shops.osm_hours import format_opening_hours


@dataclass(frozen=True)
class Habit:
    """How a kind of shop opens: each shop draws its own hours from these choices."""

    opens: tuple[str, ...]
    closes: tuple[str, ...]
    lunch_breaks: tuple[str, ...] = ()
    lunch_odds: float = 0.0
    sunday_odds: float = 0.0  # open Sunday morning (groceries: all day)
    days_off: tuple[tuple[int, ...], ...] = ((),)  # besides Sunday, 0 = Monday
    monday_afternoon_odds: float = 0.0  # open Monday afternoons only
    saturday_closes: str | None = None


EARLY = Habit(
    ("07:00", "07:30"),
    ("19:30", "20:00", "20:30"),
    ("13:30-15:30",),
    lunch_odds=0.3,
    sunday_odds=0.85,
    days_off=((0,), (2,), (0,)),
)
MARKET = Habit(
    ("08:30", "09:00"),
    ("19:30", "20:00"),
    ("13:00-16:00", "13:30-16:00"),
    lunch_odds=0.7,
    sunday_odds=0.7,
    days_off=((0,),),
)
GROCERY = Habit(("08:00", "08:30", "09:00"), ("21:00", "22:00", "23:00"), sunday_odds=0.8)
BOUTIQUE = Habit(
    ("10:00", "10:30", "11:00"),
    ("19:00", "19:30", "20:00"),
    ("13:00-14:00", "13:00-14:30"),
    lunch_odds=0.3,
    sunday_odds=0.1,
    days_off=((0,), (0,), (0, 6)),
    monday_afternoon_odds=0.3,
)
SHOWCASE = Habit(
    ("09:30", "10:00", "10:30"),
    ("19:30", "20:00"),
    ("13:00-14:00",),
    lunch_odds=0.2,
    sunday_odds=0.5,
    days_off=((0,),),
    monday_afternoon_odds=0.3,
)
OFFICE = Habit(
    ("08:30", "09:00", "09:30"),
    ("19:00", "19:30", "20:00"),
    ("12:30-14:00",),
    lunch_odds=0.4,
    saturday_closes="18:00",
)
HABITS = {
    "boulangerie": EARLY,
    "boucherie": MARKET,
    "fromagerie": MARKET,
    "poissonnerie": MARKET,
    "primeur": MARKET,
    "epicerie": GROCERY,
    "chocolatier": SHOWCASE,
    "caviste": SHOWCASE,
    "fleuriste": SHOWCASE,
    "pharmacie": OFFICE,
    "informatique": OFFICE,
    "bricolage": OFFICE,
    "services": OFFICE,
}


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _span(day: int, text: str) -> Interval:
    opens, closes = text.split("-")
    return Interval(day, _clock(opens), _clock(closes))


def opening_hours(category: str, rng: random.Random) -> str:
    """Return plausible weekly hours for a shop of `category`, in the OpenStreetMap syntax."""
    if category == "traiteur":
        return _restaurant_hours(rng)
    habit = HABITS.get(category, BOUTIQUE)
    opens, closes = rng.choice(habit.opens), rng.choice(habit.closes)
    lunch = rng.choice(habit.lunch_breaks) if rng.random() < habit.lunch_odds else None
    off = {*rng.choice(habit.days_off), 6}
    monday_pm = 0 not in off and rng.random() < habit.monday_afternoon_odds
    intervals = []
    for day in range(6):
        if day in off:
            continue
        start = "14:00" if day == 0 and monday_pm else opens
        end = habit.saturday_closes if day == 5 and habit.saturday_closes else closes
        if lunch and _clock(start) < _clock(lunch[:5]):
            intervals += [_span(day, f"{start}-{lunch[:5]}"), _span(day, f"{lunch[6:]}-{end}")]
        else:
            intervals.append(_span(day, f"{start}-{end}"))
    if rng.random() < habit.sunday_odds:
        intervals.append(_span(6, "09:00-21:00" if habit is GROCERY else f"{opens}-13:00"))
    return format_opening_hours(intervals)


def _restaurant_hours(rng: random.Random) -> str:
    lunch = f"{rng.choice(('11:30', '12:00'))}-{rng.choice(('14:30', '15:00'))}"
    dinner = f"{rng.choice(('18:30', '19:00'))}-{rng.choice(('22:30', '23:00'))}"
    off = rng.choice(((0,), (0, 6), (6,)))
    intervals = []
    for day in range(7):
        if day not in off:
            intervals += [_span(day, lunch), _span(day, dinner)]
    return format_opening_hours(intervals)


def pickup_settings(category: str, rng: random.Random) -> dict:
    """Return prep time, slot length and capacity, and whether customers may pay at pickup."""
    quick = category in {"boulangerie", "epicerie", "primeur", "traiteur", "chocolatier"}
    made_to_order = category in {"fleuriste", "services", "informatique", "artisanat"}
    prep = rng.choice((15, 20, 30) if quick else (60, 90, 120) if made_to_order else (30, 45, 60))
    slot = rng.choice((15, 30) if quick else (30, 60))
    return {
        "prep_minutes": prep,
        "slot_minutes": slot,
        "slot_capacity": rng.choice((4, 6, 8, 10) if quick else (2, 3, 4, 5)),
        # Demo shops have no Stripe account until their shopkeeper connects one, so all of
        # them take payment at the counter; otherwise a fifth of the town could not sell.
        "pay_at_pickup": True,
    }


def luhn_digit(payload: str) -> str:
    """Return the digit that makes `payload` + digit pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(payload)):
        n = int(char) * (2 if index % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def siret(rng: random.Random) -> str:
    """Return a made-up SIRET: a Luhn-valid SIREN and a NIC that makes all 14 digits valid."""
    siren = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    siren += luhn_digit(siren)
    nic = f"{rng.randint(1, 99):04d}"
    return siren + nic + luhn_digit(siren + nic)


def phone(rng: random.Random) -> str:
    """Return a Paris number from the range ARCEP reserves for fiction (01 99 00 xx xx)."""
    return f"01 99 00 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
