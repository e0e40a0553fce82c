"""Uploaded files are served only as the photos we wrote, with a fixed image type and nosniff."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from marketplace.extensions import db
from shops.models import ProductImage
from tests.factories import make_product, make_product_image, make_shop


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
