"""A bilingual (French <-> English) food and shop lexicon: "goat cheese" finds "fromage de chèvre".

Product names are French; the English field holds their translation word by word, and English
query words are translated back to French (`french_words`) to be scored like the French word.
Curated for Vitrine from the words of the demo town's products (Open Food Facts names) and shop
categories: no published bilingual food lexicon could be read from this machine (no outside
network); Open Food Facts' taxonomies (ODbL) are the source to grow it from.
Keys are folded (no accents, lower case); plurals are found by dropping a final s or x.
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
veau veal|vert green|viande meat|viennoiserie pastry|vin wine|vinaigre vinegar|volaille poultry|yaourt yogurt yoghurt
sans without free|complet wholewheat wholemeal wholegrain whole|complete wholewheat wholemeal wholegrain
entier whole|demi half|ecreme skimmed|allege light|leger light|nature plain natural|doux mild sweet
frais fresh|fraiche fresh|sec dry dried|seche dried|cru raw|cuit cooked|bio organic|biologique organic
maison homemade|artisanal artisanal|vegetal vegetable plant-based|vegetarien vegetarian|vegan vegan
gluten gluten|lactose lactose|additif additive|ajoute added|edulcorant sweetener|huile oil|graisse fat
amer bitter|aigre sour|epice spicy|piquant hot spicy|fort strong|croustillant crispy crunchy
fondant melting|moelleux soft|tendre tender|grain grain|flocon flake|petale flake|soufflee puffed
muesli muesli|granola granola|cereales cereal|barre bar|tablette bar|bouchee bite|pate spread
tartiner spread|chocolatee chocolate|lactee milk|lait milk|fermente fermented|cottage cottage
beurre butter|margarine margarine|fromage cheese|emmental emmental|comte comte|brie brie|camembert camembert
roquefort roquefort|chevre goat|brebis sheep ewe|vache cow|mozzarella mozzarella|feta feta|parmesan parmesan
raclette raclette|ricotta ricotta|mascarpone mascarpone|faisselle curd|blanc white|petit-suisse fromage-frais
yaourt yogurt|dessert dessert|creme cream|lait milk|boisson drink|jus juice|nectar nectar|smoothie smoothie
soda soda|cola cola|limonade lemonade|sirop syrup|eau water|gazeuse sparkling|plate still|petillant sparkling
vin wine|champagne champagne|cidre cider|biere beer|blonde lager blonde|brune brown dark|ambree amber
whisky whisky|vodka vodka|liqueur liqueur|aperitif aperitif|rose rose|mousseux sparkling
cafe coffee|the tea|infusion infusion herbal-tea|tisane herbal-tea|chicoree chicory|cacao cocoa
pates pasta|spaghetti spaghetti|tagliatelle tagliatelle|penne penne|fusilli fusilli|macaroni macaroni
riz rice|basmati basmati|semoule semolina couscous|couscous couscous|quinoa quinoa|boulgour bulgur
lentille lentil|pois pea|chiche chickpea|haricot bean|flageolet flageolet bean|feve broad-bean
farine flour|levure yeast|sucre sugar|cassonade brown-sugar|miel honey|sirop syrup|sel salt
poivre pepper|epice spice|curry curry|paprika paprika|cumin cumin|muscade nutmeg|thym thyme
romarin rosemary|origan oregano|menthe mint|ciboulette chives|estragon tarragon|laurier bay
huile oil|vinaigre vinegar|moutarde mustard|mayonnaise mayonnaise|ketchup ketchup|sauce sauce
pesto pesto|vinaigrette dressing|bouillon stock broth|soupe soup|veloute soup|potage soup
conserve tinned canned|bocal jar|surgele frozen|congele frozen|plat dish meal|cuisine cooked
viande meat|boeuf beef|veau veal|porc pork|agneau lamb|poulet chicken|dinde turkey|canard duck
lapin rabbit|jambon ham|lardon bacon|lard bacon|bacon bacon|saucisse sausage|saucisson salami sausage
chorizo chorizo|pate pate|terrine terrine|rillette rillettes|foie liver|steak steak|hache minced
escalope escalope|cote chop rib|roti roast|cordon cordon|blanc white|nugget nugget|boulette meatball
poisson fish|saumon salmon|thon tuna|cabillaud cod|colin hake|merlu hake|sardine sardine|maquereau mackerel
truite trout|hareng herring|crevette prawn shrimp|moule mussel|huitre oyster|surimi surimi|anchois anchovy
legume vegetable|fruit fruit|pomme apple|poire pear|peche peach|abricot apricot|prune plum
cerise cherry|fraise strawberry|framboise raspberry|myrtille blueberry|cassis blackcurrant|groseille redcurrant
mure blackberry|citron lemon|orange orange|mandarine mandarin|clementine clementine|pamplemousse grapefruit
banane banana|ananas pineapple|mangue mango|kiwi kiwi|raisin grape|figue fig|datte date|noix nut walnut
noisette hazelnut|amande almond|cacahuete peanut|arachide peanut|pistache pistachio|coco coconut
tomate tomato|carotte carrot|pomme-de-terre potato|oignon onion|echalote shallot|ail garlic
poireau leek|courgette courgette zucchini|aubergine aubergine eggplant|poivron pepper|concombre cucumber
salade salad|epinard spinach|chou cabbage|brocoli broccoli|haricot bean|petits-pois peas|mais corn sweetcorn
champignon mushroom|olive olive|cornichon gherkin|betterave beetroot|celeri celery|radis radish|navet turnip
potiron pumpkin|courge squash|artichaut artichoke|asperge asparagus|avocat avocado
pain bread|baguette baguette|brioche brioche|croissant croissant|viennoiserie pastry|biscotte rusk
biscuit biscuit cookie|gateau cake|madeleine madeleine|cake cake|tarte tart pie|crepe pancake crepe
gaufre waffle|galette galette biscuit|sable shortbread|palet biscuit|cookie cookie|brownie brownie
muffin muffin|gouter snack|chocolat chocolate|bonbon sweet candy|caramel caramel|nougat nougat
praline praline|confiserie confectionery sweets|glace ice ice-cream|sorbet sorbet|creme-glacee ice-cream
compote compote stewed-fruit|confiture jam|marmelade marmalade|gelee jelly|puree puree mash
chips crisps|frite fries chips|biscuit-aperitif crackers|cracker cracker|popcorn popcorn
oeuf egg|omelette omelette|quiche quiche|pizza pizza|sandwich sandwich|wrap wrap|tartine toast
bebe baby|enfant child children kids|jeunesse children youth|adulte adult|chien dog|chat cat
livre book|librairie bookshop bookstore|bd comics|roman novel|fleur flower|fleuriste florist
bouquet bouquet|plante plant|vetement clothes clothing|chaussure shoe shoes|jouet toy toys
bijou jewel jewellery|quincaillerie hardware|outil tool|cosmetique cosmetic cosmetics|savon soap
caviste wine-shop|cave cellar|epicerie grocery|fromagerie cheese-shop|poissonnerie fishmonger
boucherie butcher|charcuterie delicatessen|primeur greengrocer|chocolatier chocolatier|traiteur caterer
"""

