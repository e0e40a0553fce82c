"""Generators for the demo town: categories, opening hours, pickup settings, SIRET, catalogues.

Everything here is pure: it takes a seeded `random.Random` and returns plain values, so that
the same seed always builds the same town. The French vocabularies of the generated catalogues
are data, in data/demo/catalogue_fr.toml.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import time

from config import ROOT
from shops.hours import Interval
from shops.osm_hours import format_opening_hours
from shops.product_types import guess_type

# The Paris open-data shop types -> our category codes (shops/categories.py).
TYPE_TO_CATEGORY = {
    "Restaurant ou traiteur": "traiteur",
    "Boulangerie - pâtisserie": "boulangerie",
    "Épicerie fine": "epicerie-fine",
    "Alimentation générale et produits de première nécessité": "epicerie",
    "Caviste - Brasserie": "caviste",
    "Librairie": "librairie",
    "Fleuriste": "fleuriste",
    "Fromagerie": "fromagerie",
    "Boucherie - charcuterie - rôtisserie": "boucherie",
    "Primeur": "primeur",
    "Poissonnerie": "poissonnerie",
    "Chocolaterie - Pâtisserie": "chocolatier",
    "Cosmétique": "beaute",
    "Pharmacies et parapharmacies": "pharmacie",
    "Jouets - Jeux": "jouets",
    "Disquaire": "disquaire",
    "Bricolage": "bricolage",
    "Presse et papeterie": "papeterie",
    "Artisanat d'art": "artisanat",
    "Équipements informatiques": "informatique",
    "Matériels de télécommunication": "informatique",
    "Blanchisserie-teinturerie": "services",
    "Articles médicaux et orthopédiques": "pharmacie",
}

# "Autre" shops: the category with the most words of the name and description wins, the first
# listed on a tie. "vin" matches vin/vins; "bougie*" matches every word starting with "bougie".
GUESSES = (
    ("disquaire", "vinyle* disque* musique*"),
    ("librairie", "livre* librairie* edition* bd manga* bouquin*"),
    ("papeterie", "papeterie* carterie* journaux presse stylo* papier*"),
    ("fleuriste", "fleur* plante* bouquet*"),
    ("mode", "vetement* mode lingerie robe* chaussure* fashion vestiaire* pret-a-porter friperie*"),
    ("jouets", "jouet* jeu jeux puericulture*"),
    ("sport", "sport* velo* skate* skateboard* yoga running"),
    ("beaute", "cosmetique* beaute parfumerie* institut coiff* savon* soin"),
    ("pharmacie", "pharmac* optic* sante"),
    ("informatique", "informatique* ordinateur* telephon* smartphone*"),
    ("bricolage", "bricolage* quincaill* outil*"),
    ("services", "pressing laverie* demenag* agence immobili* cordonn* serrur* repar* location"),
    ("caviste", "vin biere* spiritueux cave caviste*"),
    ("fromagerie", "fromage*"),
    ("chocolatier", "chocolat* confiserie* biscuit*"),
    ("epicerie-fine", "the cafe* epicerie* miel* olive*"),
    ("epicerie", "bio naturalia alimentation vrac"),
    ("artisanat", "artisan* atelier* createur* creation* galerie* artiste* ceramique* bijou*"),
    ("maison", "deco* meuble* design bougie* vaisselle* antiquit* brocante* interieur*"),
)

# Food shops sell products of the committed Open Food Facts pool; the others are generated.
FOOD = {
    "boulangerie",
    "boucherie",
    "fromagerie",
    "poissonnerie",
    "primeur",
    "epicerie",
    "epicerie-fine",
    "chocolatier",
    "caviste",
}


def fold(text: str) -> str:
    """Lower-case ASCII text, for keyword matching."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def words_of(text: str) -> list[str]:
    """Return the accent-free lower-case words of `text`."""
    return re.findall(r"[a-z][a-z-]*", fold(text))


def count_matches(words: list[str], stems: str) -> int:
    """Count the words that match one of the space-separated stems (see GUESSES)."""
    exact = {s for s in stems.split() if not s.endswith("*")}
    prefixes = tuple(s[:-1] for s in stems.split() if s.endswith("*"))
    return sum(
        1
        for word in words
        if word in exact or word.rstrip("sx") in exact or (prefixes and word.startswith(prefixes))
    )


def shop_category(shop_type: str, name: str, description: str) -> str:
    """Return our category code for a Paris shop; guess from its words when its type is "Autre"."""
    if shop_type in TYPE_TO_CATEGORY:
        return TYPE_TO_CATEGORY[shop_type]
    words = words_of(f"{name} {description}")
    score, category = max((count_matches(words, stems), -i) for i, (_, stems) in enumerate(GUESSES))
    return GUESSES[-category][0] if score else "maison"


