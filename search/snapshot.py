"""One process's long-lived view of the index: searcher, per-document columns, shops.

Opening a searcher costs ~50 ms, so each process keeps one per index folder and opens a new one
only when the index changed. Columns used by filters,
facets and sorts are read once per segment (segments never change) into arrays indexed by
document number, so a filter is a list lookup rather than a query.
"""

from __future__ import annotations

import os
import threading
import time
from array import array
from dataclasses import dataclass
from functools import cached_property

from whoosh import index

from search import store
from search.analysis import words
from search.postings import CACHE
from search.schema import FEATURED, IS_PRODUCT, price_band
from shops.categories import CATEGORIES
from shops.product_types import taxonomy

NO_BAND = 255
CATEGORY_CODES: list[str] = [c.code for c in CATEGORIES]
_CATEGORY_INDEX = {code: i for i, code in enumerate(CATEGORY_CODES)}


NO_TYPE = 0  # type index of shops and untyped products
TYPE_CODES: list[str] = ["", *taxonomy().types]  # < 255: one byte per document
_TYPE_INDEX = {code: i for i, code in enumerate(TYPE_CODES)}


def type_index(code: str) -> int:
    """The small integer of a product type slug (an unknown slug counts as untyped)."""
    return _TYPE_INDEX.get(code, NO_TYPE)


def category_index(code: str) -> int:
    """A small integer for a category code (unknown codes get one too)."""
    if code not in _CATEGORY_INDEX:
        _CATEGORY_INDEX[code] = len(CATEGORY_CODES)
        CATEGORY_CODES.append(code)
    return _CATEGORY_INDEX[code]


@dataclass(frozen=True)
class ShopInfo:
    """What queries need to know about a published shop."""

    id: int
    docnum: int
    name: str
    slug: str
    category: str
    postcode: str
    lat: float | None
    lon: float | None
    hours: tuple
    closures: tuple
    featured: bool
    address: str = ""  # the street: told apart from another shop of the same name
    rules: str = ""  # extra opening_hours rules and "PH off" (shops.opening.shop_rules)
    part_days: tuple = ()  # closures with times: (first, last ordinals, from/until minutes)


class SegmentData:
    """The columns of one segment, read once."""

    def __init__(self, reader) -> None:
        self.count = reader.doc_count_all()
        col = reader.column_reader
        self.shop_id = array("i", col("shop_id"))
        self.price = array("i", col("price_cents"))
        self.created = array("q", col("created"))
        self.flags = bytes(col("flags"))
        self.name_len = bytes(min(v, 255) for v in col("name_len"))
        self.band = bytes(  # price band of products; NO_BAND for shops
            price_band(p) if f & IS_PRODUCT else NO_BAND
            for p, f in zip(self.price, self.flags, strict=True)
        )
        self.category = bytes(
            min(category_index((v or b"").decode()), 255) for v in col("category_code")
        )
        types = col("type_code") if reader.has_column("type_code") else ()
        self.ptype = bytes(type_index((v or b"").decode()) for v in types) or bytes(self.count)
        self.shops = [
            (d, reader.stored_fields(d))
            for d in range(self.count)
            if not self.flags[d] & IS_PRODUCT and self.flags[d]
        ]


_SEGMENTS: dict[str, SegmentData] = {}


