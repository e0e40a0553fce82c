"""Categories of the demo town's shops: Paris open-data types and words to our category codes.

Pure functions of the shop's type, name and description, so that the same source always gives
the same category.
"""

from __future__ import annotations

import re
import unicodedata

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