@dataclass(frozen=True)
class Habit:
    """How a kind of shop opens: each shop draws its own hours from these choices."""

    opens: tuple[str, ...]
    closes: tuple[str, ...]
    lunch_breaks: tuple[str, ...] = ()
    lunch_odds: float = 0.0
    sunday_odds: float = 0.0  # open Sunday morning (groceries: all day)
    days_off: tuple[tuple[int, ...], ...] = ((),)  # besides Sunday, 0 = Monday
    monday_afternoon_odds: float = 0.0  # open Monday afternoons only
    saturday_closes: str | None = None


EARLY = Habit(
    ("07:00", "07:30"),
    ("19:30", "20:00", "20:30"),
    ("13:30-15:30",),
    lunch_odds=0.3,
    sunday_odds=0.85,
    days_off=((0,), (2,), (0,)),
)
MARKET = Habit(
    ("08:30", "09:00"),
    ("19:30", "20:00"),
    ("13:00-16:00", "13:30-16:00"),
    lunch_odds=0.7,
    sunday_odds=0.7,
    days_off=((0,),),
)
GROCERY = Habit(("08:00", "08:30", "09:00"), ("21:00", "22:00", "23:00"), sunday_odds=0.8)
BOUTIQUE = Habit(
    ("10:00", "10:30", "11:00"),
    ("19:00", "19:30", "20:00"),
    ("13:00-14:00", "13:00-14:30"),
    lunch_odds=0.3,
    sunday_odds=0.1,
    days_off=((0,), (0,), (0, 6)),
    monday_afternoon_odds=0.3,
)
SHOWCASE = Habit(
    ("09:30", "10:00", "10:30"),
    ("19:30", "20:00"),
    ("13:00-14:00",),
    lunch_odds=0.2,
    sunday_odds=0.5,
    days_off=((0,),),
    monday_afternoon_odds=0.3,
)
OFFICE = Habit(
    ("08:30", "09:00", "09:30"),
    ("19:00", "19:30", "20:00"),
    ("12:30-14:00",),
    lunch_odds=0.4,
    saturday_closes="18:00",
)
HABITS = {
    "boulangerie": EARLY,
    "boucherie": MARKET,
    "fromagerie": MARKET,
    "poissonnerie": MARKET,
    "primeur": MARKET,
    "epicerie": GROCERY,
    "chocolatier": SHOWCASE,
    "caviste": SHOWCASE,
    "fleuriste": SHOWCASE,
    "pharmacie": OFFICE,
    "informatique": OFFICE,
    "bricolage": OFFICE,
    "services": OFFICE,
}


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _span(day: int, text: str) -> Interval:
    opens, closes = text.split("-")
    return Interval(day, _clock(opens), _clock(closes))


def opening_hours(category: str, rng: random.Random) -> str:
    """Return plausible weekly hours for a shop of `category`, in the OpenStreetMap syntax."""
    if category == "traiteur":
        return _restaurant_hours(rng)
    habit = HABITS.get(category, BOUTIQUE)
    opens, closes = rng.choice(habit.opens), rng.choice(habit.closes)
    lunch = rng.choice(habit.lunch_breaks) if rng.random() < habit.lunch_odds else None
    off = {*rng.choice(habit.days_off), 6}
    monday_pm = 0 not in off and rng.random() < habit.monday_afternoon_odds
    intervals = []
    for day in range(6):
        if day in off:
            continue
        start = "14:00" if day == 0 and monday_pm else opens
        end = habit.saturday_closes if day == 5 and habit.saturday_closes else closes
        if lunch and _clock(start) < _clock(lunch[:5]):
            intervals += [_span(day, f"{start}-{lunch[:5]}"), _span(day, f"{lunch[6:]}-{end}")]
        else:
            intervals.append(_span(day, f"{start}-{end}"))
    if rng.random() < habit.sunday_odds:
        intervals.append(_span(6, "09:00-21:00" if habit is GROCERY else f"{opens}-13:00"))
    return format_opening_hours(intervals)


def _restaurant_hours(rng: random.Random) -> str:
    lunch = f"{rng.choice(('11:30', '12:00'))}-{rng.choice(('14:30', '15:00'))}"
    dinner = f"{rng.choice(('18:30', '19:00'))}-{rng.choice(('22:30', '23:00'))}"
    off = rng.choice(((0,), (0, 6), (6,)))
    intervals = []
    for day in range(7):
        if day not in off:
            intervals += [_span(day, lunch), _span(day, dinner)]
    return format_opening_hours(intervals)


