"""Photo files that no row names (left by a crash between writing and committing): swept later.

Refused forms remove their files at once (marketplace/stored_files.py); this is the safety net
for what a killed worker or a full disk leaves behind. Only files older than a grace period go,
so an upload whose row is about to be committed is never touched.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from marketplace.extensions import db
from shops.images import INCOMING, PHOTO_COLUMN

# Only our own names: <kind>/<uuid>.jpg and -thumb.jpg, and the raw uploads in incoming/.
_PHOTO = re.compile(r"^(?P<stem>[0-9a-f]{32})(-thumb)?\.jpg$")
_RAW = re.compile(r"^[0-9a-f]{32}$")


def referenced_photos() -> set[str]:
    """Every stored photo path ("products/<uuid>") that a row names, in any photo column."""
    (flag,) = PHOTO_COLUMN
    names: set[str] = set()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.info.get(flag):
                names.update(db.session.scalars(select(column).where(column.is_not(None))))
    return names


def _old_files(upload_dir: Path, cutoff: float) -> list[tuple[Path, str]]:
    """Our files older than `cutoff` (epoch seconds), each with the photo path it belongs to."""
    found: list[tuple[Path, str]] = []
    if not upload_dir.is_dir():
        return found
    for folder in sorted(p for p in upload_dir.iterdir() if p.is_dir()):
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.stat().st_mtime >= cutoff:
                continue
            if folder.name == INCOMING:
                if _RAW.match(path.name):  # an original: kept while its upload waits for the job
                    found.append((path, f"{INCOMING}/{path.name}"))
            elif match := _PHOTO.match(path.name):
                found.append((path, f"{folder.name}/{match['stem']}"))
    return found


def remove_orphan_photos(upload_dir: str, grace: timedelta, dry_run: bool = False) -> list[str]:
    """Remove photo files older than `grace` that no row names; return their relative paths."""
    root = Path(upload_dir)
    candidates = _old_files(root, time.time() - grace.total_seconds())
    # Read the names after listing the files: a row committed meanwhile still protects its file.
    referenced = referenced_photos() if candidates else set()
    removed = []
    for path, photo in candidates:
        if photo in referenced:
            continue
        if not dry_run:
            path.unlink(missing_ok=True)
        removed.append(path.relative_to(root).as_posix())
    return removed
