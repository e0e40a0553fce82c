"""Uploaded files are served only as the photos we wrote, with a fixed image type and nosniff;
a decompression bomb is refused by its header, photo uploads are limited per account, and a
refused upload form leaves no file on disk."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from marketplace.accounts.models import SHOPKEEPER
from marketplace.extensions import db
from shops import images
from shops.models import ProductImage
from shops.photo_models import PhotoUpload
from tests.conftest import english_client, page_text, post_form
from tests.factories import (
    image_bytes,
    login,
    make_product,
    make_product_image,
    make_shop,
    make_user,
)
from tests.security.attack import UPLOAD_REFUSALS


def test_photos_are_served_as_jpeg_with_nosniff(app, client):
    product = make_product(make_shop(), "Miche", 420)
    make_product_image(product, app.config["UPLOAD_DIR"])
    stored = db.session.scalar(select(ProductImage.path))
    for suffix in ("", "-thumb"):
        response = client.get(f"/media/{stored}{suffix}.jpg")
        assert response.status_code == 200
        assert response.mimetype == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.data[:3] == b"\xff\xd8\xff"


def test_a_planted_file_is_never_served_as_html_or_script(app, client):
    folder = Path(app.config["UPLOAD_DIR"]) / "products"
    folder.mkdir(parents=True, exist_ok=True)
    html = b"<html><script>alert(document.cookie)</script></html>"
    disguised = "0123456789abcdef0123456789abcdef.jpg"
    (folder / disguised).write_bytes(html)  # e.g. dropped by another tool on the same disk
    for name in ("evil.html", "evil.svg", "evil.js", "0123456789abcdef0123456789abcdef.html"):
        (folder / name).write_bytes(html)
        assert client.get(f"/media/products/{name}").status_code == 404
    response = client.get(f"/media/products/{disguised}")
    # Our own name pattern: sent, but as an image the browser must not sniff into HTML.
    assert response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "text/html" not in response.headers["Content-Type"]


def bomb_png(side: int = 6300) -> bytes:
    """A PNG of side x side pixels (39.7 Mpx) that compresses to a few kB: a decompression bomb."""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def test_a_bomb_png_is_refused_by_its_header_with_a_form_error(app):
    shop = make_shop(published=True)
    client = english_client(app)
    login(client, shop.owner)
    data = bomb_png()
    assert len(data) < 200_000  # small on the wire, huge once decoded
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/photo",
        {"photo": (io.BytesIO(data), "devanture.png"), "alt": "La devanture"},
    )
    assert response.status_code == 400
    assert "This photo has too many pixels (16 megapixels" in page_text(response)
    db.session.refresh(shop)
    assert shop.photo_path is None
    uploads = Path(app.config["UPLOAD_DIR"])
    assert not uploads.exists() or not [p for p in uploads.rglob("*") if p.is_file()]


def test_the_header_check_reads_no_pixels():
    # A truncated file: the header says 6300 x 6300, no pixel data follows. Refused for its size
    # (not as unreadable), which shows the decision is taken before any decoding.
    header_only = bomb_png()[:64]
    try:
        images.check_header(header_only)
    except images.InvalidImage as error:
        assert error.code == "too_many_pixels"
    else:
        raise AssertionError("a 6300 x 6300 header was accepted")


def test_photo_uploads_are_limited_per_account(app):
    app.config["PHOTO_UPLOAD_RATE_LIMIT"] = "2 per minute"
    shop = make_shop(published=True)
    client = english_client(app)
    login(client, shop.owner)
    path = f"/merchant/shops/{shop.slug}/photo"

    def send_photo(browser):
        photo = (io.BytesIO(image_bytes("JPEG")), "devanture.jpg")
        return post_form(browser, path, {"photo": photo, "alt": "La devanture"})

    assert [send_photo(client).status_code for _ in range(2)] == [302, 302]
    refused = send_photo(client)
    assert refused.status_code == 429
    assert "You sent many photos in a short time" in page_text(refused)
    assert refused.headers["Retry-After"]
    # The same account from another browser (another address) is still counted.
    other_browser = english_client(app)
    other_browser.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    login(other_browser, shop.owner)
    assert send_photo(other_browser).status_code == 429
    # Another shopkeeper is not.
    neighbour = make_shop(make_user("voisin@example.org", SHOPKEEPER), published=True)
    third = english_client(app)
    login(third, neighbour.owner)
    photo = (io.BytesIO(image_bytes("JPEG")), "devanture.jpg")
    answer = post_form(
        third, f"/merchant/shops/{neighbour.slug}/photo", {"photo": photo, "alt": "Vitrine"}
    )
    assert answer.status_code == 302


def test_every_upload_form_draws_on_one_photo_budget_per_account(app):
    app.config["PHOTO_UPLOAD_RATE_LIMIT"] = "2 per minute"
    shop = make_shop(published=True)
    client = english_client(app)
    login(client, shop.owner)
    photo_page = f"/merchant/shops/{shop.slug}/photo"

    def photo():
        return (io.BytesIO(image_bytes("JPEG")), "devanture.jpg")

    assert post_form(client, photo_page, {"photo": photo(), "alt": "Devanture"}).status_code == 302
    assert post_form(client, photo_page, {"photo": photo(), "alt": "Devanture"}).status_code == 302
    # The product form is another door to the same decoder: the budget is already spent.
    new_product = f"/merchant/shops/{shop.slug}/products/new"
    answer = post_form(client, new_product, {"name": "Tarte", "price": "12,00", "photo": photo()})
    assert answer.status_code == 429


def _refusal(app, form: str, case: str):
    """Log in whoever sends `form`; return the path and data of the refused submission."""
    from marketplace.accounts.models import CURATOR
    from tests.factories import product_form_data

    def good():
        return (io.BytesIO(image_bytes()), "bon.jpg")

    bad = (io.BytesIO(b"GIF89a not a photo at all"), "mauvais.jpg")
    shop = make_shop(published=True)
    client = english_client(app)
    if form == "CollectionForm":
        login(client, make_user("office@example.org", CURATOR))
        path = "/curation/collections/new"
        fields = {"title": "Noël", "slug": "noel", "body": ""}
        if case.startswith("a web address"):
            assert post_form(client, path, fields).status_code == 303
            return client, path, {**fields, "photo": good()}
        return client, path, {**fields, "slug": "paques", "photo": bad}
    login(client, shop.owner)
    if form == "PhotoForm":
        return client, f"/merchant/shops/{shop.slug}/photo", {"photo": bad, "alt": "Devanture"}
    photos = [good() for _ in range(6)] if case == "one photo too many" else [good(), bad]
    return (
        client,
        f"/merchant/shops/{shop.slug}/products/new",
        {
            **product_form_data(),
            "photos": photos,
        },
    )


@pytest.mark.parametrize(
    ("form", "case"), [(f, c) for f, cases in UPLOAD_REFUSALS.items() for c in cases]
)
def test_a_refused_upload_form_leaves_no_file_on_disk(app, form, case):
    client, path, data = _refusal(app, form, case)
    response = post_form(client, path, data)
    assert response.status_code == 400, (form, case, response.status_code)
    uploads = Path(app.config["UPLOAD_DIR"])
    held = set(db.session.scalars(select(PhotoUpload.original)))  # kept for the next try
    files = [p for p in uploads.rglob("*") if p.is_file()] if uploads.exists() else []
    assert [p for p in files if p.relative_to(uploads).as_posix() not in held] == []
    assert len(held) == (1 if case.startswith("a web address") else 0)
