"""The hand-written part of the product taxonomy: families, types, labels, synonyms and the words
that name a type's products. scripts/build_taxonomy.py adds the food table built from the Open Food
Facts categories and writes data/taxonomy/product_types.json (the app reads only that file).

Each type: (slug, French label, English label, French synonyms, English synonyms, includes).
Synonyms are other names of the type itself (indexed with every product of the type); `includes`
are kinds of product of the type ("spaghetti" is a pâtes) and are used only to map names and
categories to the type: indexing them would make "spaghetti" find penne.
"""

from __future__ import annotations

S = str.split  # "a|b|c" lists below are split on "|"


def _t(slug, fr, en, syn_fr="", syn_en="", includes=""):
    return {
        "slug": slug,
        "fr": fr,
        "en": en,
        "synonyms_fr": [w for w in syn_fr.split("|") if w],
        "synonyms_en": [w for w in syn_en.split("|") if w],
        "includes": [w for w in includes.split("|") if w],
    }


# family slug, French, English, shop categories (shops/categories.py) that sell it, types
FAMILIES = [
    ("cremerie", "Crèmerie", "Dairy", "fromagerie epicerie epicerie-fine", [
        _t("lait", "Lait", "Milk", "", "", "lait demi-ecreme|lait entier|lait ecreme|lait cru|lait de chevre|lait de brebis|lait concentre|kefir|babeurre|lassi|ayran|lait en poudre|milkshake|boisson lactee"),
        _t("beurre", "Beurre", "Butter", "", "", "beurre doux|beurre demi-sel|beurre sale|beurre de baratte|beurre moule|margarine|matiere grasse laitiere"),
        _t("creme", "Crème fraîche", "Cream", "crème", "", "creme fraiche|creme epaisse|creme liquide|creme legere|creme entiere|creme fleurette|chantilly|creme fouettee|creme uht|creme semi-epaisse"),
        _t("oeufs", "Œufs", "Eggs", "oeuf", "egg", "oeuf|oeufs frais|oeuf de caille|oeufs de poule"),
        _t("yaourt", "Yaourts", "Yoghurts", "yaourt|yogourt", "yogurt|yoghurt", "yaourt|yoghourt|skyr|yaourt a boire|yaourt a la grecque|lait fermente|petit suisse"),
        _t("fromage-blanc", "Fromage blanc", "Quark and fromage frais", "faisselle", "quark|cottage cheese", "fromage blanc|faisselle|quark|cottage cheese"),
        _t("dessert-lacte", "Desserts lactés", "Dairy desserts", "crème dessert|flan", "custard|pudding", "creme dessert|flan|riz au lait|semoule au lait|liegeois|creme brulee|creme caramel|panna cotta|mousse au chocolat|ile flottante|creme anglaise|creme patissiere|pudding|dessert lacte|specialite laitiere|dessert au soja|gateau de semoule|gateau de riz"),
    ]),
    ("fromagerie", "Fromages", "Cheese", "fromagerie epicerie-fine epicerie", [
        _t("fromage-chevre", "Fromage de chèvre", "Goat's cheese", "chèvre", "goat cheese", "chevre|crottin|buche de chevre|rocamadour|sainte-maure|valencay|picodon|pelardon|chabichou|selles-sur-cher|pouligny"),
        _t("fromage-brebis", "Fromage de brebis", "Sheep's cheese", "brebis", "sheep cheese|ewe's cheese", "brebis|ossau-iraty|roquefort|feta|manchego|pecorino|etorki|tomme de brebis"),
        _t("fromage-pate-molle", "Fromage à pâte molle", "Soft cheese", "", "", "camembert|brie|coulommiers|munster|maroilles|livarot|pont-l'eveque|mont d'or|saint-marcellin|saint-felicien|brillat-savarin|chaource|langres|epoisses|neufchatel|vacherin|carre de l'est|reblochon|saint-nectaire"),
        _t("fromage-pate-pressee", "Fromage à pâte pressée", "Hard cheese", "", "", "emmental|comte|gruyere|beaufort|cantal|salers|laguiole|tomme|raclette|morbier|abondance|gouda|edam|mimolette|cheddar|maasdam|saint-paulin|fromage rape|tome|comte affine|mimolette vieille|leerdammer|tete de moine|appenzeller|fromage a raclette|fromage charolais"),
        _t("fromage-bleu", "Fromage bleu", "Blue cheese", "bleu|pâte persillée", "", "bleu|fourme|gorgonzola|stilton|bleu d'auvergne|fromage a pate persillee|fourme d'ambert|bleu de gex"),
        _t("fromage-italien", "Fromage italien", "Italian cheese", "", "", "mozzarella|burrata|ricotta|mascarpone|parmesan|parmigiano|grana padano|provolone|scamorza|taleggio"),
        _t("fromage-fondu", "Fromage fondu et à tartiner", "Processed and spreadable cheese", "", "cheese spread", "fromage fondu|fromage a tartiner|cancoillotte|fondue|fromage a pate fraiche|boursin|carre frais|kiri|vache qui rit|fromage frais"),
        _t("fromage", "Fromage", "Cheese", "fromage", "cheese", "fromage"),
    ]),
    ("boucherie", "Boucherie", "Meat", "boucherie", [
        _t("boeuf", "Bœuf", "Beef", "", "", "boeuf|steak|steak hache|entrecote|bavette|onglet|faux-filet|cote de boeuf|rumsteck|paleron|joue de boeuf|tournedos|roti de boeuf|viande hachee|pot-au-feu|langue de boeuf"),
        _t("porc", "Porc", "Pork", "", "", "porc|cote de porc|filet mignon|echine|travers|roti de porc|jarret|poitrine de porc|palette|epaule de porc"),
        _t("veau", "Veau", "Veal", "", "", "veau|escalope de veau|ris de veau|paupiette|blanquette|roti de veau|osso buco"),
        _t("agneau", "Agneau", "Lamb", "mouton", "mutton", "agneau|gigot|souris d'agneau|cote d'agneau|mouton|epaule d'agneau"),
        _t("volaille", "Volaille", "Poultry", "poulet|volaille", "chicken|poultry", "poulet|dinde|canard|pintade|chapon|caille|oie|poularde|magret|cuisse de poulet|filet de poulet|blanc de poulet|escalope de dinde|aiguillette|pigeon|nugget|cordon bleu|aile de poulet|confit de canard|manchon"),
        _t("gibier", "Gibier et lapin", "Game and rabbit", "gibier", "game", "lapin|lievre|cerf|chevreuil|sanglier|faisan|biche|gibier"),
    ]),
    ("charcuterie", "Charcuterie", "Cold cuts", "boucherie epicerie-fine traiteur", [
        _t("jambon", "Jambon", "Ham", "", "", "jambon|jambon blanc|jambon cru|jambon sec|prosciutto|serrano|jambon de bayonne|jambon de parme|speck|bresaola|viande des grisons|coppa|pancetta|jambonneau|des de jambon"),
        _t("saucisson", "Saucisson et salami", "Dry sausage and salami", "saucisson", "salami", "saucisson|salami|chorizo|rosette|fouet|saucisse seche|mortadelle|coppa|figatelli|viande sechee|lonzo"),
        _t("saucisse", "Saucisses", "Sausages", "saucisse", "sausage", "saucisse|merguez|chipolata|knack|cervelas|andouillette|andouille|boudin|diot|saucisse de strasbourg|saucisse de toulouse|saucisse de morteau|chair a saucisse|hot dog|francfort"),
        _t("pate-terrine", "Pâtés et terrines", "Pâtés and terrines", "pâté|terrine", "pâté|terrine", "pâté|terrine|rillettes|mousse de foie|pâté en croûte|galantine|fromage de tete|pâté de campagne|pâté de tête|rillons|grattons"),
        _t("foie-gras", "Foie gras", "Foie gras", "", "", "foie gras|bloc de foie gras|foie gras de canard|foie gras d'oie"),
        _t("lardons", "Lardons et bacon", "Bacon", "lardons", "bacon", "lardon|bacon|poitrine fumee|allumette"),
    ]),
    ("poissonnerie", "Poissonnerie", "Fish and seafood", "poissonnerie epicerie-fine", [
        _t("poisson", "Poisson frais", "Fish", "poisson", "fish", "poisson|saumon|cabillaud|bar|lieu|colin|merlu|truite|dorade|sole|maquereau|morue|pave de saumon|filet de poisson|lotte|thon frais|daurade|sardine fraiche|bar de ligne|eglefin|carrelet|rouget|julienne|merlan"),
        _t("poisson-fume", "Poisson fumé", "Smoked fish", "", "", "saumon fume|truite fumee|hareng|haddock|anguille fumee|gravlax"),
        _t("conserve-poisson", "Conserves de poisson", "Tinned fish", "", "canned fish", "sardine|sardines a l'huile|thon|miettes de thon|maquereau|anchois|filet de maquereau|rillettes de thon|rillettes de saumon|rillettes de sardine|foie de morue"),
        _t("fruits-de-mer", "Fruits de mer", "Seafood", "crustacés|coquillages", "shellfish", "crevette|moule|huitre|crabe|homard|langoustine|saint-jacques|calmar|poulpe|encornet|bulot|bigorneau|coque|palourde|seiche|gamba|ecrevisse|plateau de fruits de mer|bisque"),
        _t("tarama-surimi", "Tarama, surimi et œufs de poisson", "Taramasalata, surimi and roe", "", "roe", "tarama|surimi|oeufs de lump|oeufs de saumon|caviar|boutargue|batonnet de surimi"),
    ]),
    ("fruits-legumes", "Fruits et légumes", "Fruit and vegetables", "primeur epicerie", [
        _t("fruits", "Fruits", "Fruit", "fruit", "fruit", "fruit|pomme|poire|orange|citron|fraise|framboise|banane|ananas|abricot|peche|mangue|raisin|cerise|kiwi|myrtille|cassis|clementine|mandarine|pamplemousse|melon|pasteque|prune|mirabelle|figue|grenade|litchi|fruits rouges|agrume|nectarine|groseille|mure|fruit de la passion|citron vert|coing|rhubarbe"),
        _t("legumes", "Légumes", "Vegetables", "légume", "vegetable|veg", "legume|tomate|carotte|courgette|aubergine|poivron|epinard|haricot vert|petit pois|salade|laitue|concombre|chou|brocoli|poireau|oignon|echalote|ail|pomme de terre|patate douce|betterave|navet|radis|celeri|fenouil|artichaut|asperge|champignon|courge|potiron|potimarron|mais doux|endive|cornichon|coeur de palmier|coeur d'artichaut|champignon de paris|cepe|girolle|truffe|legumes et derives|tomate sechee|puree de tomate|pousse"),
        _t("fruits-secs", "Fruits secs et oléagineux", "Nuts and dried fruit", "fruits secs|oléagineux", "nuts|dried fruit", "amande|noix|noisette|pistache|cacahuete|noix de cajou|noix de coco|pruneau|datte|abricot sec|raisin sec|figue sechee|noix de pecan|noix du bresil|pignon|chataigne|graine de courge|graine de tournesol|fruits secs|melange de fruits secs|cranberries sechees|baie de goji"),
    ]),
    ("boulangerie", "Boulangerie", "Bakery", "boulangerie", [
        _t("pain", "Pain", "Bread", "pain", "bread|loaf", "pain|baguette|pain de mie|pain complet|pain de campagne|pain de seigle|pain aux cereales|ficelle|boule|batard|fougasse|bagel|pain burger|pain pita|naan|tortilla|wrap|pain azyme|ciabatta|focaccia|pain au levain|tradition|pain multicereale|pain precuit"),
        _t("viennoiserie", "Viennoiseries", "Pastries (viennoiserie)", "viennoiserie", "pastry|pastries", "croissant|pain au chocolat|chocolatine|brioche|pain au lait|pain aux raisins|chausson aux pommes|kouign-amann|briochette|gache|panettone|pandoro|brioche tressee|pain brioche|chinois|oranais"),
        _t("patisserie", "Pâtisseries", "Cakes and pastries", "pâtisserie|gâteau", "cake|pastry", "patisserie|eclair|tarte|tartelette|flan patissier|millefeuille|mille-feuille|galette des rois|couronne des rois|canele|macaron|baba au rhum|profiterole|paris-brest|religieuse|fraisier|framboisier|opera|saint-honore|meringue|chou a la creme|tiramisu|cheesecake|bûche|buche de noel|entremets|tarte tatin|tarte au citron|rocher coco|tropezienne|far breton|clafoutis|genoise"),
        _t("biscottes", "Biscottes et pains grillés", "Rusks and crispbread", "", "toast|crispbread", "biscotte|pain grille|petit pain grille|gressin|crouton|chapelure|tartine craquante|cracotte|pain suedois|wasa|galette de riz soufflé|galette de riz souffle|galette de mais|galette de ble|galette d'epeautre"),
    ]),
    ("epicerie-salee", "Épicerie salée", "Savoury groceries", "epicerie epicerie-fine", [
        _t("pates", "Pâtes", "Pasta", "pâtes alimentaires|pâte", "pasta|noodles", "pates|pate alimentaire|spaghetti|spaghettis|tagliatelle|coquillette|penne|farfalle|fusilli|torsade|macaroni|linguine|fettuccine|fettucini|lasagne a garnir|feuille de lasagne|nouille|vermicelle|gnocchi|ravioli|raviole|tortellini|cannelloni|conchiglie|rigatoni|orecchiette|pappardelle|capellini|crozet|pate d'alsace|pates fraiches|pates aux oeufs|pate de riz|nouille de riz|nouilles chinoises|udon|soba|ramen|pates completes|coquillettes|torsades|papillons|cheveux d'ange|plumes|orzo|langues d'oiseau"),
        _t("riz", "Riz", "Rice", "", "", "riz|riz basmati|riz thai|riz long grain|riz complet|riz rond|riz arborio|riz pour risotto|riz sauvage|riz rouge|riz noir|riz gluant|riz etuve"),
        _t("legumineuses", "Légumes secs", "Pulses", "légumineuses|légumes secs", "pulses|legumes|beans", "lentille|pois chiche|haricot blanc|haricot rouge|haricot sec|flageolet|feve|pois casse|haricot noir|haricot mungo|azuki|lupin|soja|feve de soja|lingot|coco de paimpol|legumineuse"),
        _t("cereales-graines", "Céréales et graines", "Grains and seeds", "graines|céréales", "grains|seeds", "quinoa|boulghour|boulgour|semoule|couscous graine|ble|epeautre|petit epeautre|polenta|sarrasin|millet|orge|avoine|chia|sesame|graine de lin|amarante|teff|sorgho|cereales et derives|germe de ble|graine|pavot"),
        _t("farine", "Farines et levures", "Flour and baking", "farine", "flour|baking", "farine|levure|levure chimique|poudre a lever|fecule|maizena|amidon|bicarbonate|gelatine|pate a pizza|pate feuilletee|pate brisee|pate sablee|pate a tarte|preparation pour gateau|preparation pour crepes|aide a la patisserie|feuille de brick|pate a sucre|nappage|colorant alimentaire|arome|sucre glace"),
        _t("huile", "Huiles", "Oils", "huile", "oil", "huile|huile d'olive|huile de tournesol|huile de colza|huile de noix|huile de sesame|huile d'arachide|huile vierge extra|saindoux|graisse de canard|graisse d'oie"),
        _t("vinaigre", "Vinaigres", "Vinegar", "vinaigre", "vinegar", "vinaigre|vinaigre balsamique|vinaigre de cidre|vinaigre de vin|creme de vinaigre|vinaigre de xeres|vinaigre de riz"),
        _t("sauces", "Sauces", "Sauces", "sauce", "sauce", "sauce|sauce tomate|pesto|sauce bolognaise|sauce soja|sauce curry|sauce barbecue|sauce pour pates|sauce carbonara|sauce bearnaise|sauce hollandaise|sauce piquante|harissa|tabasco|sriracha|coulis de tomate|concentre de tomate|pulpe de tomate|tomates pelees|sauce nuoc-mam|pate de curry|sauce au poivre|fond de veau|fond de volaille"),
        _t("condiments", "Condiments", "Condiments", "condiment", "condiment|relish", "moutarde|mayonnaise|ketchup|cornichon|capre|vinaigrette|pickles|chutney|piccalilli|condiment|moutarde de dijon|raifort|rouille|aioli|wasabi"),
        _t("epices", "Épices, sel et herbes", "Spices, salt and herbs", "épices|aromates", "spices|herbs|seasoning", "epice|sel|fleur de sel|gros sel|poivre|curry|paprika|cumin|curcuma|cannelle|muscade|gingembre|safran|piment|vanille|gousse de vanille|herbes de provence|thym|romarin|basilic|persil|coriandre|menthe|ciboulette|estragon|aneth|origan|laurier|bouquet garni|clou de girofle|cardamome|quatre epices|ras el hanout|badiane|sauge|ail semoule|melange d'epices|sel de guerande"),
        _t("bouillons", "Bouillons et fonds", "Stock", "bouillon", "stock|broth", "bouillon|bouillon cube|court-bouillon|fumet|bouillon de volaille|bouillon de legumes|bouillon de boeuf"),
        _t("conserves", "Conserves", "Tinned food", "conserve", "canned food|tins", "conserve|boite|bocal|macedoine|ratatouille en conserve|haricots a la tomate|legumes cuits|legumes au vinaigre|poivrons grilles|champignons a la grecque"),
    ]),
    ("aperitif", "Apéritif", "Snacks and nibbles", "epicerie epicerie-fine caviste", [
        _t("chips", "Chips", "Crisps", "", "chips|crisps", "chips|chips de mais|tortilla chips|chips a l'ancienne|chips de legumes|pop-corn sale|popcorn sale|chips de pommes de terre|chips paysanne"),
        _t("biscuits-aperitif", "Biscuits apéritifs", "Crackers and savoury biscuits", "", "crackers|savoury biscuits", "biscuit aperitif|cracker|bretzel|tuile salee|palmier sale|gressin|cacahuete salee|pistache salee|noix de cajou salee|amuse-gueule|snack sale|blini|cake sale|fougasse"),
        _t("tartinables", "Olives et tartinades", "Olives and dips", "olives|tartinade", "olives|dips|spreads", "olive|tapenade|houmous|hoummous|caviar d'aubergine|tzatziki|guacamole|anchoiade|tartinade|pate a tartiner salee|moutabal|baba ganoush|ktipiti|tarama|poivrons marines|tomate confite|antipasti"),
    ]),
    ("epicerie-sucree", "Épicerie sucrée", "Sweet groceries", "epicerie epicerie-fine", [
        _t("sucre", "Sucre et édulcorants", "Sugar and sweeteners", "sucre", "sugar|sweetener", "sucre|sucre de canne|cassonade|vergeoise|sucre vanille|sucre roux|edulcorant|stevia|sirop d'agave|sirop d'erable|sucre de coco|xylitol|fructose|sucre en morceaux|sucre en poudre|panela|melasse|glucose|sucre complet"),
        _t("barres", "Barres de céréales", "Cereal bars", "barre", "cereal bar|snack bar", "barre|barre de cereales|barre energetique|barre proteinee|barre aux fruits|snack"),
    ]),
    ("petit-dejeuner", "Petit-déjeuner", "Breakfast", "epicerie epicerie-fine boulangerie", [
        _t("cereales-petit-dejeuner", "Céréales du petit-déjeuner", "Breakfast cereals", "céréales|céréales petit-déjeuner|céréales petit déjeuner", "cereal|breakfast cereal|cereals", "muesli|granola|corn flakes|corn-flakes|flocons d'avoine|porridge|petales de ble|petales de mais|riz souffle|ble souffle|cereales fourrees|cereale|muesli croustillant|quinoa souffle|flocons|cereales petit-dejeuner|petit-dejeuner|cereales au chocolat|chocapic|special k|crunch"),
        _t("confiture", "Confitures", "Jams", "confiture", "jam|marmalade|preserves", "confiture|marmelade|gelee de fruits|gelee de coing|gelee de groseille|confiture de lait|creme de marron|compote a tartiner|fruits a tartiner|creme de citron|lemon curd|gelee"),
        _t("miel", "Miel", "Honey", "", "", "miel|miel d'acacia|miel de fleurs|miel de lavande|miel de montagne|miel de thym|miel de chataignier|pollen|gelee royale|propolis"),
        _t("pate-a-tartiner", "Pâtes à tartiner", "Sweet spreads", "pâte à tartiner", "chocolate spread|spread", "pate a tartiner|nutella|pate a tartiner aux noisettes|beurre de cacahuete|puree d'amande|puree de noisette|creme de marrons|speculoos a tartiner"),
    ]),
    ("biscuits-gateaux", "Biscuits et gâteaux", "Biscuits and cakes", "boulangerie epicerie chocolatier", [
        _t("biscuits", "Biscuits", "Biscuits", "biscuit|gâteaux secs", "biscuits|cookies", "biscuit|cookie|sable|petit beurre|speculoos|gaufrette|palet|boudoir|langue de chat|galette bretonne|galette pur beurre|crepe dentelle|barquette|florentin|amaretti|cantucci|tuile|biscuit fourre|biscuit au chocolat|biscuit rose|macaron sec|canistrelli|croquant|biscuit sec|shortbread|petit ecolier"),
        _t("gateaux", "Gâteaux", "Cakes", "gâteau", "cake|cakes", "gateau|madeleine|quatre-quarts|brownie|financier|muffin|cake|pain d'epices|gateau breton|fondant au chocolat|moelleux|donut|beignet|crepe|pancake|gaufre|nonnette|cheesecake|gateau marbre|far|carrot cake|blondie|kouglof|cake aux fruits|gaufre liegeoise"),
    ]),
    ("chocolat-confiserie", "Chocolat et confiserie", "Chocolate and sweets", "chocolatier epicerie epicerie-fine", [
        _t("chocolat", "Chocolat", "Chocolate", "chocolat", "chocolate", "chocolat|chocolat noir|chocolat au lait|chocolat blanc|tablette de chocolat|praline|truffe au chocolat|bonbon de chocolat|cacao|cacao en poudre|chocolat en poudre|orangette|ganache|mendiant|lapin en chocolat|oeuf en chocolat|barre chocolatee|rocher|assortiment de chocolats|feve de cacao|chocolat chaud"),
        _t("bonbons", "Bonbons et confiseries", "Sweets", "bonbons|confiserie", "sweets|candy|confectionery", "bonbon|caramel|guimauve|nougat|sucette|chewing-gum|pate de fruits|calisson|dragee|reglisse|pate d'amande|marron glace|fruit confit|berlingot|sucre d'orge|betise de cambrai|halva|touron|marshmallow|bonbon gelifie|barbe a papa|jelly bean|confiserie|massepain|nougatine|praline rose|caramel au beurre sale|orangette"),
    ]),
    ("desserts-glaces", "Desserts et glaces", "Desserts and ice cream", "chocolatier epicerie traiteur", [
        _t("glaces", "Glaces et sorbets", "Ice cream and sorbets", "glace|sorbet", "ice cream|sorbet|ice-cream", "glace|sorbet|creme glacee|batonnet glace|buche glacee|cone glace|esquimau|mochi|granite|vacherin glace|pot de glace|gelato"),
        _t("compotes", "Compotes et desserts de fruits", "Fruit purées and desserts", "compote", "compote|apple sauce|applesauce", "compote|puree de fruits|fruits au sirop|dessert de fruits|cocktail de fruits|gourde de fruits|salade de fruits|lychees au sirop|compote de pommes|compote pomme"),
    ]),
    ("boissons", "Boissons", "Drinks", "epicerie caviste", [
        _t("eau", "Eaux", "Water", "eau minérale|eau gazeuse", "mineral water|sparkling water", "eau|eau minerale|eau de source|eau gazeuse|eau petillante|eau aromatisee|eau de coco"),
        _t("jus", "Jus de fruits et smoothies", "Juice and smoothies", "jus", "juice|smoothie", "jus|nectar|smoothie|pur jus|jus de pomme|jus d'orange|jus de raisin|jus de tomate|jus de legumes|jus multifruits|jus de citron"),
        _t("sodas", "Sodas et limonades", "Soft drinks", "soda|limonade", "soda|soft drink|lemonade|pop", "soda|cola|limonade|the glace|ice tea|tonic|ginger beer|citronnade|boisson gazeuse|boisson energisante|diabolo|kombucha|biere de gingembre|boisson aux fruits|cocktail sans alcool|orangeade"),
        _t("sirops", "Sirops", "Syrups and cordials", "sirop", "syrup|cordial", "sirop|sirop de grenadine|sirop de menthe|sirop de fraise|sirop de citron|sirop d'orgeat|sirop de cassis"),
        _t("boissons-vegetales", "Boissons végétales", "Plant-based milks", "lait végétal", "plant milk|oat milk|almond milk|soy milk", "lait d'amande|boisson vegetale|boisson soja|boisson au riz|boisson a l'avoine|lait de soja|lait de coco|lait d'avoine|lait de riz|boisson d'epeautre|horchata"),
    ]),
    ("cafe-the", "Café, thé et infusions", "Coffee and tea", "epicerie epicerie-fine", [
        _t("cafe", "Café", "Coffee", "café", "coffee", "cafe|cafe moulu|cafe en grains|cafe soluble|dosette|capsule de cafe|expresso|espresso|arabica|robusta|chicoree|cafe decafeine"),
        _t("the", "Thé", "Tea", "thé", "tea", "the|the vert|the noir|the blanc|the earl grey|the a la menthe|matcha|sencha|oolong|chai|the au jasmin|genmaicha"),
        _t("infusion", "Infusions", "Herbal teas", "tisane|infusion", "herbal tea|infusion", "infusion|tisane|verveine|camomille|tilleul|rooibos|hibiscus|menthe poivree|fleur d'oranger|eucalyptus|valeriane"),
    ]),
    ("vins-alcools", "Vins, bières et spiritueux", "Wine, beer and spirits", "caviste epicerie-fine", [
        _t("vin-rouge", "Vin rouge", "Red wine", "vin", "wine", "vin rouge|bordeaux|bourgogne|cotes du rhone|beaujolais|medoc|saint-emilion|chinon|bourgueil|cahors|madiran|pinot noir|merlot|cabernet|syrah|gamay|grenache|chateauneuf-du-pape|crozes-hermitage|saint-joseph|pomerol|morgon|fleurie|languedoc|corbieres|minervois|bandol|vin nature|pays d'oc"),
        _t("vin-blanc", "Vin blanc", "White wine", "vin", "wine", "vin blanc|chablis|sancerre|muscadet|riesling|gewurztraminer|chardonnay|sauvignon|pouilly-fume|vouvray|alsace|meursault|viognier|chenin|muscat|jurancon|sauternes|vin jaune|entre-deux-mers|picpoul"),
        _t("vin-rose", "Vin rosé", "Rosé wine", "vin", "wine", "vin rose|rose de provence|cotes de provence|tavel|rose"),
        _t("champagne", "Champagne et vins effervescents", "Champagne and sparkling wine", "champagne|bulles", "champagne|sparkling wine|bubbly", "champagne|cremant|mousseux|vin petillant|prosecco|cava|blanquette de limoux|clairette|vin perlant|petillant naturel"),
        _t("biere", "Bières", "Beer", "bière", "beer|ale|lager", "biere|biere blonde|biere blanche|biere ambree|biere brune|ipa|pale ale|stout|lager|pils|biere artisanale|panache|lambic|biere sans alcool|biere de garde"),
        _t("cidre", "Cidre et poiré", "Cider and perry", "cidre", "cider|perry", "cidre|cidre brut|cidre doux|cidre bouche"),
        _t("spiritueux", "Spiritueux", "Spirits", "alcool fort|eau-de-vie", "spirits|liquor", "whisky|whiskey|rhum|vodka|gin|cognac|armagnac|calvados|pastis|liqueur|eau-de-vie|absinthe|tequila|mezcal|porto|kirsch|limoncello|creme de cassis|bourbon|punch|vermouth|get 27|chartreuse|aperitif|digestif|marc|poire williams|boisson alcoolisee"),
    ]),
    ("plats-prepares", "Plats préparés et traiteur", "Ready meals and deli", "traiteur epicerie boucherie", [
        _t("plats-cuisines", "Plats cuisinés", "Ready meals", "plat du jour|plat cuisiné", "ready meal|dish of the day", "plat cuisine|couscous|paella|cassoulet|lasagne|hachis parmentier|blanquette de veau|boeuf bourguignon|choucroute|tajine|tagine|gratin|gratin dauphinois|risotto|chili con carne|chili|moussaka|tartiflette|aligot|petit sale|poulet basquaise|curry|parmentier|quenelle|brandade|poelee|box|plat du jour|dahl|dal|biryani|tikka masala|butter chicken|bo bun|pad thai|pho|riz cantonais|nouilles sautees|gratin de|saucisses aux lentilles|coq au vin|navarin|pot-au-feu|potee|falafel|kefta|boulette|lasagnes a la bolognaise|poutine|palak paneer|chich taouk|mezze"),
        _t("pizzas-tartes-salees", "Pizzas, quiches et tartes salées", "Pizzas, quiches and savoury tarts", "pizza|quiche", "pizza|quiche|savoury tart", "pizza|quiche|flammekueche|tarte flambee|tourte|calzone|tarte salee|feuillete|croque-monsieur|friand|galette complete|galette de ble noir|galette sarrasin|crepe salee|tielle|pissaladiere|empanada"),
        _t("soupes", "Soupes", "Soups", "soupe|potage|velouté", "soup|broth", "soupe|potage|veloute|gaspacho|gazpacho|bisque|soupe de poisson|minestrone|soupe miso|bouillon de nouilles|soupe de legumes"),
        _t("sandwichs", "Sandwichs et burgers", "Sandwiches and burgers", "sandwich|burger", "sandwich|burger", "sandwich|burger|hamburger|cheeseburger|wrap|panini|hot-dog|club sandwich|kebab|bagel garni|croque|tacos|banh mi"),
        _t("salades-traiteur", "Salades et entrées", "Salads and starters", "salade|entrée", "salad|starter", "taboule|salade|carottes rapees|celeri remoulade|coleslaw|salade piemontaise|oeufs mimosa|salade de lentilles|salade de pates|crudites|piemontaise|salade cesar|assiette de mezzes"),
        _t("cuisine-du-monde", "Cuisine asiatique et du monde", "Asian and world food", "asiatique", "asian food|world food", "nem|sushi|maki|sashimi|samoussa|samossa|gyoza|dim sum|rouleau de printemps|onigiri|bento|naan au fromage|cheese naan|accras|acras|fajitas|burrito|tapas|arancini|yakitori|poke"),
    ]),
    ("bebe", "Bébé", "Baby", "pharmacie epicerie", [
        _t("alimentation-bebe", "Alimentation bébé", "Baby food", "petit pot", "baby food", "petit pot|lait de croissance|lait 1er age|lait 2eme age|lait infantile|cereales pour bebe|biscuit pour bebe|aliment pour bebe|des 6 mois|des 8 mois|des 12 mois|lait pour bebe"),
        _t("puericulture", "Puériculture", "Baby care", "bébé", "baby care|baby", "biberon|tetine|couche|liniment|lingette|tire-lait|coussin d'allaitement|creme pour le change|doudou|bavoir"),
    ]),
    ("sante", "Santé et parapharmacie", "Health and pharmacy", "pharmacie", [
        _t("complements", "Compléments alimentaires", "Supplements", "vitamines", "supplements|vitamins", "vitamine|spiruline|complement alimentaire|proteine en poudre|glutamine|magnesium|omega 3|probiotique|levure de biere|gelule|boisson proteinee"),
        _t("parapharmacie", "Parapharmacie", "Pharmacy products", "pharmacie|parapharmacie", "pharmacy|chemist", "pansement|thermometre|serum physiologique|gel hydroalcoolique|spray nasal|creme solaire|baume apaisant|compresse|masque chirurgical|antiseptique|genouillere|chevillere|canne|bas de contention|semelle orthopedique|orthopedie|attelle"),
    ]),
    ("livres", "Livres", "Books", "librairie papeterie", [
        _t("romans", "Romans et littérature", "Fiction", "roman|littérature|polar", "novel|fiction|literature|crime novel", "roman|litterature|polar|policier|thriller|nouvelle|poesie|theatre|science-fiction|fantasy|classique|essai|recit|roman policier|poche"),
        _t("livres-jeunesse", "Livres jeunesse", "Children's books", "jeunesse|livre pour enfants|album jeunesse", "children's books|children's book|kids' books|picture book", "jeunesse|album|conte|livre pour enfant|livre enfant|premieres lectures|roman jeunesse|livre d'eveil|imagier|livre-jeu"),
        _t("bandes-dessinees", "Bandes dessinées et mangas", "Comics and manga", "BD|bande dessinée|manga", "comics|comic book|graphic novel|manga", "bande dessinee|bd|manga|comics|roman graphique"),
        _t("beaux-livres", "Beaux livres et guides", "Art books and guides", "guide|livre pratique|beau livre", "guidebook|art book|cookbook", "beau livre|guide|livre de cuisine|livre pratique|art|photographie|voyage|balade|histoire de paris|jardinage|livre de recettes|atlas|carte routiere"),
        _t("livres", "Livres", "Books", "livre", "book|books", "livre|ouvrage|edition|tome"),
    ]),
    ("papeterie-presse", "Papeterie et presse", "Stationery and press", "papeterie librairie", [
        _t("papeterie", "Papeterie", "Stationery", "fournitures", "stationery|writing supplies", "carnet|cahier|stylo|crayon|feutre|agenda|bloc-notes|classeur|enveloppe|trousse|gomme|surligneur|papier|carte postale|carte d'anniversaire|calendrier|marque-page|stylo plume|encre|ecriture"),
        _t("presse", "Presse et magazines", "Newspapers and magazines", "journal|magazine", "newspaper|magazine|press", "journal|magazine|quotidien|hebdomadaire|revue|le monde|le parisien|liberation|l'equipe|telerama|le canard enchaine|le figaro|presse"),
    ]),
    ("musique", "Musique", "Music", "disquaire", [
        _t("disques", "Disques et vinyles", "Records", "vinyle|disque|CD", "record|vinyl|cd|album", "vinyle|disque|cd|33 tours|45 tours|album|lp|jazz|classique|chanson francaise|rock|pop|rap|electro|musique du monde|blues|soul|reggae"),
    ]),
    ("fleurs-plantes", "Fleurs et plantes", "Flowers and plants", "fleuriste", [
        _t("bouquets", "Bouquets et fleurs coupées", "Bouquets and cut flowers", "bouquet|fleurs", "bouquet|flowers|cut flowers", "bouquet|rose|tulipe|pivoine|renoncule|anemone|lys|gerbera|marguerite|tournesol|fleurs coupees|bouquet de mariee|boutonniere|fleurs sechees|couronne de fleurs|composition florale|composition|centre de table|brassee"),
        _t("plantes", "Plantes", "Plants", "plante", "plant|houseplant|pot plant", "plante|plante verte|orchidee|cactus|succulente|bonsai|monstera|ficus|pothos|calathea|olivier|lavande|sansevieria|fougere|terrarium|plante en pot|aromatique en pot|palmier|bulbe"),
        _t("jardin", "Jardinage", "Gardening", "jardin", "gardening|garden", "terreau|engrais|pot de fleurs|jardiniere|cache-pot|graines a semer|arrosoir|secateur|outil de jardin"),
    ]),
    ("mode", "Mode", "Fashion", "mode sport artisanat", [
        _t("vetements", "Vêtements", "Clothes", "vêtement|habit", "clothes|clothing|garment", "vetement|t-shirt|tee-shirt|chemise|pull|sweat|robe|jupe|pantalon|jean|veste|manteau|blouson|gilet|short|chemisier|polo|costume|cardigan|pyjama|lingerie|chaussette|legging|coupe-vent|sous-vetement"),
        _t("chaussures", "Chaussures", "Shoes", "chaussure", "shoes|footwear", "chaussure|basket|sneaker|botte|bottine|sandale|escarpin|mocassin|derby|espadrille|chausson|tong"),
        _t("accessoires-mode", "Accessoires de mode", "Fashion accessories", "accessoire", "accessories", "sac|ceinture|echarpe|bonnet|chapeau|casquette|foulard|gants|tote bag|portefeuille|pochette|porte-cartes|lunettes de soleil|cravate|parapluie|etui a lunettes|trousse|cabas|sac cabas|maroquinerie|cuir|textile et cuir"),
        _t("bijoux", "Bijoux", "Jewellery", "bijou", "jewellery|jewelry", "bijou|collier|bague|bracelet|boucles d'oreilles|broche|pendentif|montre|chaine|coupelle a bijoux"),
    ]),
    ("maison", "Maison et décoration", "Home and decoration", "maison artisanat", [
        _t("decoration", "Décoration", "Home decoration", "déco|décoration", "decor|decoration|home decor", "decoration|bougie|vase|cadre|coussin|miroir|affiche|lampe|luminaire|tapis|objet deco|photophore|plaid|suspension|bougie parfumee|diffuseur|deco"),
        _t("art-de-la-table", "Vaisselle et cuisine", "Tableware and kitchenware", "vaisselle|arts de la table", "tableware|kitchenware|crockery", "assiette|bol|tasse|mug|verre|carafe|theiere|saladier|couverts|casserole|poele|couteau|planche a decouper|torchon|nappe|ustensile|pichet|coupelle|ceramique|faience|gres|porcelaine|cuisine et table"),
        _t("linge-maison", "Linge de maison", "Household linen", "linge", "linen|bedding", "drap|housse de couette|taie|serviette de bain|linge de lit|parure|nappe|couette|oreiller|rideau"),
    ]),
    ("beaute", "Beauté et hygiène", "Beauty and personal care", "beaute pharmacie", [
        _t("soins", "Soins du visage et du corps", "Skincare", "soin|cosmétique", "skincare|cosmetics|beauty", "creme|serum|baume|lait corps|huile seche|masque|lotion|demaquillant|creme hydratante|creme mains|soin|contour des yeux|gommage|beurre de karite|baume a levres|cosmetique"),
        _t("hygiene", "Savons et hygiène", "Soap and toiletries", "savon|hygiène", "soap|toiletries", "savon|gel douche|shampoing|shampooing|apres-shampoing|dentifrice|brosse a dents|deodorant|sels de bain|savon de marseille|shampoing solide|bain moussant"),
        _t("parfums", "Parfums", "Perfume", "parfum", "perfume|fragrance", "parfum|eau de toilette|eau de parfum|eau de cologne|brume"),
        _t("maquillage", "Maquillage", "Make-up", "maquillage", "make-up|makeup", "rouge a levres|mascara|fard|vernis|fond de teint|crayon a yeux|poudre|blush|eye-liner|gloss"),
    ]),
    ("sport-loisirs", "Sport et loisirs", "Sport and leisure", "sport jouets", [
        _t("articles-sport", "Articles de sport", "Sports equipment", "sport", "sports equipment|sport", "ballon|raquette|tapis de yoga|corde a sauter|gourde|velo|skate|roller|halteres|bande elastique|running|fitness|tennis|football|natation|randonnee|planche de skate|equipement|textile sport|legging de sport"),
    ]),
    ("jouets-jeux", "Jouets et jeux", "Toys and games", "jouets papeterie librairie", [
        _t("jouets", "Jouets", "Toys", "jouet", "toy|toys", "jouet|peluche|poupee|figurine|voiture|train en bois|cubes|toupie|xylophone|cheval a bascule|boite a formes|jeu de construction|doudou|hochet|jouets en bois|jouet en bois|puzzle a encastrer|cerf-volant|dinette|marionnette"),
        _t("jeux-societe", "Jeux de société", "Board games", "jeu|jeu de société", "board game|game|games", "jeu de societe|jeu|puzzle|echecs|dames|dominos|jeu de cartes|tarot|memory|mille bornes|jeu de l'oie|jeu de cooperation|jeux de societe"),
        _t("loisirs-creatifs", "Loisirs créatifs", "Arts and crafts", "loisirs créatifs|activités manuelles", "arts and crafts|craft kit", "pate a modeler|kit de perles|coffret de peinture|craie|coloriage|gommette|peinture|aquarelle|kit creatif|carnet de coloriage|loisirs creatifs|tricot|laine a tricoter|mercerie"),
    ]),
    ("bricolage", "Bricolage", "DIY and hardware", "bricolage", [
        _t("outils", "Outillage", "Tools", "outil", "tools|tool", "outil|outillage|tournevis|marteau|metre ruban|pince|niveau a bulle|cle a molette|cle allen|scie|perceuse|visseuse|ponceuse|cutter|escabeau|burin"),
        _t("quincaillerie", "Quincaillerie", "Hardware", "quincaillerie", "hardware|ironmongery", "vis|cheville|clou|crochet|ampoule|ruban adhesif|joint silicone|colle|serrure|cadenas|charniere|piles|rallonge|multiprise|scotch|quincaillerie|double de cle|cle minute"),
        _t("peinture-droguerie", "Peinture et droguerie", "Paint and household goods", "peinture|droguerie", "paint|cleaning products", "peinture|pinceau|rouleau|vernis a bois|lasure|enduit|produit menager|eponge|balai|lessive|detergent|javel|vinaigre blanc menager"),
    ]),
    ("high-tech", "Informatique et téléphonie", "Computers and phones", "informatique", [
        _t("accessoires-high-tech", "Accessoires informatiques et téléphones", "Computer and phone accessories", "accessoire informatique", "tech accessories|phone accessories", "cable|chargeur|coque|verre trempe|souris|clavier|cle usb|ecouteurs|casque audio|batterie externe|adaptateur|enceinte|disque dur|carte memoire|ecran"),
        _t("appareils", "Téléphones, ordinateurs et tablettes", "Phones, computers and tablets", "téléphone|ordinateur", "phone|computer|laptop|tablet", "smartphone|telephone|ordinateur|ordinateur portable|tablette|reconditionne|imprimante|console|montre connectee"),
        _t("reparation", "Réparations et services informatiques", "Repairs and IT services", "réparation", "repair|repairs", "reparation|remplacement d'ecran|remplacement de batterie|diagnostic|installation|recuperation de donnees|depannage|nettoyage et diagnostic"),
    ]),
    ("services", "Services", "Services", "services", [
        _t("pressing", "Pressing et laverie", "Dry cleaning and laundry", "pressing|laverie|nettoyage", "dry cleaning|laundry|laundrette", "pressing|laverie|lavage|sechage|nettoyage a sec|repassage|blanchisserie|chemise|costume|couette|pliage"),
        _t("retouches", "Retouches et cordonnerie", "Alterations and shoe repair", "retouche|cordonnerie", "alterations|shoe repair|cobbler", "retouche|ourlet|cordonnerie|ressemelage|couture|talon|reparation de chaussures"),
    ]),
]

