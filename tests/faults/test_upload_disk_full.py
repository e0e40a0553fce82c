"""The disk of the uploads fills up while a shopkeeper adds photos: a clear error, nothing half-written.

A real full disk: UPLOAD_DIR is a 2 MB tmpfs mounted for the test (the suite runs as root; it is
skipped where mounting is not allowed), filled up to a few kilobytes. The kernel answers ENOSPC to
the photo write itself, so the code path is the production one, not a simulated exception.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from marketplace.extensions import db
from shops.models import ProductImage
from tests.conftest import csrf_token, english_client, page_text
from tests.factories import image_bytes, login, make_product, make_shop, product_form_data

FREE_BYTES = 48 * 1024


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MB tmpfs, unmounted at the end."""
    mountpoint = tmp_path / "uploads-disk"
    mountpoint.mkdir()
    mount = subprocess.run(  # noqa: S603 - fixed arguments
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", str(mountpoint)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mount.stderr.decode().strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)  # noqa: S603, S607


def fill(disk: Path, leave: int) -> Path:
    """Write a filler file until only `leave` bytes are free."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    filler = disk / "filler.bin"
    filler.write_bytes(b"\0" * max(free - leave, 0))
    return filler


def noisy_photo(size: int = 700) -> bytes:
    """A photo that does not compress (random pixels): hundreds of KB as JPEG."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (size, size), rng.randbytes(size * size * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def files_in(disk: Path) -> set[str]:
    return {str(p.relative_to(disk)) for p in disk.rglob("*") if p.is_file()}


def test_a_full_upload_disk_gives_a_clear_error_and_keeps_nothing(app, shopkeeper, tiny_disk):
    app.config["UPLOAD_DIR"] = str(tiny_disk)
    client = english_client(app)
    login(client, shopkeeper)
    shop = make_shop(shopkeeper, name="Épicerie Voltaire")
    product = make_product(shop, "Confiture de figues", 650)
    url = f"/merchant/shops/{shop.slug}/products/{product.id}"
    filler = fill(tiny_disk, FREE_BYTES)
    before = files_in(tiny_disk)

    # Two photos in one form: the small one fits, the big one meets the full disk.
    data = {"csrf_token": csrf_token(client, url), **product_form_data(name="Confiture de figues")}
    data["photos"] = [
        (io.BytesIO(image_bytes("PNG")), "small.png"),
        (io.BytesIO(noisy_photo()), "big.png"),
    ]
    response = client.post(url, data=data, content_type="multipart/form-data")

    assert response.status_code == 400
    assert "The photo could not be saved (storage full). Try again later." in page_text(response)
    assert files_in(tiny_disk) == before  # neither photo, nor half of one, is left on the disk
    assert db.session.scalar(select(func.count()).select_from(ProductImage)) == 0

    filler.unlink()  # space is freed: the same upload now works
    data["csrf_token"] = csrf_token(client, url)
    data["photos"] = [(io.BytesIO(noisy_photo()), "big.png")]
    assert client.post(url, data=data, content_type="multipart/form-data").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ProductImage)) == 1
    assert len(files_in(tiny_disk)) == 2  # the display size and the thumbnail
