"""After a shops CSV import, in the job queue: the new owners' invitations, and the registers
asked about the imported shops.

A line without `lat`/`lon` gets its position from the BAN geocoder, and a SIRET Sirene was
never asked about gets Sirene's answer, both recorded for the curator's shop file like the
form's lookups. The owner sees the geocoder's answer above the map of their shop form and moves
the pin if it is wrong; an address the geocoder cannot place is placed by the owner (the form
asks the geocoder again at each save while the shop has no position).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from marketplace.accounts.emails import email_invitation
from marketplace.extensions import db
from marketplace.jobs import job
from shops.models import Shop
from shops.register_checks import latest_sirene_check, record_geocode_answer, record_sirene_answer
from shops.registers.ban import geocode
from shops.registers.sirene import UNAVAILABLE, look_up_siret

if TYPE_CHECKING:
    from shops.csv_shops import ShopImportReport


def send_invitations(user_ids: list[int]) -> None:
    """Queue for each new shopkeeper the email with a link to choose a password (after the commit)."""
    for user_id in user_ids:
        email_invitation.delay(user_id, "shop")


def queue_after_import(report: ShopImportReport, invite: bool = True) -> None:
    """After the commit: queue the invitations and the register lookups of the shops written."""
    if invite:
        send_invitations([user.id for user in report.invited])
    check_imported_shops(report.shop_ids)


def check_imported_shops(shop_ids: list[int]) -> None:
    """Queue the register lookups of the shops an import wrote (call after the commit)."""
    if shop_ids:
        ask_registers_about_imported_shops.delay(sorted(set(shop_ids)))


@dataclass(frozen=True)
class _Questions:
    """What to ask about one shop, read before any register is called."""

    shop_id: int
    siret: str | None  # None: Sirene answered about this SIRET already
    address: tuple[str, str, str] | None  # None: the shop has a position


def _questions(shop: Shop) -> _Questions:
    siret = shop.siret or None
    if siret is not None:
        known = latest_sirene_check(shop)
        siret = siret if known is None or known.outcome == UNAVAILABLE else None
    placed = shop.lat is not None and shop.lon is not None
    address = None if placed else (shop.address, shop.postcode, shop.city)
    return _Questions(shop.id, siret, address)


# Not retried: an unreachable register is asked again by the owner's next save (geocoder) and
# before the shop is sent for review (Sirene); its "unavailable" answer is shown meanwhile.
@job(retries=0)
def ask_registers_about_imported_shops(shop_ids: list[int]) -> None:
    """Place the imported shops without a position and check their SIRET, one shop at a time."""
    for shop_id in shop_ids:
        shop = db.session.get(Shop, shop_id)
        if shop is None:
            continue
        asked = _questions(shop)
        db.session.rollback()  # no transaction stays open while a register is called
        sirene = look_up_siret(asked.siret) if asked.siret else None
        geocoded = geocode(*asked.address) if asked.address else None
        shop = db.session.get(Shop, shop_id)
        if shop is None:
            continue
        if sirene is not None and asked.siret and shop.siret == asked.siret:
            record_sirene_answer(shop, asked.siret, sirene)
        current = (shop.address, shop.postcode, shop.city)
        if geocoded is not None and asked.address == current:
            record_geocode_answer(shop, " ".join(p for p in current if p), geocoded)
            position = geocoded.position
            # The owner (or the curator) may have placed the pin meanwhile: theirs wins.
            if position is not None and (shop.lat is None or shop.lon is None):
                shop.lat, shop.lon = position.lat, position.lon
        db.session.commit()
