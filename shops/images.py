"""Photo uploads: checked by header in the request, decoded reduced and resized by a job."""

from __future__ import annotations

import uuid
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from marketplace import stored_files

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
DISPLAY_SIZE = (1200, 1200)
THUMB_SIZE = (400, 400)
# The largest size we show is 1200 px, so a product photo needs a few megapixels at most.
# 16.7 Mpx (4096 x 4096) still takes a 12 or 16 Mpx phone photo as it comes out of the phone,
# and bounds a decode at ~50 MB of RGB and well under a second of a worker; a 6000 px side keeps
# panoramas and 3:1 banners. Anything beyond is a decompression bomb or a raw camera file.
MAX_PIXELS = 4096 * 4096
MAX_SIDE = 6000
# The `info` of every column that names a stored photo: the orphan sweep (shops/orphan_photos.py)
# keeps the files these columns name and nothing else, so a new photo column must carry it.
PHOTO_COLUMN = {"stored_photo": True}
INCOMING = "incoming"
REDUCIBLE_MODES = {
    "L",
    "LA",
    "RGB",
    "RGBA",
}  # originals waiting for the job (never served by the media route)


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


def check_header(data: bytes) -> tuple[int, int]:
    """Read only the header: refuse a wrong format or too many pixels before any decoding."""
    try:
        with Image.open(BytesIO(data)) as probe:  # lazy: parses the header, decodes nothing
            fmt, size = probe.format, probe.size
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise InvalidImage("not_an_image") from exc
    if fmt not in ALLOWED_FORMATS:
        raise InvalidImage("unsupported_format")
    width, height = size
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise InvalidImage("too_many_pixels")
    return width, height


def _decode_reduced(data: bytes) -> Image.Image:
    # Decode no more than the display size needs: JPEG's DCT scaling (draft) skips most of the
    # work; other formats are decoded whole (bounded by MAX_PIXELS) and halved cheaply by reduce.
    try:
        with Image.open(BytesIO(data)) as probe:
            probe.verify()  # whole-file integrity check; the image must be reopened after
        source: Image.Image = Image.open(BytesIO(data))
        if isinstance(source, ImageFile.ImageFile) and source.format == "JPEG":
            source.draft("RGB", DISPLAY_SIZE)
        source.load()
        if source.mode not in REDUCIBLE_MODES:  # palette and 1-bit PNGs: reduce() refuses them
            source = source.convert("RGB")
        factor = min(source.width // DISPLAY_SIZE[0], source.height // DISPLAY_SIZE[1])
        image = source.reduce(factor) if factor >= 2 else source
        return ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidImage("not_an_image") from exc
    except Image.DecompressionBombError as exc:
        raise InvalidImage("too_many_pixels") from exc


def process_upload(path: Path, upload_dir: str, kind: str) -> str:
    """Decode a header-checked upload at `path`, write its display and thumbnail sizes.

    The slow part of a photo upload, run by the job (shops/photo_jobs.py), never in a request.
    Returns the stored photo's relative path (without size suffix).
    """
    data = path.read_bytes()
    check_header(data)  # again: a job must not trust what was queued
    image = _decode_reduced(data)
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


def receive_original(stream: BinaryIO, upload_dir: str, max_bytes: int) -> str:
    """Check a photo by its header and keep the original as sent; return "incoming/<uuid>".

    Nothing is decoded here: the job (shops/photo_jobs.py) writes the display sizes later. The
    name is ours, never the uploader's, so no path can be smuggled in; incoming/ is never served.
    The file is removed again unless the current transaction commits.
    """
    data = read_limited(stream, max_bytes)
    check_header(data)
    original = f"{INCOMING}/{uuid.uuid4().hex}"
    path = Path(upload_dir) / original
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:  # disk full: keep nothing half-written
        path.unlink(missing_ok=True)
        raise InvalidImage("storage_failed") from exc
    stored_files.keep_if_committed(path)
    return original


def original_media_type(path: Path) -> str:
    """The media type of a kept original, read from its header (raises InvalidImage)."""
    try:
        with Image.open(path) as probe:  # lazy: parses the header, decodes nothing
            fmt = probe.format
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise InvalidImage("not_an_image") from exc
    if fmt not in ALLOWED_FORMATS:
        raise InvalidImage("unsupported_format")
    return f"image/{fmt.lower()}"


def photo_files(upload_dir: str, path: str) -> list[Path]:
    """The files of a stored photo: its display and thumbnail sizes."""
    return [Path(upload_dir) / f"{path}{suffix}.jpg" for suffix in ("", "-thumb")]


def delete_photo(upload_dir: str, path: str | None) -> None:
    """Remove both sizes of a stored photo once the transaction that drops it commits."""
    if path:
        stored_files.remove_after_commit(*photo_files(upload_dir, path))
