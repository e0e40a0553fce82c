"""SIRET numbers: 14 digits with a Luhn checksum (La Poste's establishments excepted)."""

from __future__ import annotations

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"  # the one La Poste SIRET that follows the Luhn rule


def normalize_siret(value: str) -> str:
    """Drop the spaces people type inside a SIRET."""
    return "".join(value.split())


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(digits)):
        n = int(digit)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def is_valid_siret(value: str) -> bool:
    """True when `value` is 14 digits whose checksums (SIRET and its SIREN) are right."""
    siret = normalize_siret(value)
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_HEAD_OFFICE:
        # La Poste numbers its thousands of offices with a digit sum divisible by 5.
        return sum(int(d) for d in siret) % 5 == 0
    # The first nine digits are the company's SIREN, which carries its own Luhn key.
    return _luhn_ok(siret) and _luhn_ok(siret[:9])
