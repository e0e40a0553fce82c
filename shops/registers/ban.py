"""The national address base (BAN) geocoder: an address becomes a position with a confidence.

GET {BAN_API_URL}/search/?q=<address>&limit=1 answers a GeoJSON FeatureCollection; each
feature has geometry.coordinates [lon, lat] and properties score (0-1), label, postcode,
citycode and city.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from shops.registers.http import Unavailable, cache_for, get_json
from shops.registers.sirene import FOUND, NOT_FOUND, UNAVAILABLE


@dataclass(frozen=True)
class Position:
    """Where the geocoder puts an address, and how sure it is."""

    lat: float
    lon: float
    score: float  # 0 to 1
    label: str  # the address as the BAN writes it


@dataclass(frozen=True)
class GeocodeAnswer:
    """The geocoder's answer about one address."""

    outcome: str  # FOUND, NOT_FOUND or UNAVAILABLE
    position: Position | None


def geocode(street: str, postcode: str, city: str) -> GeocodeAnswer:
    """Ask the BAN where this address is; never raises for a network failure."""
    query = " ".join(part.strip() for part in (street, postcode, city) if part and part.strip())
    if len(query) < 3:  # the BAN refuses shorter questions
        return GeocodeAnswer(NOT_FOUND, None)
    cache = cache_for("ban")
    cached = cache.get(query.lower())
    if cached is not None:
        return cached
    config = current_app.config
    params = {"q": query, "limit": "1"}
    if postcode:
        params["postcode"] = postcode
    try:
        payload = get_json(
            config["BAN_API_URL"], "/search/", params, config["REGISTER_TIMEOUT_SECONDS"]
        )
        position = position_in(payload)
    except Unavailable:
        return GeocodeAnswer(UNAVAILABLE, None)
    answer = GeocodeAnswer(FOUND if position else NOT_FOUND, position)
    cache.put(query.lower(), answer)
    return answer


def position_in(payload: Any) -> Position | None:
    """The best feature of a /search/ answer, or None (raises Unavailable if malformed)."""
    if payload is None:
        return None
    try:
        features = payload.get("features") or []
        if not features:
            return None
        feature = features[0]
        lon, lat = feature["geometry"]["coordinates"][:2]
        properties = feature.get("properties") or {}
        return Position(
            lat=float(lat),
            lon=float(lon),
            score=float(properties.get("score") or 0),
            label=str(properties.get("label") or ""),
        )
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as error:
        raise Unavailable("unexpected answer") from error
