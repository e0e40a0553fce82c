"""The labelled query set: what each query means, and the rules that grade documents for it.

name3 / name2: regular expressions that must all match the folded product name for grade 3 / 2;
related1: a regular expression on the folded category and aisle for grade 1; shops: the grade
of a shop of each category. Several queries share an intent: the typo, the missing accent, the
plural, the elision and the English word all mean the same thing as the correct French one.
"""

from __future__ import annotations

W = r"\b"


def word(stem: str) -> str:
    """A whole word, with an optional plural s or x."""
    return rf"\b{stem}[sx]?\b"


INTENTS: list[dict] = [
    {
        "intent": "bakery",
        "queries": ["boulangerie", "boulangrie", "boulangeries"],
        "name3": [r"^$"],
        "shops": {"boulangerie": 3},
        "related1": "boulangerie",
    },
    {
        "intent": "cheese shop",
        "queries": ["fromagerie", "cheese shop"],
        "name3": [r"^$"],
        "shops": {"fromagerie": 3},
    },
    {
        "intent": "florist",
        "queries": ["fleuriste", "florist"],
        "name3": [r"^$"],
        "shops": {"fleuriste": 3},
    },
    {
        "intent": "bookshop",
        "queries": ["librairie", "librairies"],
        "name3": [r"^$"],
        "shops": {"librairie": 3},
    },
    {
        "intent": "fishmonger",
        "queries": ["poissonnerie", "poissonerie"],
        "name3": [r"^$"],
        "shops": {"poissonnerie": 3},
        "related1": "poissonnerie",
    },
    {
        "intent": "butcher",
        "queries": ["boucherie", "butcher"],
        "name3": [r"^$"],
        "shops": {"boucherie": 3},
        "related1": "boucherie",
    },
    {
        "intent": "cheese",
        "queries": ["fromage", "fromages", "fromge", "cheese"],
        "name3": [r"\b(fromages?|cheeses?)\b"],
        "related1": "fromag",
        "shops": {"fromagerie": 2},
    },
    {
        "intent": "goat cheese",
        "queries": ["fromage chevre", "fromage de chèvre", "goat cheese"],
        "name3": [word("chevre")],
        "name2": [word("fromage")],
        "related1": "chevre",
    },
    {
        "intent": "camembert",
        "queries": ["camembert", "camenbert"],
        "name3": [word("camembert")],
        "related1": "camembert",
    },
    {
        "intent": "pasta or pâté (pate)",
        "queries": ["pate", "pâte"],
        "name3": [word("pate")],
        "related1": r"\bpate",
    },
    {
        "intent": "pasta",
        "queries": ["pâtes", "pates"],
        "name3": [r"\bpates\b"],
        "name2": [word("pate")],
        "related1": "pates alimentaires",
    },
    {
        "intent": "cream",
        "queries": ["crème", "creme", "cremes"],
        "name3": [word("creme")],
        "related1": "creme",
    },
    {
        "intent": "crème fraîche",
        "queries": ["creme fraiche", "crème fraîche"],
        "name3": [word("creme"), word("fraiche")],
        "name2": [word("creme")],
    },
    {
        "intent": "apricot",
        "queries": ["l'abricot", "abricots", "apricot"],
        "name3": [word("abricot")],
        "related1": "abricot",
    },
    {
        "intent": "bread",
        "queries": ["pain", "pains", "bread"],
        "name3": [word("pain")],
        "name2": [word("baguette")],
        "related1": "pain|boulangerie",
        "shops": {"boulangerie": 2},
    },
    {
        "intent": "sourdough bread",
        "queries": ["pain au levain", "pains au levain"],
        "name3": [word("pain"), "levain"],
        "name2": ["levain"],
        "related1": "pain",
    },
    {
        "intent": "tea",
        "queries": ["thé", "the", "tea"],
        "name3": [r"\b(thes?|teas?)\b"],
        "aisle3": "the|infusion|boisson",
        "related1": r"\bthe",
        "shops": {"epicerie-fine": 1},
    },
    {
        "intent": "green tea",
        "queries": ["thé vert", "the vert", "green tea"],
        "name3": [word("the"), word("vert")],
        "name2": [word("the")],
    },
    {
        "intent": "dark chocolate",
        "queries": ["chocolat noir", "chocolats noirs"],
        "name3": [word("chocolat"), word("noir")],
        "name2": [word("chocolat")],
        "related1": "chocolat",
    },
    {
        "intent": "chocolate",
        "queries": ["chocolat", "chocolta", "chocolate"],
        "name3": [r"\bchocolat(e|es|s)?\b"],
        "related1": "chocolat",
        "shops": {"chocolatier": 2},
    },
    {
        "intent": "sausage",
        "queries": ["saucisse", "saucisses", "sausage"],
        "name3": [r"\b(saucisses?|sausages?)\b"],
        "related1": "saucisse",
        "shops": {"boucherie": 1},
    },
    {
        "intent": "tomato sauce",
        "queries": ["sauce tomate"],
        "name3": [word("sauce"), word("tomate")],
        "name2": [word("sauce")],
    },
    {
        "intent": "strawberry",
        "queries": ["fraise", "fraises", "strawberry"],
        "name3": [word("fraise")],
        "related1": "fraise",
    },
    {
        "intent": "ham",
        "queries": ["jambon", "jambons", "ham"],
        "name3": [r"\b(jambons?|ham)\b"],
        "related1": "jambon",
        "shops": {"boucherie": 1},
    },
    {
        "intent": "smoked salmon",
        "queries": ["saumon fumé", "saumon fume"],
        "name3": [word("saumon"), r"\bfume"],
        "name2": [word("saumon")],
        "related1": "saumon",
    },
    {
        "intent": "olive oil",
        "queries": ["huile d'olive", "olive oil"],
        "name3": [word("huile"), word("olive")],
        "name2": [word("huile")],
    },
    {
        "intent": "honey",
        "queries": ["miel", "honey"],
        "name3": [r"\b(miel|honey)\b"],
        "related1": "miel",
    },
    {
        "intent": "jam",
        "queries": ["confiture", "confitures", "confitur"],
        "name3": [word("confiture")],
        "related1": "confiture",
    },
    {
        "intent": "eggs",
        "queries": ["œufs", "oeufs", "eggs"],
        "name3": [word("oeuf")],
        "related1": r"\boeuf",
    },
    {
        "intent": "beer",
        "queries": ["bière", "biere", "beer"],
        "name3": [r"\b(bieres?|beers?)\b"],
        "related1": "biere",
        "shops": {"caviste": 2},
    },
    {
        "intent": "red wine",
        "queries": ["vin rouge"],
        "name3": [word("vin"), word("rouge")],
        "name2": [word("vin")],
        "related1": r"\bvin",
    },
    {
        "intent": "coffee",
        "queries": ["café", "cafe", "coffee"],
        "name3": [r"\b(cafes?|coffee)\b"],
        "related1": "cafe",
        "shops": {"epicerie-fine": 1},
    },
    {
        "intent": "croissant",
        "queries": ["croissant", "croissants", "croisant"],
        "name3": [word("croissant")],
        "shops": {"boulangerie": 1},
    },
    {
        "intent": "apple compote",
        "queries": ["compote pomme", "compote de pommes"],
        "name3": [word("compote"), word("pomme")],
        "name2": [word("compote")],
    },
    {
        "intent": "mustard",
        "queries": ["moutarde", "moutard", "mustard"],
        "name3": [word("moutarde")],
        "related1": "moutarde",
    },
    {
        "intent": "sardines",
        "queries": ["sardines", "sardine"],
        "name3": [word("sardine")],
        "related1": "sardine",
    },
    {
        "intent": "lentils",
        "queries": ["lentilles", "lentille"],
        "name3": [word("lentille")],
        "related1": "lentille",
    },
    {
        "intent": "apple tart",
        "queries": ["tarte aux pommes", "tarte pomme"],
        "name3": [word("tarte"), word("pomme")],
        "name2": [word("tarte")],
    },
    {
        "intent": "orange juice",
        "queries": ["jus d'orange", "orange juice"],
        "name3": [word("jus"), word("orange")],
        "name2": [word("jus")],
    },
    {
        "intent": "vanilla ice cream",
        "queries": ["glace vanille"],
        "name3": [word("glace"), word("vanille")],
        "name2": [word("glace")],
    },
    {"intent": "muesli", "queries": ["muesli", "musli"], "name3": [word("muesli")]},
    {
        "intent": "yogurt",
        "queries": ["yaourt", "yaourts", "yogurt"],
        "name3": [word("yaourt")],
        "related1": "yaourt",
    },
]
