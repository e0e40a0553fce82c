"""Text analysis: accent folding, French and English analysers, and the user's words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stopwords_for_language
from whoosh.lang.porter import stem as english_stem
from whoosh.lang.snowball.french import FrenchStemmer

from search.glossary import translate_word

# Letters NFKD does not decompose; œufs and oeufs must meet.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o"})
WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_WORD = 40  # longer "words" are noise (or an attack) and are cut


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case `word` and strip its accents: "Crème Brûlée" -> "creme brulee"."""
    text = word.lower().translate(LIGATURES)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Elided particles (l', d', qu', j'...) are split off by the tokenizer and dropped as stop words.
ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"}
FRENCH_STOPS = frozenset({fold(w) for w in stopwords_for_language("fr")} | ELISIONS)
ENGLISH_STOPS = frozenset(stopwords_for_language("en"))
_french_stemmer = FrenchStemmer()


@lru_cache(maxsize=200_000)
def french_stem(word: str) -> str:
    """Snowball French stem of an already folded word."""
    return fold(_french_stemmer.stem(word))


class FoldFilter(Filter):
    """Accent and ligature folding (whoosh's accent_map leaves œ alone)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


class GlossaryFilter(Filter):
    """Replace French words by their English translations from the glossary."""

    def __call__(self, tokens):
        for t in tokens:
            for english in translate_word(t.text):
                t.text = english
                yield t


def _tokenizer():
    return RegexTokenizer(r"\w+") | LowercaseFilter() | FoldFilter()


def french_analyzer():
    """Folded, French stop words removed, Snowball-stemmed: matches plurals and variants."""
    return (
        _tokenizer()
        | StopFilter(stoplist=FRENCH_STOPS, minsize=1, maxsize=MAX_WORD)
        | StemFilter(stemfn=french_stem, cachesize=-1)
    )


def exact_analyzer():
    """Folded but not stemmed: keeps sauce apart from saucisse and pâtes from pâté."""
    return _tokenizer() | StopFilter(stoplist=FRENCH_STOPS, minsize=1, maxsize=MAX_WORD)


def english_analyzer():
    """French words translated to English by the glossary, English stop words, Porter stems."""
    return (
        _tokenizer()
        | GlossaryFilter()
        | StopFilter(stoplist=ENGLISH_STOPS, minsize=1, maxsize=MAX_WORD)
        | StemFilter(stemfn=english_stem, cachesize=-1)
    )


def english_query_analyzer():
    """English words as typed (no translation): the query side of `english_analyzer`."""
    return (
        _tokenizer()
        | StopFilter(stoplist=ENGLISH_STOPS, minsize=1, maxsize=MAX_WORD)
        | StemFilter(stemfn=english_stem, cachesize=-1)
    )


def words(text: str) -> list[str]:
    """Split text into folded words, as the exact field sees them (stop words kept)."""
    return [fold(w)[:MAX_WORD] for w in WORD_RE.findall(text or "")]


def content_words(text: str) -> list[str]:
    """Folded words without French stop words."""
    return [w for w in words(text) if w not in FRENCH_STOPS]


@lru_cache(maxsize=100_000)
def english_stem_word(word: str) -> str:
    """Porter stem of a folded word, or "" for an English stop word."""
    return "" if word in ENGLISH_STOPS else english_stem(word)