# When no rule finds a type: the type a shop of this category most likely sells.
SHOP_DEFAULTS = {
    "boulangerie": "pain", "boucherie": "boeuf", "fromagerie": "fromage", "poissonnerie": "poisson",
    "primeur": "legumes", "epicerie": "conserves", "epicerie-fine": "conserves",
    "chocolatier": "chocolat", "caviste": "vin-rouge", "traiteur": "plats-cuisines",
    "librairie": "livres", "papeterie": "papeterie", "disquaire": "disques",
    "fleuriste": "bouquets", "mode": "vetements", "maison": "decoration",
    "artisanat": "decoration", "beaute": "soins", "pharmacie": "parapharmacie",
    "sport": "articles-sport", "jouets": "jouets", "bricolage": "quincaillerie",
    "informatique": "accessoires-high-tech", "services": "pressing",
}

# Words of shop descriptions and specialities with their English (and French) other names, so
# "organic wine shop" finds a "caviste bio" and "librairie jeunesse" a "children's bookshop".
QUALIFIERS = [
    ("bio", "organic|organique", "biologique"),
    ("biologique", "organic", "bio"),
    ("nature", "natural|natural wine", "naturel"),
    ("naturel", "natural", "nature"),
    ("jeunesse", "children's|children|kids", "enfant|enfants"),
    ("enfant", "children's|children|kids", "jeunesse"),
    ("vegan", "vegan|plant-based", "végétalien"),
    ("vegetarien", "vegetarian|veggie", "végétarien"),
    ("sans gluten", "gluten-free", ""),
    ("artisanal", "artisan|craft|handmade", "artisan|fait main"),
    ("fait maison", "homemade|home-made", "maison"),
    ("occasion", "second-hand|used|secondhand", "seconde main"),
    ("vrac", "bulk|zero waste|loose", "zéro déchet"),
    ("local", "local", "producteurs locaux"),
    ("italien", "italian", "italie"),
    ("japonais", "japanese", "japon"),
    ("libanais", "lebanese", "liban"),
    ("grec", "greek", "grèce"),
    ("portugais", "portuguese", "portugal"),
    ("asiatique", "asian", "asie"),
    ("africain", "african", "afrique"),
    ("halal", "halal", ""),
    ("casher", "kosher", "kasher"),
    ("commerce equitable", "fair trade|fairtrade", "équitable"),
    ("ancien", "antique|vintage", "brocante"),
    ("independant", "independent", ""),
]

# The shared data's aisles and other wide headings: they name a family at most, never a type.
VAGUE = [
    "Apéritif", "Autres", "Biscuits et gâteaux", "Boissons", "Boucherie-Charcuterie",
    "Boulangerie-Viennoiserie", "Bébé", "Café, thé et infusions", "Chocolats et confiseries",
    "Crèmerie", "Diététique", "Fromagerie", "Fruits et légumes", "Glaces et desserts",
    "Petit-déjeuner", "Plats préparés", "Poissonnerie", "Surgelés", "Vins, bières et spiritueux",
    "Épicerie salée", "Épicerie sucrée", "Épicerie", "Divers", "Accessoires", "Produits",
]
