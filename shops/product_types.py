"""The product taxonomy (families > types, French and English) and the mapping of a shopkeeper's
free category and product name to a type. Data: data/taxonomy/product_types.json (see its README)."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TAXONOMY_FILE = Path(__file__).resolve().parent.parent / "data" / "taxonomy" / "product_types.json"
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "-": " ", "'": " "})
_PATE = {"pâté", "pâtés", "paté", "patés"}  # meat pâté, kept apart from pâtes (pasta)


@dataclass(frozen=True)
class ProductType:
    """One type of product: a stable slug, its family, labels and synonyms in both languages."""

    slug: str
    family: str
    fr: str
    en: str
    synonyms_fr: tuple[str, ...]
    synonyms_en: tuple[str, ...]

    def label(self, locale: str | None) -> str:
        """The label in `locale` (French unless English is asked for)."""
        return self.en if (locale or "fr").startswith("en") else self.fr


@dataclass(frozen=True)
class Family:
    """A family of types, with the shop categories that usually sell it."""

    slug: str
    fr: str
    en: str
    shop_categories: tuple[str, ...]
    types: tuple[str, ...]

    def label(self, locale: str | None) -> str:
        """The label in `locale` (French unless English is asked for)."""
        return self.en if (locale or "fr").startswith("en") else self.fr


def _word(word: str) -> str:
    if word in _PATE:
        return "pateviande"
    folded = "".join(
        c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn"
    )
    # Plurals: "pâtes" = "pâte", "noix" stays (x after a vowel pair is part of the word).
    if (len(folded) > 3 and folded.endswith("s")) or (
        len(folded) > 4 and folded.endswith("x") and not folded.endswith(("oix", "ix"))
    ):
        folded = folded[:-1]
    return folded


def normalise(text: str) -> str:
    """Lower-cased words without accents or plural marks, space separated and space padded."""
    words = re.findall(r"[\w]+", (text or "").lower().translate(_LIGATURES))
    return " " + " ".join(_word(w) for w in words) + " "


@dataclass(frozen=True)
class Taxonomy:
    """Every family and type, with the tables the mapping uses."""

    families: dict[str, Family]
    types: dict[str, ProductType]
    keywords: dict[str, tuple[tuple[str, str, int], ...]]  # first word -> (keyword, type, words)
    table: dict[str, str]  # normalised free category -> type slug (from real catalogues)
    shop_defaults: dict[str, str]
    vague: frozenset[str]  # categories too wide to name a type (aisles, family names)
    qualifiers: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # word -> (english, french)


@cache
def taxonomy() -> Taxonomy:
    """The taxonomy, read once from the committed data file."""
    data = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))
    families: dict[str, Family] = {}
    types: dict[str, ProductType] = {}
    keywords: dict[str, str] = {}
    for fam in data["families"]:
        for t in fam["types"]:
            types[t["slug"]] = ProductType(
                t["slug"],
                fam["slug"],
                t["fr"],
                t["en"],
                tuple(t["synonyms_fr"]),
                tuple(t["synonyms_en"]),
            )
            for phrase in [t["fr"], *t["synonyms_fr"], *t["includes"]]:
                key = normalise(phrase).strip()
                if key:
                    keywords.setdefault(key, t["slug"])  # the first type naming a word keeps it
        families[fam["slug"]] = Family(
            fam["slug"],
            fam["fr"],
            fam["en"],
            tuple(fam["shop_categories"]),
            tuple(t["slug"] for t in fam["types"]),
        )
    return Taxonomy(
        families=families,
        types=types,
        keywords=_by_first_word(keywords),
        table={normalise(k).strip(): v for k, v in data["table"].items()},
        shop_defaults=data["shop_defaults"],
        vague=frozenset(normalise(v).strip() for v in data["vague"])
        | frozenset(normalise(f["fr"]).strip() for f in data["families"]),
        qualifiers={
            normalise(q["fr"]).strip(): (tuple(q["en"]), tuple(q["also_fr"]))
            for q in data["qualifiers"]
        },
    )


def _by_first_word(keywords: dict[str, str]) -> dict[str, tuple[tuple[str, str, int], ...]]:
    grouped: dict[str, list[tuple[str, str, int]]] = {}
    for key, slug in keywords.items():
        grouped.setdefault(key.split()[0], []).append((key, slug, key.count(" ") + 1))
    return {word: tuple(found) for word, found in grouped.items()}


def get_type(slug: str | None) -> ProductType | None:
    """The type with this slug, or None."""
    return taxonomy().types.get(slug or "")


def family_of(slug: str | None) -> Family | None:
    """The family of the type with this slug, or None."""
    found = get_type(slug)
    return taxonomy().families[found.family] if found else None


def _matches(text: str) -> list[tuple[int, int, str]]:
    """(words, -position, type) for every keyword found in the normalised text: the longest
    keyword wins, then the first one (a French name says what it is first: "tomates au basilic")."""
    keywords = taxonomy().keywords
    return [
        (n, -text.find(f" {key} "), slug)
        for word in set(text.split())
        for key, slug, n in keywords.get(word, ())
        if f" {key} " in text
    ]


def guess_type(
    category: str | None, name: str | None, shop_category: str | None = None
) -> str | None:
    """The type slug for a product: the table of real categories, then rules on the category and
    the name (the category's words before the name's, then the longest keyword, then the first;
    between types the same words name, one the shop's category sells), then the shop category's
    usual type."""
    tax = taxonomy()
    cat = normalise(category or "")
    if cat.strip() in tax.vague:  # an aisle ("Épicerie salée") names no type: read the name
        cat = " "
    if cat.strip() in tax.table:
        found = tax.table[cat.strip()]
        if (
            shop_category is None
            or _sells(found, shop_category)
            or not _matches(normalise(name or ""))
        ):
            return found
    candidates = []
    for from_category, text in ((1, cat), (0, normalise(name or ""))):
        for n, position, slug in _matches(text):
            # The shop's trade only decides between types the same words name ("rosé", "album").
            candidates.append((from_category, n, position, _sells(slug, shop_category), slug))
    if candidates:
        return max(candidates)[-1]
    return tax.shop_defaults.get(shop_category or "")


def _sells(slug: str, shop_category: str | None) -> bool:
    family = family_of(slug)
    return bool(shop_category and family and shop_category in family.shop_categories)


def type_choices(locale: str | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """(family label, [(type slug, type label)]) for a grouped select box, in taxonomy order."""
    tax = taxonomy()
    return [
        (fam.label(locale), [(slug, tax.types[slug].label(locale)) for slug in fam.types])
        for fam in tax.families.values()
    ]


def find_type(value: str | None) -> str | None:
    """The type a CSV cell names: its slug, or its French or English label (any case)."""
    text = (value or "").strip()
    if not text:
        return None
    tax = taxonomy()
    if text in tax.types:
        return text
    wanted = normalise(text)
    for t in tax.types.values():
        if wanted in (normalise(t.fr), normalise(t.en)):
            return t.slug
    return None


def index_words(slug: str | None) -> tuple[str, str]:
    """French and English words indexed with a product of this type: type and family labels and
    the type's synonyms (not its `includes`, so "spaghetti" does not find penne)."""
    found = get_type(slug)
    if found is None:
        return "", ""
    fam = taxonomy().families[found.family]
    french = " ".join([found.fr, *found.synonyms_fr, fam.fr])
    english = " ".join([found.en, *found.synonyms_en, fam.en])
    return french, english


def qualifier_words(text: str) -> tuple[str, str]:
    """Extra French and English words for the qualifiers a shop's text uses ("bio" -> organic)."""
    norm = normalise(text)
    english: list[str] = []
    french: list[str] = []
    for key, (en, also_fr) in taxonomy().qualifiers.items():
        if f" {key} " in norm:
            english.extend(en)
            french.extend(also_fr)
    return " ".join(french), " ".join(english)
