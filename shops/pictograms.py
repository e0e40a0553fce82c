"""A pictogram for every product: one table from taxonomy families (and some types) to icons of
Tabler Icons (MIT, vendored in static/vendor/tabler-icons/ by `make vendor`), so a product without
a photo still has a picture. They are decorative: the name is always written beside them."""

from __future__ import annotations

from shops.product_types import get_type

ICON_DIR = "vendor/tabler-icons"  # under static/
DEFAULT = "shopping-bag"  # an untyped product
SHOP = "building-store"  # a shop whose category no family names

# family or type slug -> icon name; a type not listed takes its family's icon.
ICONS = {
    "cremerie": "milk",
    "oeufs": "egg",
    "fromagerie": "cheese",
    "boucherie": "meat",
    "charcuterie": "sausage",
    "poissonnerie": "fish",
    "fruits-legumes": "apple",
    "legumes": "carrot",
    "boulangerie": "bread",
    "pain": "baguette",
    "patisserie": "cake",
    "epicerie-salee": "salt",
    "pates": "tools-kitchen-2",
    "riz": "bowl-chopsticks",
    "cereales-graines": "wheat",
    "farine": "wheat",
    "huile": "droplet",
    "epices": "pepper",
    "aperitif": "glass-cocktail",
    "epicerie-sucree": "lollipop",
    "petit-dejeuner": "bowl-spoon",
    "cereales-petit-dejeuner": "bowl-spoon",
    "biscuits-gateaux": "cookie",
    "gateaux": "cake-roll",
    "chocolat-confiserie": "candy",
    "desserts-glaces": "ice-cream",
    "boissons": "bottle",
    "jus": "lemon",
    "cafe-the": "coffee",
    "the": "teapot",
    "infusion": "teapot",
    "vins-alcools": "glass-full",
    "biere": "beer",
    "cidre": "beer",
    "champagne": "glass-champagne",
    "spiritueux": "glass-gin",
    "plats-prepares": "chef-hat",
    "pizzas-tartes-salees": "pizza",
    "soupes": "soup",
    "salades-traiteur": "salad",
    "bebe": "baby-carriage",
    "alimentation-bebe": "baby-bottle",
    "sante": "first-aid-kit",
    "complements": "pill",
    "livres": "book",
    "papeterie-presse": "pencil",
    "presse": "news",
    "musique": "vinyl",
    "fleurs-plantes": "flower",
    "plantes": "plant",
    "jardin": "seedling",
    "mode": "shirt",
    "chaussures": "shoe",
    "bijoux": "diamond",
    "accessoires-mode": "hanger",
    "maison": "lamp",
    "art-de-la-table": "tools-kitchen-2",
    "linge-maison": "pillow",
    "beaute": "perfume",
    "hygiene": "bath",
    "maquillage": "brush",
    "sport-loisirs": "ball-football",
    "jouets-jeux": "horse-toy",
    "jeux-societe": "dice",
    "loisirs-creatifs": "puzzle",
    "bricolage": "tools",
    "outils": "hammer",
    "peinture-droguerie": "paint",
    "high-tech": "device-mobile",
    "appareils": "device-laptop",
    "reparation": "tool",
    "services": "needle-thread",
    "pressing": "wash",
}

# shop category code -> icon (shop results without a photo)
SHOP_ICONS = {
    "boulangerie": "baguette",
    "boucherie": "meat",
    "fromagerie": "cheese",
    "poissonnerie": "fish",
    "primeur": "carrot",
    "epicerie": "basket",
    "epicerie-fine": "basket",
    "chocolatier": "candy",
    "caviste": "glass-full",
    "traiteur": "chef-hat",
    "librairie": "book",
    "papeterie": "pencil",
    "disquaire": "vinyl",
    "fleuriste": "flower",
    "mode": "shirt",
    "maison": "lamp",
    "artisanat": "needle",
    "beaute": "perfume",
    "pharmacie": "first-aid-kit",
    "sport": "ball-football",
    "jouets": "horse-toy",
    "bricolage": "tools",
    "informatique": "device-laptop",
    "services": "scissors",
}


def pictogram(type_slug: str | None) -> str:
    """The icon name of a product type: its own, its family's, or the default."""
    found = get_type(type_slug)
    if found is None:
        return DEFAULT
    return ICONS.get(found.slug) or ICONS.get(found.family, DEFAULT)


def shop_pictogram(category: str | None) -> str:
    """The icon of a shop category, or a shop front."""
    return SHOP_ICONS.get(category or "", SHOP)


def pictogram_file(type_slug: str | None) -> str:
    """The static file of a product type's pictogram (template filter `pictogram`)."""
    return f"{ICON_DIR}/{pictogram(type_slug)}.svg"


def shop_pictogram_file(category: str | None) -> str:
    """The static file of a shop category's pictogram (template filter `shop_pictogram`)."""
    return f"{ICON_DIR}/{shop_pictogram(category)}.svg"


def icon_names() -> frozenset[str]:
    """Every icon the table uses (what `make vendor` copies)."""
    return frozenset([*ICONS.values(), *SHOP_ICONS.values(), DEFAULT, SHOP])
