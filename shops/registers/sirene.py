"""Sirene, through the public "API Recherche d'entreprises" (no key): is this SIRET a real shop?

GET {SIRENE_API_URL}/search?q=<siret> answers {"results": [company...], "total_results": n};
each company has `nom_complet`, its head office `siege` and the `matching_etablissements`,
each establishment with `siret`, `etat_administratif` ("A" active, "F" closed), `adresse`,
`code_postal`, `libelle_commune`, `activite_principale` (NAF) and `date_fermeture`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app

from marketplace.db import utcnow
from shops.registers.http import Unavailable, cache_for, get_json
from shops.registers.naf import category_for_naf

# What a lookup can say (also stored in register_checks.outcome).
FOUND = "found"
NOT_FOUND = "not_found"
UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Establishment:
    """One establishment as Sirene describes it."""

    siret: str
    legal_name: str
    active: bool
    street: str
    postcode: str
    city: str
    naf: str | None
    closed_on: date | None

    @property
    def category(self) -> str | None:
        """The shop category its activity code suggests."""
        return category_for_naf(self.naf)


@dataclass(frozen=True)
class SireneAnswer:
    """The register's answer about one SIRET, and when it was given."""

    outcome: str  # FOUND, NOT_FOUND or UNAVAILABLE
    establishment: Establishment | None
    checked_at: datetime


def look_up_siret(siret: str) -> SireneAnswer:
    """Ask Sirene about `siret` (14 valid digits); never raises for a network failure."""
    cache = cache_for("sirene")
    cached = cache.get(siret)
    if cached is not None:
        return cached
    config = current_app.config
    try:
        payload = get_json(
            config["SIRENE_API_URL"],
            "/search",
            {"q": siret, "page": "1", "per_page": "1"},
            config["REGISTER_TIMEOUT_SECONDS"],
        )
        establishment = establishment_in(payload, siret)
    except Unavailable:
        return SireneAnswer(UNAVAILABLE, None, utcnow())
    answer = SireneAnswer(FOUND if establishment else NOT_FOUND, establishment, utcnow())
    cache.put(siret, answer)
    return answer


def establishment_in(payload: Any, siret: str) -> Establishment | None:
    """The establishment `siret` in a /search answer, or None (raises Unavailable if malformed)."""
    if payload is None:
        return None
    try:
        for company in payload.get("results") or []:
            places = [*(company.get("matching_etablissements") or []), company.get("siege") or {}]
            for place in places:
                if place.get("siret") == siret:
                    return _establishment(company, place)
    except (AttributeError, TypeError) as error:
        raise Unavailable("unexpected answer") from error
    return None


def _establishment(company: dict, place: dict) -> Establishment:
    postcode = place.get("code_postal") or ""
    address = place.get("adresse") or ""
    # "80 RUE OBERKAMPF 75011 PARIS": the street is what comes before the postcode.
    street = address.split(f" {postcode} ")[0] if postcode else address
    closed_on = place.get("date_fermeture")
    return Establishment(
        siret=place["siret"],
        legal_name=company.get("nom_complet") or company.get("nom_raison_sociale") or "",
        active=place.get("etat_administratif") == "A",
        street=_readable(street),
        postcode=postcode,
        city=_readable(place.get("libelle_commune") or ""),
        naf=place.get("activite_principale") or company.get("activite_principale"),
        closed_on=date.fromisoformat(closed_on) if closed_on else None,
    )


def _readable(text: str) -> str:
    """Sirene writes addresses in capitals: "80 RUE SAINT-MAUR" -> "80 rue Saint-Maur"."""
    return " ".join(_readable_word(word) if word.isupper() else word for word in text.split())


# Words of street names written in lower case in French addresses.
_SMALL_WORDS = frozenset(
    [
        "rue",
        "avenue",
        "av",
        "bd",
        "boulevard",
        "place",
        "pl",
        "impasse",
        "imp",
        "passage",
        "allee",
        "allée",
        "quai",
        "cours",
        "chemin",
        "square",
        "sq",
        "cite",
        "cité",
        "villa",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "et",
        "sur",
        "sous",
        "en",
        "aux",
        "au",
    ]
)


def _readable_word(word: str) -> str:
    lower = word.lower()
    if lower in _SMALL_WORDS:
        return lower
    return "-".join(part[:1].upper() + part[1:] for part in lower.split("-"))
