"""Where the index lives: generations, the `current` pointer, the writer lock, the outbox position.

SEARCH_INDEX_DIR/
  current -> gen-...    symlink swapped atomically by a rebuild; readers follow it
  gen-.../              one complete Whoosh index (the live one and the previous one)
  writer.lock           flock: one process at a time applies the outbox
  rebuild.lock          flock: one rebuild at a time
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import uuid
from pathlib import Path

from whoosh import index

import search.whoosh_patches  # noqa: F401
from search.schema import META_ID, META_KIND, build_schema

CURRENT = "current"
KEEP_GENERATIONS = 2  # the live one and the one before, still open in slower readers


class IndexUnavailable(RuntimeError):
    """There is no usable index yet (never built, lost, or corrupted)."""


def live_path(index_dir: str | Path) -> Path | None:
    """The folder of the live index generation, or None when there is none."""
    link = Path(index_dir) / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    path = Path(index_dir) / target
    return path if path.is_dir() else None


def open_live(index_dir: str | Path):
    """Open the live Whoosh index; raise IndexUnavailable if it is missing or unreadable."""
    path = live_path(index_dir)
    if path is None:
        raise IndexUnavailable("no index")
    try:
        ix = index.open_dir(str(path))
        with ix.searcher() as searcher:
            searcher.document(id=META_ID)  # reads the TOC and one segment: proves it opens
    except Exception as error:  # whoosh raises many kinds on a damaged folder
        raise IndexUnavailable(str(error)) from error
    return ix


def new_generation(index_dir: str | Path):
    """Create an empty index in a fresh generation folder beside the live one."""
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"gen-{uuid.uuid4().hex[:12]}"
    path.mkdir()
    return index.create_in(str(path), build_schema()), path


def swap_in(index_dir: str | Path, generation: Path) -> None:
    """Point `current` at `generation` atomically, then drop generations older than the last two."""
    root = Path(index_dir)
    previous = live_path(root)
    tmp = root / f".{CURRENT}-{uuid.uuid4().hex[:8]}"
    os.symlink(generation.name, tmp)
    os.replace(tmp, root / CURRENT)  # rename(2) is atomic: a reader sees the old or the new one
    keep = {generation.name, previous.name if previous else None}
    for old in root.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def file_lock(index_dir: str | Path, name: str, blocking: bool):
    """Hold an exclusive flock on SEARCH_INDEX_DIR/name; yield False if busy and not blocking."""
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / name, "a+") as handle:
        flags = fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB)
        try:
            fcntl.flock(handle, flags)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_position(searcher) -> dict:
    """The outbox position stored in the index: {"last": id, "gaps": {id: first_seen}}."""
    fields = searcher.document(id=META_ID)
    position = (fields or {}).get("position") or {}
    return {"last": int(position.get("last", 0)), "gaps": dict(position.get("gaps", {}))}


def write_position(writer, position: dict) -> None:
    """Store the position in the same commit as the changes it describes."""
    writer.update_document(id=META_ID, kind=META_KIND, position=position)