class Snapshot:
    """The index as one searcher sees it, plus global per-document arrays."""

    def __init__(self, searcher, generation) -> None:
        self.searcher = searcher
        self.generation = generation
        self.settled_mtime: int | None = None  # see up_to_date
        self.leaves = []  # (segment reader, offset, segment id)
        self.shop_id, self.price, self.created = array("i"), array("i"), array("q")
        flags, name_len, category, band = bytearray(), bytearray(), bytearray(), bytearray()
        ptype = bytearray()
        self.deleted: set[int] = set()
        self.shops: dict[int, ShopInfo] = {}
        for reader, offset in searcher.reader().leaf_readers():
            segid = reader.segment().segment_id()
            data = _SEGMENTS.get(segid) or _SEGMENTS.setdefault(segid, SegmentData(reader))
            self.leaves.append((reader, offset, segid))
            self.shop_id.extend(data.shop_id)
            self.price.extend(data.price)
            self.created.extend(data.created)
            flags += data.flags
            name_len += data.name_len
            category += data.category
            band += data.band
            ptype += data.ptype
            deleted = (
                {offset + d for d in reader.deleted_docs_set} if reader.has_deletions() else ()
            )
            self.deleted.update(deleted)
            for local, fields in data.shops:
                if offset + local not in self.deleted:
                    self._add_shop(offset + local, fields, data.flags[local])
        self.flags, self.name_len, self.category = bytes(flags), bytes(name_len), bytes(category)
        self.band = bytes(band)
        self.ptype = bytes(ptype)
        self.size = len(self.flags)
        self.avg_name_len = (sum(self.name_len) / self.size) if self.size else 1.0

    def _add_shop(self, docnum: int, fields: dict, flags: int) -> None:
        data = fields.get("data") or {}
        shop_id = self.shop_id[docnum]
        self.shops[shop_id] = ShopInfo(
            id=shop_id,
            docnum=docnum,
            name=fields.get("name", ""),
            slug=data.get("slug", ""),
            category=fields.get("category", ""),
            postcode=fields.get("postcode", ""),
            lat=data.get("lat"),
            lon=data.get("lon"),
            hours=tuple(data.get("hours") or ()),
            closures=tuple(data.get("closures") or ()),
            featured=bool(flags & FEATURED),
            address=data.get("address") or "",
            rules=data.get("rules") or "",
            part_days=tuple(data.get("part_days") or ()),
        )

    def postings(self, field: str, term: str) -> tuple[list[int], list[float]]:
        """Global document numbers and weights of `term` in `field`, deleted ones left out."""
        ids: list[int] = []
        weights: list[float] = []
        deleted = self.deleted
        for reader, offset, segid in self.leaves:
            seg_ids, seg_weights = CACHE.get(reader, segid, field, term)
            if not seg_ids:
                continue
            if offset == 0 and not deleted:
                ids.extend(seg_ids)
                weights.extend(seg_weights)
                continue
            for d, w in zip(seg_ids, seg_weights, strict=True):
                g = d + offset
                if g not in deleted:
                    ids.append(g)
                    weights.append(w)
        return ids, weights

    def live_docs(self) -> range | list[int]:
        """Every document number that is not deleted (the meta document included)."""
        if not self.deleted:
            return range(self.size)
        return [d for d in range(self.size) if d not in self.deleted]

    @cached_property
    def shop_words(self) -> list[tuple[ShopInfo, list[str]]]:
        """Each live shop with the folded words of its name (for autocomplete)."""
        return [
            (shop, words(shop.name))
            for shop in self.shops.values()
            if shop.docnum not in self.deleted
        ]

    def stored(self, docnum: int) -> dict:
        """The stored fields of a document."""
        return self.searcher.stored_fields(docnum)

    def up_to_date(self) -> bool:
        """True when no commit has been made to the index folder since this snapshot was opened.

        Whoosh finds out by listing the folder; a search asks at every request, so once the
        folder has been quiet for a while its modification time stands for "unchanged": one
        stat instead of a listing. File times move in coarse ticks, so a change made in the same
        tick as the last one can leave the time as it was: only a time older than SETTLED_NS is
        trusted (as git does with its "racily clean" files).
        """
        try:
            mtime = os.stat(self.generation).st_mtime_ns
        except OSError:
            return False
        if mtime == self.settled_mtime:
            return True
        fresh = self.searcher.up_to_date()
        if fresh and time.time_ns() - mtime > SETTLED_NS:
            self.settled_mtime = mtime
        return fresh

    @cached_property
    def position(self) -> dict:
        """The outbox position this snapshot of the index has applied."""
        return store.read_position(self.searcher)


MAX_OPEN = 8
# How long the index folder must have been left alone before its modification time is trusted
# to mean "unchanged" (Snapshot.up_to_date): above the coarsest file time of common file systems.
SETTLED_NS = 2_000_000_000
_LIVE: dict[str, Snapshot] = {}
_LOCK = threading.Lock()


def snapshot_for(index_dir: str) -> Snapshot:
    """This process's up-to-date snapshot of the index (raises store.IndexUnavailable)."""
    generation = store.live_path(index_dir)
    if generation is None:
        raise store.IndexUnavailable("no index")
    # Checked without the lock: every search of every thread asks, and holding a lock over
    # file system calls made the threads queue behind each other (issue 20: search p99).
    current = _LIVE.get(index_dir)
    if current is not None and current.generation == generation and current.up_to_date():
        return current
    with _LOCK:
        current = _LIVE.get(index_dir)
        if (
            current is not None
            and current.generation == generation
            and current.searcher.up_to_date()
        ):
            return current
        # A new searcher, not searcher.refresh(): whoosh-reloaded 2.7.5's refresh re-adds
        # merged-away segments and reuses readers with stale deletions (duplicate results).
        # Columns and postings are cached per segment, so only new segments are read.
        try:
            fresh = Snapshot(index.open_dir(str(generation)).searcher(), generation)
        except Exception as error:
            raise store.IndexUnavailable(str(error)) from error
        _LIVE.pop(index_dir, None)
        _LIVE[index_dir] = fresh
        while len(_LIVE) > MAX_OPEN:  # tests open many small indexes; keep the newest
            del _LIVE[next(iter(_LIVE))]
        _forget_old_segments()
        return fresh


def _forget_old_segments() -> None:
    live = {segid for snap in _LIVE.values() for _r, _o, segid in snap.leaves}
    for segid in list(_SEGMENTS):
        if segid not in live:
            del _SEGMENTS[segid]
