"""Activity codes (NAF rév. 2, as Sirene gives them) mapped to a suggested shop category."""

from __future__ import annotations

# Only the trades a town-centre shop is likely to have; anything else suggests nothing.
NAF_CATEGORIES: dict[str, str] = {
    "10.71B": "boulangerie",  # cuisson de produits de boulangerie
    "10.71C": "boulangerie",  # boulangerie et boulangerie-pâtisserie
    "10.71D": "boulangerie",  # pâtisserie
    "47.24Z": "boulangerie",  # commerce de détail de pain, pâtisserie et confiserie
    "10.13B": "boucherie",  # charcuterie
    "47.22Z": "boucherie",  # commerce de détail de viandes
    "47.23Z": "poissonnerie",
    "47.21Z": "primeur",
    "47.11A": "epicerie",
    "47.11B": "epicerie",  # alimentation générale
    "47.11C": "epicerie",  # supérettes
    "47.11D": "epicerie",
    "47.29Z": "epicerie-fine",  # autres commerces alimentaires spécialisés (fromageries too)
    "10.82Z": "chocolatier",
    "47.25Z": "caviste",
    "56.10A": "traiteur",
    "56.10C": "traiteur",
    "56.21Z": "traiteur",
    "10.85Z": "traiteur",
    "47.61Z": "librairie",
    "47.62Z": "papeterie",
    "47.63Z": "disquaire",
    "47.76Z": "fleuriste",
    "47.71Z": "mode",
    "47.72A": "mode",
    "47.72B": "mode",
    "47.59A": "maison",
    "47.59B": "maison",
    "47.53Z": "maison",
    "90.03A": "artisanat",
    "47.78C": "artisanat",
    "47.75Z": "beaute",
    "96.02A": "beaute",
    "96.02B": "beaute",
    "47.73Z": "pharmacie",
    "47.74Z": "pharmacie",
    "47.64Z": "sport",
    "47.65Z": "jouets",
    "47.52A": "bricolage",
    "47.52B": "bricolage",
    "47.41Z": "informatique",
    "47.42Z": "informatique",
    "95.11Z": "informatique",
    "95.12Z": "informatique",
    "96.01B": "services",
    "95.23Z": "services",
    "95.25Z": "services",
}


def category_for_naf(naf: str | None) -> str | None:
    """The shop category suggested by activity code `naf` ("10.71C" or "1071C"), or None."""
    code = (naf or "").strip().upper()
    if len(code) == 5 and "." not in code:
        code = f"{code[:2]}.{code[2:]}"
    return NAF_CATEGORIES.get(code)
