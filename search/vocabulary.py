"""The raw (unstemmed, folded) words of names: typo correction, "did you mean", completion.

Corrections are looked up through a bigram index (a word within edit distance k of another
shares most of its bigrams), then checked with a bounded edit distance: a few milliseconds
instead of the seconds FuzzyTermPlugin spent walking the whole term dictionary.
"""

from __future__ import annotations

import bisect
import heapq
import math
import threading
import time
from collections import Counter

from search.analysis import FRENCH_STOPS, words
from shops.categories import CATEGORIES

REFRESH_SECONDS = 60  # new words join the vocabulary within a minute
MAX_CANDIDATES = 400  # bigram candidates checked with the edit distance, at most
RARE_DOCS = 3  # a known word of so few documents may itself be a misspelling
FREQUENT_RATIO = 30  # ... when a neighbour is this many times more frequent


def max_distance(word: str) -> int:
    """Typos forgiven: none under 4 letters, 1 up to 7, 2 from 8."""
    n = len(word)
    return 0 if n < 4 else 1 if n < 8 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap counts as one), or limit + 1 when above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _grams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


class Vocabulary:
    """Folded name words with their document frequency."""

    def __init__(self, frequencies: dict[str, int]) -> None:
        self.freq = frequencies
        self.sorted = sorted(frequencies)
        self.grams: dict[str, list[str]] = {}
        for word in self.sorted:
            for gram in _grams(word):
                self.grams.setdefault(gram, []).append(word)

    def __contains__(self, word: str) -> bool:
        return word in self.freq

    def _near(self, word: str, k: int, prefix: bool = False) -> list[tuple[int, str]]:
        """(distance, word) of the known words within k edits (of their prefix when `prefix`)."""
        grams = _grams(word)
        if prefix:
            grams.discard(word[-1:] + "$")
        needed = max(1, len(grams) - 3 * k)
        counts: Counter[str] = Counter()
        for gram in grams:
            counts.update(self.grams.get(gram, ()))
        found = []
        for candidate, c in counts.most_common(MAX_CANDIDATES):
            if c < needed or candidate == word:
                continue
            if prefix:
                d = min(
                    distance(word, candidate[:n], k) for n in range(len(word) - 1, len(word) + 2)
                )
            else:
                d = distance(word, candidate, k)
            if d <= k:
                found.append((d, candidate))
        return found

    def cost(self, d: int, candidate: str) -> float:
        """Noisy-channel cost of a correction: one edit weighs as much as a 100x frequency."""
        return d - 0.5 * math.log10(self.freq[candidate] + 1)

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """The likeliest known words within max_distance: few edits and frequent words first.

        A word one edit away seen in 2 documents loses to a word two edits away seen in 500.
        """
        k = max_distance(word)
        if k == 0:
            return []
        near = self._near(word, k)
        if len(word) >= 5:  # a word cut short ("boucher" for boucherie) counts as one edit
            near += [(1, w) for w in self.completions(word, limit=2) if w != word]
        scored = sorted((self.cost(d, w), w) for d, w in near)
        return list(dict.fromkeys(w for _c, w in scored))[:limit]

    def is_rare(self, word: str) -> bool:
        """A known word of a handful of documents (perhaps a misspelled product name)."""
        return 0 < self.freq.get(word, 0) <= RARE_DOCS

    def frequent_neighbours(self, word: str, limit: int = 2) -> list[str]:
        """Known words one edit away that are far more frequent than this rare one."""
        if max_distance(word) == 0:
            return []
        floor = self.freq.get(word, 0) * FREQUENT_RATIO
        scored = sorted(
            (self.cost(d, w), w) for d, w in self._near(word, 1) if self.freq[w] >= floor
        )
        return [w for _c, w in scored[:limit]]

    def fuzzy_completions(self, prefix: str, limit: int = 3) -> list[str]:
        """Frequent known words whose beginning is one edit from `prefix` ("boulng")."""
        if len(prefix) < 4:
            return []
        near = self._near(prefix, 1, prefix=True)
        scored = sorted((self.cost(d, w), w) for d, w in near)
        return [w for _c, w in scored[:limit]]

    def completions(self, prefix: str, limit: int = 5) -> list[str]:
        """The most frequent known words starting with `prefix`."""
        start = bisect.bisect_left(self.sorted, prefix)
        end = bisect.bisect_left(self.sorted, prefix + "\uffff")
        window = self.sorted[start : min(end, start + 5000)]
        return heapq.nlargest(limit, window, key=self.freq.__getitem__)


def build(snapshot) -> Vocabulary:
    """Collect the name words of the index and the category labels."""
    frequencies: dict[str, int] = {}
    reader = snapshot.searcher.reader()
    for term, info in reader.iter_field("name_exact"):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        frequencies[text] = info.doc_frequency()
    for category in CATEGORIES:
        for word in words(f"{category.fr} {category.en}"):
            if word not in FRENCH_STOPS and len(word) > 2:
                frequencies[word] = frequencies.get(word, 0) + 1000
    return Vocabulary(frequencies)


SMALL_INDEX = 20_000  # below this, rebuilding on every index change costs nothing
_CACHE: dict[str, tuple[float, object, Vocabulary]] = {}
_LOCK = threading.Lock()


def vocabulary_for(index_dir: str, snapshot) -> Vocabulary:
    """The vocabulary of this index, rebuilt at most every REFRESH_SECONDS."""
    with _LOCK:
        found = _CACHE.get(index_dir)
        if found is not None:
            built_at, source, vocabulary = found
            fresh = time.monotonic() - built_at < REFRESH_SECONDS
            if source is snapshot or (fresh and snapshot.size >= SMALL_INDEX):
                return vocabulary
        vocabulary = build(snapshot)
        _CACHE[index_dir] = (time.monotonic(), snapshot, vocabulary)
        return vocabulary


def forget(index_dir: str) -> None:
    """Drop the cached vocabulary (after a rebuild, and in tests)."""
    with _LOCK:
        _CACHE.pop(index_dir, None)
