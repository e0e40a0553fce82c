"""SIRET numbers: 14 digits with a Luhn checksum (La Poste's establishments excepted)."""

from __future__ import annotations

LA_POSTE_SIREN = "356000000"


def normalize_siret(value: str) -> str:
    """Drop the spaces people type inside a SIRET."""
    return "".join(value.split())


def is_valid_siret(value: str) -> bool:
    """True when `value` is 14 digits whose checksum is right."""
    siret = normalize_siret(value)
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN):
        # La Poste numbers its thousands of offices with a digit sum divisible by 5.
        return sum(int(d) for d in siret) % 5 == 0
    total = 0
    for index, digit in enumerate(reversed(siret)):
        n = int(digit)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0
