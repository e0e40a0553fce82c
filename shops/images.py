"""Photo uploads: checked by content, size-limited, resized, stored under the upload folder."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
DISPLAY_SIZE = (1200, 1200)
THUMB_SIZE = (400, 400)
MAX_PIXELS = 40_000_000  # larger images are decompression bombs or mistakes


class InvalidImage(ValueError):
    """An upload that is not an acceptable photo; `code` names why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def read_limited(stream: BinaryIO, max_bytes: int) -> bytes:
    """Read at most `max_bytes`; raise InvalidImage('too_large') if there is more."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidImage("too_large")
    if not data:
        raise InvalidImage("empty")
    return data


def _open_checked(data: bytes) -> Image.Image:
    from io import BytesIO

    try:
        with Image.open(BytesIO(data)) as probe:
            fmt = probe.format
            probe.verify()  # whole-file integrity check; the image must be reopened after
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise InvalidImage("not_an_image") from exc
    if fmt not in ALLOWED_FORMATS:
        raise InvalidImage("unsupported_format")
    image = Image.open(BytesIO(data))
    if image.width * image.height > MAX_PIXELS:
        raise InvalidImage("too_many_pixels")
    return image


def store_photo(stream: BinaryIO, upload_dir: str, kind: str, max_bytes: int) -> str:
    """Validate and store a photo; return its relative path (without size suffix).

    Writes <kind>/<uuid>.jpg (display) and <kind>/<uuid>-thumb.jpg; the name is ours, never the
    uploader's, so no path can be smuggled in.
    """
    data = read_limited(stream, max_bytes)
    try:
        image = _open_checked(data)
        image = ImageOps.exif_transpose(image).convert("RGB")
    except InvalidImage:
        raise
    except (OSError, ValueError) as exc:
        raise InvalidImage("not_an_image") from exc
    name = uuid.uuid4().hex
    folder = Path(upload_dir) / kind
    folder.mkdir(parents=True, exist_ok=True)
    display = image.copy()
    display.thumbnail(DISPLAY_SIZE)
    thumb = ImageOps.fit(image, THUMB_SIZE)
    try:
        display.save(folder / f"{name}.jpg", "JPEG", quality=85, optimize=True)
        thumb.save(folder / f"{name}-thumb.jpg", "JPEG", quality=80, optimize=True)
    except OSError as exc:  # disk full, permissions: tell the user, keep nothing half-written
        for suffix in ("", "-thumb"):
            (folder / f"{name}{suffix}.jpg").unlink(missing_ok=True)
        raise InvalidImage("storage_failed") from exc
    return f"{kind}/{name}"


def delete_photo(upload_dir: str, path: str | None) -> None:
    """Remove both sizes of a stored photo (missing files are fine)."""
    if not path:
        return
    for suffix in ("", "-thumb"):
        (Path(upload_dir) / f"{path}{suffix}.jpg").unlink(missing_ok=True)
