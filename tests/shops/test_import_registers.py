"""Shops imported from the town's CSV are checked against the registers like the form's: after
the commit, a job places the lines without coordinates with the BAN geocoder and asks Sirene
about their SIRET, recording both answers for the curator's shop file."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from shops.csv_shops import import_shops
from shops.import_registers import queue_after_import
from shops.models import Shop
from shops.register_checks import latest_register_checks
from shops.registers.models import BAN, SIRENE
from tests.conftest import drain_jobs
from tests.shops.fake_registers import ACTIVE_SIRET

HEADER = "slug,name,category,address,postcode,city,lat,lon,siret,owner_email"
LINES = [
    # No position: the geocoder places it; a SIRET typed with dots is stored as 14 digits.
    "oberkampf,Boulangerie Oberkampf,boulangerie,80 rue Oberkampf,75011,Paris,,,"
    "732.829.320.00074,jeanne@example.org",
    # A position given in the file is kept, and the geocoder is not asked.
    "placee,Cave placée,caviste,80 rue Oberkampf bis,75011,Paris,48.86,2.37,,paul@example.org",
    # An address the geocoder does not know: no position, the owner places the pin.
    "inconnue,Fleurs inconnues,fleuriste,3 impasse Nulle,75011,Paris,,,,lea@example.org",
]


def _shop(slug: str) -> Shop:
    db.session.expire_all()
    shop = db.session.scalar(select(Shop).where(Shop.slug == slug))
    assert shop is not None
    return shop


def _import(lines: list[str]):
    report = import_shops(("\n".join([HEADER, *lines]) + "\n").encode())
    assert report.ok, report.errors
    db.session.commit()
    queue_after_import(report, invite=False)
    return report


def test_imported_shops_are_placed_and_checked_by_a_job_after_the_import(
    app, registers, queued_jobs
):
    _import(LINES)

    # Nothing was asked within the import itself: the lookups wait in the job queue.
    assert registers.asked == []
    assert _shop("oberkampf").lat is None
    drain_jobs(app)

    bakery = _shop("oberkampf")
    assert (bakery.lat, bakery.lon, bakery.siret) == (48.8652, 2.3791, ACTIVE_SIRET)
    checks = latest_register_checks(bakery)
    assert (checks[BAN].outcome, checks[BAN].score) == ("found", 0.93)
    assert (checks[SIRENE].outcome, checks[SIRENE].active) == ("found", True)
    placed = _shop("placee")
    assert (placed.lat, placed.lon) == (48.86, 2.37)
    assert latest_register_checks(placed) == {}
    unknown = _shop("inconnue")
    assert (unknown.lat, unknown.lon) == (None, None)
    assert latest_register_checks(unknown)[BAN].outcome == "not_found"
    assert registers.questions("ban") == [
        "80 rue Oberkampf 75011 Paris",
        "3 impasse Nulle 75011 Paris",
    ]
    assert registers.questions("sirene") == [ACTIVE_SIRET]


def test_a_pin_placed_before_the_job_runs_is_kept(app, registers, queued_jobs):
    _import(LINES[:1])
    bakery = _shop("oberkampf")
    bakery.lat, bakery.lon = 48.87, 2.38  # the owner moved the pin first
    db.session.commit()

    drain_jobs(app)

    assert (_shop("oberkampf").lat, _shop("oberkampf").lon) == (48.87, 2.38)
    assert registers.questions("ban") == []


def test_offline_the_lookups_say_unavailable_and_the_import_stands(app, queued_jobs):
    _import(LINES[:1])
    drain_jobs(app)

    bakery = _shop("oberkampf")
    assert bakery.lat is None
    checks = latest_register_checks(bakery)
    assert (checks[BAN].outcome, checks[SIRENE].outcome) == ("unavailable", "unavailable")