def pickup_settings(category: str, rng: random.Random) -> dict:
    """Return prep time, slot length and capacity, and whether customers may pay at pickup."""
    quick = category in {"boulangerie", "epicerie", "primeur", "traiteur", "chocolatier"}
    made_to_order = category in {"fleuriste", "services", "informatique", "artisanat"}
    prep = rng.choice((15, 20, 30) if quick else (60, 90, 120) if made_to_order else (30, 45, 60))
    slot = rng.choice((15, 30) if quick else (30, 60))
    return {
        "prep_minutes": prep,
        "slot_minutes": slot,
        "slot_capacity": rng.choice((4, 6, 8, 10) if quick else (2, 3, 4, 5)),
        # Demo shops have no Stripe account until their shopkeeper connects one, so all of
        # them take payment at the counter; otherwise a fifth of the town could not sell.
        "pay_at_pickup": True,
    }


def luhn_digit(payload: str) -> str:
    """Return the digit that makes `payload` + digit pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(payload)):
        n = int(char) * (2 if index % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def siret(rng: random.Random) -> str:
    """Return a made-up SIRET: a Luhn-valid SIREN and a NIC that makes all 14 digits valid."""
    siren = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    siren += luhn_digit(siren)
    nic = f"{rng.randint(1, 99):04d}"
    return siren + nic + luhn_digit(siren + nic)


def phone(rng: random.Random) -> str:
    """Return a Paris number from the range ARCEP reserves for fiction (01 99 00 xx xx)."""
    return f"01 99 00 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def stock(rng: random.Random) -> str:
    """Return a stock cell: about 15 % unlimited (empty), a few sold out, else 1 to 60."""
    draw = rng.random()
    if draw < 0.15:
        return ""
    return "0" if draw < 0.19 else str(rng.randint(1, 60))


def price(rng: random.Random, low: float, high: float, position: float) -> float:
    """Return a shop-like price (12.50, 7.90...) at `position` (0-1) between low and high."""
    value = low + (high - low) * min(1.0, max(0.0, position + rng.uniform(-0.1, 0.1)))
    if value < 5:
        return max(0.5, round(value, 1))
    # Shop prices end in ,00 ,50 or ,90.
    return round(value) - 0.1 if rng.random() < 0.4 else round(value * 2) / 2


@dataclass(frozen=True)
class Family:
    """A family of generated products: every name comes in every variant, cheapest first."""

    rayon: str
    names: tuple[str, ...]
    variants: tuple[str, ...]
    low: float
    high: float
    description: str
    keywords: str = ""  # a speciality, sold by the shops whose words match
    always: bool = False  # sold by every shop of the category


@functools.cache
def vocabulary() -> dict[str, tuple[Family, ...]]:
    """Return the product families of each non-food category, read once from data/demo/."""
    with (ROOT / "data" / "demo" / "catalogue_fr.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return {
        category: tuple(
            Family(
                f["rayon"],
                tuple(f["names"]),
                tuple(f["variants"]),
                f["price"][0],
                f["price"][1],
                f["description"],
                " ".join(f.get("keywords", ())),
                f.get("always", False),
            )
            for f in families
        )
        for category, families in data.items()
    }


def generated_items(category: str, words: list[str]) -> list[tuple[str, Family, int, int]]:
    """Every (sku, family, name index, variant index) a shop of `category` with `words` may sell."""
    families = list(enumerate(vocabulary().get(category, ())))
    special = [(i, f) for i, f in families if f.keywords and count_matches(words, f.keywords)]
    if special:
        chosen = special + [(i, f) for i, f in families if f.always]
    else:
        chosen = [(i, f) for i, f in families if not f.keywords]
    prefix = category[:3].upper()
    return [
        (f"{prefix}-{i}{n:02d}{v}", family, n, v)
        for i, family in chosen
        for n in range(len(family.names))
        for v in range(max(1, len(family.variants)))
    ]


def generated_row(item: tuple[str, Family, int, int], rng: random.Random) -> dict:
    """Turn a vocabulary item into a product row (name, description, price, category)."""
    sku, family, n, v = item
    base = family.names[n]
    variant = family.variants[v] if family.variants else ""
    name = f"{base} ({variant})" if variant else base
    position = (v + 0.5) / max(1, len(family.variants)) if family.variants else rng.random()
    description = family.description.format(name=base, variant=variant, rayon=family.rayon)
    return {
        "sku": sku,
        "name": name[:200],
        "description": description,
        "price": f"{price(rng, family.low, family.high, position):.2f}",
        "category": family.rayon,
    }


# When a catalogue must grow beyond what it may sell, products come back as these variants.
FOOD_VARIANTS = (
    ("format familial", 1.8),
    ("lot de 2", 1.9),
    ("petit format", 0.6),
    ("édition du marché", 1.1),
    ("lot de 3", 2.7),
    ("format dégustation", 0.5),
    ("coffret cadeau", 2.2),
    ("grand format", 1.5),
)
OTHER_VARIANTS = (
    ("édition limitée", 1.3),
    ("lot de 2", 1.9),
    ("modèle d'exposition", 0.8),
    ("coffret cadeau", 1.4),
    ("nouvelle série", 1.1),
    ("seconde main", 0.6),
)


def variant_row(row: dict, round_: int, food: bool) -> dict:
    """Return the `round_`-th variant (1, 2...) of a product row: new SKU, name and price."""
    variants = FOOD_VARIANTS if food else OTHER_VARIANTS
    label, factor = variants[(round_ - 1) % len(variants)]
    if round_ > len(variants):
        label += f" n°{(round_ - 1) // len(variants) + 1}"
    suffix = f" – {label}"
    return {
        **row,
        "sku": f"{row['sku']}-v{round_}",
        "name": row["name"][: 200 - len(suffix)] + suffix,
        "price": f"{max(0.5, float(row['price']) * factor):.2f}",
    }


@dataclass
class TownShop:
    """A shop of the demo town: its import row, settings and what its catalogue is made of."""

    source_id: str
    category: str
    row: dict[str, str]  # a row of the shops CSV (shops.csv_shops.COLUMNS)
    rng: random.Random  # the shop's own generator: adding a shop does not change the others
    settings: dict = field(default_factory=dict)  # pickup settings set on the Shop row
    own: list[dict] = field(default_factory=list)  # its real products, from the pool
    others: list = field(default_factory=list)  # more it may sell: pool products or vocabulary
    size: int = 0  # how many products it gets

    @property
    def slug(self) -> str:
        return self.row["slug"]


def plan_catalogue(shop: TownShop, own: list[dict], pool_by_category: dict[str, list]) -> None:
    """Choose what `shop` may sell and its default size: its real products, else 15 to 40."""
    if shop.category in FOOD:
        kind = pool_by_category.get(shop.category) or itertools.chain(*pool_by_category.values())
        others = [p for p in kind if p["shop_id"] != shop.source_id]
    else:
        words = words_of(f"{shop.row['name']} {shop.row['description']}")
        others = generated_items(shop.category, words)
    own = own[:]
    # Shuffled, so that a capped catalogue (--products) still shows a bit of everything.
    shop.rng.shuffle(own)
    shop.rng.shuffle(others)
    shop.own, shop.others = own, others
    extra = 0 if own and shop.category in FOOD else min(len(others), shop.rng.randint(15, 40))
    shop.size = len(own) + extra


def scale_catalogues(town: list[TownShop], total: int) -> None:
    """Resize the catalogues to `total` products, each shop keeping its share."""
    default = sum(s.size for s in town) or 1
    shares = [total * s.size / default for s in town]
    sizes = [int(share) for share in shares]
    # Largest remainders first, so that the sizes add up to `total` exactly.
    by_remainder = sorted(range(len(town)), key=lambda i: (sizes[i] - shares[i], i))
    for i in by_remainder[: total - sum(sizes)]:
        sizes[i] += 1
    for shop, size in zip(town, sizes, strict=True):
        shop.size = size


def catalogue(shop: TownShop) -> list[dict]:
    """Return the shop's product rows: its own products, the others, then their variants."""
    base = shop.own + shop.others
    rows: list[dict] = []
    for round_ in itertools.count():
        if not base or len(rows) == shop.size:
            return rows
        for item in base[: shop.size - len(rows)]:
            food = isinstance(item, dict)
            row = food_row(item) if food else generated_row(item, shop.rng)
            row = row if round_ == 0 else variant_row(row, round_, food)
            rows.append({**row, "stock": stock(shop.rng), "active": "1"})
    return rows


def food_row(product: dict) -> dict:
    """Turn an Open Food Facts product of the pool into a product row (SKU = barcode)."""
    return {
        "sku": product["id"],
        "name": product["name"].strip()[:200],
        "description": product["description"],
        "price": f"{product['price_eur']:.2f}",
        "category": product["aisle"],
        # The fine Open Food Facts category says the type better than the aisle shown.
        "type": guess_type(product["category"], product["name"]) or "",
    }


def pick_featured(town: list[TownShop], rng: random.Random, count: int = 6) -> list[str]:
    """Return the slugs of `count` shops with products, one of each favourite kind first."""
    public = [s for s in town if s.size]
    chosen: list[str] = []
    for category in ("boulangerie", "fromagerie", "librairie", "fleuriste", "caviste", "primeur"):
        candidates = [s.slug for s in public if s.category == category]
        if candidates and len(chosen) < count:
            chosen.append(rng.choice(candidates))
    rest = sorted({s.slug for s in public} - set(chosen))
    return chosen + rng.sample(rest, min(len(rest), count - len(chosen)))
