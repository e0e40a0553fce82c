"""Text analysis: accent folding, French and English analysers, and the user's words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Token, Tokenizer
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


def _french(word: str) -> tuple[str, ...]:
    folded = fold(word)
    return () if folded in FRENCH_STOPS or len(folded) > MAX_WORD else (french_stem(folded),)


def _exact(word: str) -> tuple[str, ...]:
    folded = fold(word)
    return () if folded in FRENCH_STOPS or len(folded) > MAX_WORD else (folded,)


def _english(word: str) -> tuple[str, ...]:
    translated = translate_word(fold(word))
    return tuple(english_stem(e) for e in translated if e not in ENGLISH_STOPS)


def _english_query(word: str) -> tuple[str, ...]:
    folded = fold(word)
    return () if folded in ENGLISH_STOPS or len(folded) > MAX_WORD else (english_stem(folded),)


_TERMS = {
    name: lru_cache(maxsize=200_000)(fn)
    for name, fn in (
        ("french", _french),
        ("exact", _exact),
        ("english", _english),
        ("english_query", _english_query),
    )
}


class WordAnalyzer(Tokenizer):
    """Words -> index terms in one pass, with cached per-word results.

    The same steps as a chain of Whoosh filters (tokenize, fold, stop words, stem) at a few
    times the speed, which is most of the index build time.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __eq__(self, other) -> bool:
        return isinstance(other, WordAnalyzer) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        terms = _TERMS[self.kind]
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for match in WORD_RE.finditer(value):
            for text in terms(match.group()):
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = match.group()
                if positions:
                    token.pos = pos
                    pos += 1
                if chars:
                    token.startchar = start_char + match.start()
                    token.endchar = start_char + match.end()
                yield token


def french_analyzer():
    """Folded, French stop words removed, Snowball-stemmed: matches plurals and variants."""
    return WordAnalyzer("french")


def exact_analyzer():
    """Folded but not stemmed: keeps sauce apart from saucisse and pâtes from pâté."""
    return WordAnalyzer("exact")


def english_analyzer():
    """French words translated to English by the glossary, English stop words, Porter stems."""
    return WordAnalyzer("english")


def english_query_analyzer():
    """English words as typed (no translation): the query side of `english_analyzer`."""
    return WordAnalyzer("english_query")


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
