"""Photos are resized by a job: the request reads only the header and keeps the original; the job
decodes it reduced, writes the display sizes and only then shows them; a photo it cannot read
fails there with a message for the shopkeeper; sending a photo again replaces the waiting one."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.jobs.maintenance import prune_orphan_photos
from shops.images import THUMB_SIZE, photo_files
from shops.models import Product
from shops.orphan_photos import remove_orphan_photos
from shops.photo_models import FAILED, PENDING, PhotoUpload
from tests.conftest import drain_jobs, english_client, page_text, post_form
from tests.factories import image_bytes, login, make_shop, product_form_data

PREPARING = "A photo you sent is being prepared"


@pytest.fixture
def client(app):
    return english_client(app)


@pytest.fixture
def shop(app, client):
    shop = make_shop(published=True)
    login(client, shop.owner)
    return shop


def big_png(side: int = 4096) -> bytes:
    """A valid 4096 x 4096 PNG (16.7 Mpx, the cap) of a few kB: costly to decode, cheap to send."""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def send_shop_photo(client, shop, data: bytes, alt: str = "La devanture"):
    photo = (io.BytesIO(data), "devanture.png")
    return post_form(client, f"/merchant/shops/{shop.slug}/photo", {"photo": photo, "alt": alt})


def files_in(app, folder: str) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"]) / folder
    return sorted(p for p in root.iterdir() if p.is_file()) if root.is_dir() else []


def test_the_request_keeps_the_original_and_the_job_writes_the_sizes(
    app, client, shop, queued_jobs
):
    response = send_shop_photo(client, shop, big_png())
    assert response.status_code == 302
    # Nothing decoded yet: no display size written, the original waits, no page names a photo.
    assert files_in(app, "shops") == []
    assert len(files_in(app, "incoming")) == 1
    assert db.session.scalar(select(PhotoUpload.status)) == PENDING
    db.session.refresh(shop)
    assert shop.photo_path is None
    assert PREPARING in page_text(client.get(f"/merchant/shops/{shop.slug}/photo"))
    assert "/media/" not in client.get(f"/shops/{shop.slug}").get_data(as_text=True)

    assert drain_jobs(app) == 1
    db.session.refresh(shop)
    assert shop.photo_path and shop.photo_alt == "La devanture"
    display, thumb = photo_files(app.config["UPLOAD_DIR"], shop.photo_path)
    with Image.open(display) as image:
        assert image.size == (1200, 1200)
    with Image.open(thumb) as image:
        assert image.size == THUMB_SIZE
    assert files_in(app, "incoming") == []  # the original goes once the sizes are shown
    assert db.session.scalar(select(func.count()).select_from(PhotoUpload)) == 0
    assert PREPARING not in page_text(client.get(f"/merchant/shops/{shop.slug}/photo"))
    shop_page = client.get(f"/shops/{shop.slug}").get_data(as_text=True)
    assert f"/media/{shop.photo_path}" in shop_page


def test_a_corrupt_photo_fails_in_the_job_and_the_shopkeeper_is_told(
    app, client, shop, queued_jobs
):
    # A PNG whose header is fine and whose pixels are missing: only decoding can tell.
    truncated = big_png(2000)[:80]
    assert send_shop_photo(client, shop, truncated).status_code == 302  # the header passed
    assert drain_jobs(app) == 1
    upload = db.session.scalar(select(PhotoUpload))
    assert (upload.status, upload.error) == (FAILED, "not_an_image")
    assert files_in(app, "incoming") == [] and files_in(app, "shops") == []
    html = page_text(client.get(f"/merchant/shops/{shop.slug}/photo"))
    assert (
        "A photo you sent could not be prepared: This file is not a photo we can read "
        "(use JPEG, PNG or WebP). Send it again to replace it."
    ) in html

    # Sending a photo again replaces the failed one.
    assert send_shop_photo(client, shop, image_bytes("JPEG")).status_code == 302
    assert drain_jobs(app) == 1
    assert db.session.scalar(select(func.count()).select_from(PhotoUpload)) == 0
    assert "could not be prepared" not in page_text(
        client.get(f"/merchant/shops/{shop.slug}/photo")
    )
    db.session.refresh(shop)
    assert shop.photo_path is not None


def test_a_second_photo_sent_before_the_job_ran_replaces_the_first(app, client, shop, queued_jobs):
    send_shop_photo(client, shop, image_bytes("PNG"), alt="Première")
    send_shop_photo(client, shop, image_bytes("JPEG"), alt="Seconde")
    assert len(files_in(app, "incoming")) == 1  # the first original went with its upload
    assert drain_jobs(app) == 2  # the first job finds its upload replaced and does nothing
    db.session.refresh(shop)
    assert shop.photo_alt == "Seconde"
    assert len(files_in(app, "shops")) == 2  # one photo, two sizes: nothing of the first


def test_a_product_photo_waits_for_the_job_and_the_product_shows_without_it(
    app, client, shop, queued_jobs
):
    data = product_form_data(photos=[(io.BytesIO(image_bytes("JPEG", (4000, 3000))), "a.jpg")])
    response = post_form(client, f"/merchant/shops/{shop.slug}/products/new", data)
    assert response.status_code == 302
    product = db.session.scalar(select(Product))
    assert product.images == []
    edit = f"/merchant/shops/{shop.slug}/products/{product.id}"
    assert PREPARING in page_text(client.get(edit))
    assert "/media/" not in client.get(f"/shops/{shop.slug}").get_data(as_text=True)

    assert drain_jobs(app) == 1
    db.session.refresh(product)
    (image,) = product.images
    assert image.alt == "Comté 24 mois"
    with Image.open(photo_files(app.config["UPLOAD_DIR"], image.path)[0]) as display:
        assert display.size == (1200, 900)  # a 12 Mpx phone photo, decoded reduced
    assert PREPARING not in page_text(client.get(edit))


def test_the_orphan_sweep_keeps_an_original_that_still_waits_for_its_job(
    app, client, shop, queued_jobs
):
    send_shop_photo(client, shop, image_bytes("JPEG"))
    (original,) = files_in(app, "incoming")
    day_ago = time.time() - 86400
    os.utime(original, (day_ago, day_ago))  # a worker backlog longer than the grace period
    assert remove_orphan_photos(app.config["UPLOAD_DIR"], timedelta(hours=1)) == []
    assert drain_jobs(app) == 1
    db.session.refresh(shop)
    assert shop.photo_path is not None


def test_a_photo_whose_job_never_ran_is_given_up_by_the_daily_sweep(app, client, shop, queued_jobs):
    send_shop_photo(client, shop, image_bytes("JPEG"))
    db.session.execute(update(PhotoUpload).values(created_at=utcnow() - timedelta(days=2)))
    db.session.commit()  # the worker was down: the job waited two days
    prune_orphan_photos.run_now()
    upload = db.session.scalar(select(PhotoUpload))
    assert (upload.status, upload.error) == (FAILED, "not_prepared")
    assert files_in(app, "incoming") == []
    html = page_text(client.get(f"/merchant/shops/{shop.slug}/photo"))
    assert "A photo you sent could not be prepared: It waited too long for our server." in html
    assert drain_jobs(app) == 1  # the job, when it finally runs, leaves it as it is
    db.session.refresh(shop)
    assert shop.photo_path is None

    db.session.execute(update(PhotoUpload).values(created_at=utcnow() - timedelta(days=8)))
    db.session.commit()
    prune_orphan_photos.run_now()  # a week on, the message is forgotten
    assert db.session.scalar(select(func.count()).select_from(PhotoUpload)) == 0
