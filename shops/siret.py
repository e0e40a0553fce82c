"""SIRET and SIREN numbers, checked by python-stdnum (Luhn keys, La Poste's offices included)."""

from __future__ import annotations

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


def normalize_siret(value: str) -> str:
    """Drop the spaces, dots and dashes people type inside a SIRET."""
    return stdnum_siret.compact(value)


def is_valid_siret(value: str) -> bool:
    """True when `value` is 14 digits whose checksums (SIRET and its SIREN) are right."""
    return bool(value) and stdnum_siret.is_valid(value)


def is_valid_siren(value: str) -> bool:
    """True when `value` is a company's 9-digit SIREN with a right Luhn key."""
    return bool(value) and stdnum_siren.is_valid(value)


def siren_of(siret: str) -> str:
    """The company's SIREN: the first nine digits of one of its establishments' SIRET."""
    return stdnum_siret.to_siren(siret)
