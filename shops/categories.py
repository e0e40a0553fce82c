"""The fixed vocabulary of shop categories, with French and English labels and OSM tags."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """One shop category: a stable code, its labels and its OpenStreetMap tag."""

    code: str
    fr: str
    en: str
    osm: str  # OpenStreetMap tag, used by the open-data export

    def label(self, locale: str | None) -> str:
        """Return the label in `locale` (French unless English is asked for)."""
        return self.en if (locale or "fr").startswith("en") else self.fr


CATEGORIES: tuple[Category, ...] = (
    Category("boulangerie", "Boulangerie - pâtisserie", "Bakery", "shop=bakery"),
    Category("boucherie", "Boucherie - charcuterie", "Butcher", "shop=butcher"),
    Category("fromagerie", "Fromagerie", "Cheese shop", "shop=cheese"),
    Category("poissonnerie", "Poissonnerie", "Fishmonger", "shop=seafood"),
    Category("primeur", "Primeur", "Greengrocer", "shop=greengrocer"),
    Category("epicerie", "Épicerie", "Grocery", "shop=convenience"),
    Category("epicerie-fine", "Épicerie fine", "Delicatessen", "shop=deli"),
    Category(
        "chocolatier", "Chocolaterie - confiserie", "Chocolate and sweets", "shop=confectionery"
    ),
    Category("caviste", "Caviste", "Wine shop", "shop=wine"),
    Category("traiteur", "Traiteur - restaurant", "Caterer - restaurant", "amenity=restaurant"),
    Category("librairie", "Librairie", "Bookshop", "shop=books"),
    Category("papeterie", "Presse - papeterie", "Newsagent - stationery", "shop=stationery"),
    Category("disquaire", "Disquaire", "Record shop", "shop=music"),
    Category("fleuriste", "Fleuriste", "Florist", "shop=florist"),
    Category("mode", "Mode", "Fashion", "shop=clothes"),
    Category("maison", "Maison - décoration", "Home - decoration", "shop=interior_decoration"),
    Category("artisanat", "Artisanat d'art", "Crafts", "shop=craft"),
    Category("beaute", "Beauté - cosmétique", "Beauty - cosmetics", "shop=cosmetics"),
    Category("pharmacie", "Pharmacie - parapharmacie", "Pharmacy", "amenity=pharmacy"),
    Category("sport", "Sport", "Sports", "shop=sports"),
    Category("jouets", "Jouets - jeux", "Toys - games", "shop=toys"),
    Category("bricolage", "Bricolage", "DIY - hardware", "shop=doityourself"),
    Category("informatique", "Informatique - téléphonie", "Computers - phones", "shop=computer"),
    Category("services", "Services", "Services", "shop=laundry"),
)

BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}


def get_category(code: str | None) -> Category | None:
    """Return the category with this code, or None."""
    return BY_CODE.get(code or "")


def category_choices(locale: str | None) -> list[tuple[str, str]]:
    """Return (code, label) pairs sorted by label, for a select box."""
    return sorted(((c.code, c.label(locale)) for c in CATEGORIES), key=lambda p: p[1].lower())
