"""The shop form and the registers: "Look up" fills it from Sirene; saving checks the SIRET and
places the address on the map. Every register call happens here, before the request writes
anything (no row is locked while we wait for a register).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shops.forms import ShopForm
from shops.models import Shop
from shops.register_checks import (
    latest_sirene_check,
    record_geocode_answer,
    record_sirene_answer,
)
from shops.registers.ban import GeocodeAnswer, geocode
from shops.registers.sirene import FOUND, NOT_FOUND, UNAVAILABLE, SireneAnswer, look_up_siret
from shops.siret import is_valid_siret, normalize_siret

POSITION_FROM_PIN = "pin"  # the shopkeeper placed the pin on the map
POSITION_FROM_ADDRESS = "address"  # the geocoder placed it

BAD_SIRET = _l("A SIRET has 14 digits and a valid checksum.")


def closed_message(answer: SireneAnswer) -> str:
    """The form error for a SIRET whose establishment Sirene says is closed."""
    place = answer.establishment
    if place is not None and place.closed_on is not None:
        return str(
            _l(
                "The Sirene register says this establishment closed on %(day)s: a closed "
                "establishment cannot be submitted for review.",
                day=format_date(place.closed_on, "long"),
            )
        )
    return str(
        _l(
            "The Sirene register says this establishment is closed: a closed establishment "
            "cannot be submitted for review."
        )
    )


@dataclass
class Lookups:
    """What the registers answered while a shop form was handled, to record with the shop."""

    siret: str | None = None
    sirene: SireneAnswer | None = None
    address: str | None = None
    geocoded: GeocodeAnswer | None = None

    def apply(self, values: dict[str, Any]) -> None:
        """Put the geocoded position into the form's values (the pin, when moved, wins)."""
        position = self.geocoded.position if self.geocoded else None
        if position is not None:
            values["lat"], values["lon"] = position.lat, position.lon

    def record(self, shop: Shop) -> None:
        """Keep the answers for the curator (rows added to the session)."""
        if self.sirene is not None and self.siret:
            record_sirene_answer(shop, self.siret, self.sirene)
        if self.geocoded is not None and self.address:
            record_geocode_answer(shop, self.address, self.geocoded)


def look_up(form: ShopForm) -> Lookups:
    """The "Look up" button: fill the form from Sirene's answer about the typed SIRET."""
    for field in form:
        if field.name != "csrf_token":
            field.errors = []  # a half-filled form is not wrong yet: only the SIRET is checked
    siret = normalize_siret(form.siret.data or "")
    if not is_valid_siret(siret):
        form.siret.errors = [BAD_SIRET]
        return Lookups()
    form.siret.data = siret
    answer = look_up_siret(siret)
    lookups = Lookups(siret=siret, sirene=answer)
    place = answer.establishment
    if answer.outcome != FOUND or place is None:
        return lookups
    form.name.data = form.name.data or place.legal_name[:120]
    form.address.data, form.postcode.data, form.city.data = place.street, place.postcode, place.city
    if place.category:
        form.category.data = place.category
    if not place.active:
        form.siret.errors = [closed_message(answer)]
    _geocode_into(form, lookups)
    return lookups


def check_on_save(form: ShopForm, shop: Shop | None) -> Lookups:
    """Before saving: ask Sirene about a new SIRET (a closed one is a form error) and place a
    new address, unless the shopkeeper placed the pin by hand."""
    lookups = Lookups()
    siret = normalize_siret(form.siret.data or "")
    if siret and _needs_sirene(shop, siret):
        lookups.siret, lookups.sirene = siret, look_up_siret(siret)
        place = lookups.sirene.establishment
        if place is not None and not place.active:
            form.siret.errors = [*form.siret.errors, closed_message(lookups.sirene)]
    if form.position_source.data != POSITION_FROM_PIN and (
        _address_changed(form, shop) or form.lat.data is None or form.lon.data is None
    ):
        _geocode_into(form, lookups)
    return lookups


def _needs_sirene(shop: Shop | None, siret: str) -> bool:
    if shop is None or shop.siret != siret:
        return True
    check = latest_sirene_check(shop)
    return check is None or check.outcome == UNAVAILABLE


def _address_changed(form: ShopForm, shop: Shop | None) -> bool:
    if shop is None:
        return True
    typed = (form.address.data or "", form.postcode.data or "", form.city.data or "")
    return tuple(s.strip() for s in typed) != (shop.address, shop.postcode, shop.city)


def _geocode_into(form: ShopForm, lookups: Lookups) -> None:
    street, postcode, city = form.address.data or "", form.postcode.data or "", form.city.data or ""
    lookups.address = " ".join(part.strip() for part in (street, postcode, city) if part)
    lookups.geocoded = geocode(street, postcode, city)
    position = lookups.geocoded.position
    if position is not None:
        form.lat.data, form.lon.data = position.lat, position.lon
        form.lat.raw_data = form.lon.raw_data = None  # shown from .data, not from what was posted
        form.position_source.data = POSITION_FROM_ADDRESS


def check_before_review(shop: Shop) -> None:
    """Before a shop is sent for review: ask Sirene again about its SIRET when the last answer
    is missing or was "unavailable", and record it (refuse_closed_establishment decides)."""
    if shop.siret and _needs_sirene(shop, shop.siret):
        record_sirene_answer(shop, shop.siret, look_up_siret(shop.siret))


def flash_lookups(lookups: Lookups, values: dict) -> None:
    """Tell the shopkeeper what the registers said about what was just saved."""
    if lookups.sirene is not None:
        if lookups.sirene.outcome == NOT_FOUND:
            flash(
                _("The Sirene register does not know this SIRET: the town office will check it."),
                "warning",
            )
        elif lookups.sirene.outcome == UNAVAILABLE:
            flash(
                _(
                    "The Sirene register cannot be reached now: the town office will check your SIRET later."
                ),
                "info",
            )
    answer = lookups.geocoded
    if answer is not None and answer.position is not None:
        flash(
            _(
                "The map position comes from the address (confidence %(score)s %%): check the pin on the map.",
                score=round(answer.position.score * 100),
            ),
            "info",
        )
    elif answer is not None and (values.get("lat") is None or values.get("lon") is None):
        flash(
            _(
                "We could not place this address on the map now: place the pin on the map yourself, or save again later."
            ),
            "warning",
        )
