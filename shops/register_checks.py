"""What the registers said about a shop: recorded at each lookup, shown to the curator."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from shops.models import Shop
from shops.registers.ban import GeocodeAnswer
from shops.registers.models import BAN, SIRENE, RegisterCheck
from shops.registers.sirene import SireneAnswer


class ClosedEstablishment(ValueError):
    """Sirene says the shop's establishment is closed: it cannot be sent for review."""


def record_sirene_answer(shop: Shop, siret: str, answer: SireneAnswer) -> RegisterCheck:
    """Keep Sirene's answer about the shop's SIRET (the curator sees the latest)."""
    place = answer.establishment
    check = RegisterCheck(
        shop_id=shop.id,
        register=SIRENE,
        query=siret,
        outcome=answer.outcome,
        active=place.active if place else None,
        legal_name=place.legal_name[:300] if place else None,
        address=f"{place.street}, {place.postcode} {place.city}"[:300] if place else None,
        naf=place.naf if place else None,
        checked_at=answer.checked_at,
    )
    db.session.add(check)
    return check


def record_geocode_answer(shop: Shop, query: str, answer: GeocodeAnswer) -> RegisterCheck:
    """Keep the geocoder's answer about the shop's address."""
    position = answer.position
    check = RegisterCheck(
        shop_id=shop.id,
        register=BAN,
        query=query[:300],
        outcome=answer.outcome,
        address=position.label[:300] if position else None,
        score=position.score if position else None,
    )
    db.session.add(check)
    return check


def latest_register_checks(shop: Shop) -> dict[str, RegisterCheck]:
    """The latest answer of each register about `shop`, by register (SIRENE, BAN)."""
    rows = db.session.scalars(
        select(RegisterCheck)
        .where(RegisterCheck.shop_id == shop.id)
        .order_by(RegisterCheck.checked_at, RegisterCheck.id)
    )
    return {row.register: row for row in rows}


def latest_sirene_check(shop: Shop) -> RegisterCheck | None:
    """Sirene's latest answer about the shop's current SIRET, or None."""
    check = latest_register_checks(shop).get(SIRENE)
    return check if check is not None and check.query == shop.siret else None


def refuse_closed_establishment(shop: Shop) -> None:
    """Raise ClosedEstablishment when Sirene last said the shop's SIRET is closed."""
    check = latest_sirene_check(shop) if shop.siret else None
    if check is not None and check.active is False:
        raise ClosedEstablishment(shop.siret)