# English compounds that are one French word (checked before the words one by one).
ENGLISH_PHRASES = {
    ("apple", "sauce"): "compote",
    ("ice", "cream"): "glace",
    ("french", "fries"): "frite",
    ("herbal", "tea"): "tisane",
    ("brown", "sugar"): "cassonade",
    ("cold", "cuts"): "charcuterie",
    ("sweet", "corn"): "mais",
    ("wine", "shop"): "caviste",
    ("cheese", "shop"): "fromagerie",
    ("chocolate", "shop"): "chocolatier",
    ("book", "shop"): "librairie",
    ("flower", "shop"): "fleuriste",
    ("toy", "shop"): "jouet",
    ("record", "shop"): "disquaire",
    ("pastry", "shop"): "patisserie",
}
NEGATIONS = frozenset({"sans", "without", "no"})  # bind to the next word: "sans sucre"
POSTFIX_NEGATIONS = frozenset({"free"})  # bind to the previous word: "sugar free"


def _load() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for pair in _PAIRS.replace("\n", "|").split("|"):
        parts = pair.split()
        if len(parts) >= 2 and "-" not in parts[0]:  # names are translated word by word
            table.setdefault(parts[0], []).extend(w for p in parts[1:] for w in p.split("-"))
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


def _reverse() -> dict[str, tuple[str, ...]]:
    """English word -> French words; only whole English entries (not "ice" of "ice-cream")."""
    table: dict[str, list[str]] = {}
    for pair in _PAIRS.replace("\n", "|").split("|"):
        parts = pair.split()
        if len(parts) < 2 or "-" in parts[0]:
            continue
        for english in parts[1:]:
            if "-" not in english and english != parts[0]:
                table.setdefault(english, []).append(parts[0])
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


GLOSSARY = _load()
ENGLISH_TO_FRENCH = _reverse()


def _singular(word: str) -> list[str]:
    forms = [word]
    if len(word) > 4 and word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if len(word) > 3 and word[-1] in "sx":
        forms.append(word[:-1])
    if len(word) > 4 and word.endswith("es"):
        forms.append(word[:-2])
    return forms


def translate_word(folded: str) -> tuple[str, ...]:
    """English words for a folded French word (empty when the glossary does not know it)."""
    found = GLOSSARY.get(folded)
    if found is None and len(folded) > 3 and folded[-1] in "sx":
        found = GLOSSARY.get(folded[:-1])
    return found or ()


def french_words(folded: str) -> tuple[str, ...]:
    """French words for a folded English word that is no French word of the lexicon ("juice")."""
    if folded in GLOSSARY or folded in NEGATIONS:
        return ()
    for form in _singular(folded):
        if form in GLOSSARY:
            return ()
        found = ENGLISH_TO_FRENCH.get(form)
        if found:
            return found
    return ()
