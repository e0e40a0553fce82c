"""A small French -> English food and shop glossary, so "goat cheese" finds "fromage de chèvre".

Product names are French; the English field holds their translation word by word. Keys are folded
(no accents, lower case); plurals are found by dropping a final s or x.
"""

from __future__ import annotations

_PAIRS = """
abricot apricot|agneau lamb|ail garlic|amande almond|ananas pineapple|anchois anchovy|aneth dill
artichaut artichoke|asperge asparagus|aubergine aubergine eggplant|avocat avocado|avoine oat oats
baguette baguette bread|banane banana|basilic basil|beurre butter|biere beer|biscuit biscuit cookie
blanc white|ble wheat|bleu blue|boeuf beef|boisson drink|bonbon sweet candy|boucherie butcher|boulangerie bakery
bouteille bottle|brioche brioche bun|brocoli broccoli|cacao cocoa|cafe coffee|canard duck|cannelle cinnamon
carotte carrot|cereale cereal|cerise cherry|champignon mushroom|charcuterie delicatessen cold-cuts
chataigne chestnut|chevre goat|chips crisps chips|chocolat chocolate|chou cabbage|choucroute sauerkraut
cidre cider|citron lemon|citrouille pumpkin|compote compote applesauce|confiserie sweets confectionery
confiture jam|cookie cookie|coquillette pasta|cornichon gherkin pickle|courgette courgette zucchini
crabe crab|creme cream|crepe pancake crepe|crevette shrimp prawn|croissant croissant|cuisse leg
dinde turkey|eau water|epice spice|epicerie grocery|epinard spinach|escargot snail|farine flour
fenouil fennel|figue fig|filet fillet|fine fine|flan flan custard|fleur flower|fraise strawberry
framboise raspberry|frite chips fries|fromage cheese|fromagerie cheese|fruit fruit|fume smoked
galette biscuit galette|gateau cake|gaufre waffle|gingembre ginger|glace ice-cream ice|gouter snack
graine seed|gras fat|grille grilled|haricot bean|herbe herb|huile oil|huitre oyster|jambon ham
jaune yellow|jus juice|lait milk|laitue lettuce|lapin rabbit|legume vegetable|lentille lentil|levain sourdough
levure yeast|lievre hare|limonade lemonade|livre book|mais corn|mangue mango|marron chestnut
massepain marzipan|miel honey|moutarde mustard|myrtille blueberry|noir black dark|noisette hazelnut
noix nut walnut|nouille noodle|oeuf egg|oignon onion|olive olive|orange orange|orge barley
pain bread|pamplemousse grapefruit|patate potato|pate pasta dough|pates pasta|pate pate|patisserie pastry
peche peach|persil parsley|petit small|piment chilli pepper|pistache pistachio|pizza pizza
poire pear|poireau leek|pois pea|poisson fish|poivre pepper|poivron pepper|pomme apple
porc pork|potage soup|poulet chicken|pralin praline|prune plum|pruneau prune|quiche quiche
raisin grape raisin|riz rice|rillette rillettes|rhum rum|rose rose|rouge red|sale salted savoury
salade salad|sandwich sandwich|sardine sardine|saucisse sausage|saucisson sausage salami|sauce sauce
saumon salmon|sel salt|seigle rye|sirop syrup|soja soy|soupe soup|sucre sugar|sucree sweet
tarte tart pie|the tea|thon tuna|tisane herbal-tea|tomate tomato|truffe truffle|vanille vanilla
veau veal|vert green|viande meat|viennoiserie pastry|vin wine|vinaigre vinegar|volaille poultry|yaourt yogurt
"""


def _load() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for pair in _PAIRS.replace("\n", "|").split("|"):
        parts = pair.split()
        if len(parts) >= 2:
            table.setdefault(parts[0], []).extend(w for p in parts[1:] for w in p.split("-"))
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


GLOSSARY = _load()


def translate_word(folded: str) -> tuple[str, ...]:
    """English words for a folded French word (empty when the glossary does not know it)."""
    found = GLOSSARY.get(folded)
    if found is None and len(folded) > 3 and folded[-1] in "sx":
        found = GLOSSARY.get(folded[:-1])
    return found or ()
