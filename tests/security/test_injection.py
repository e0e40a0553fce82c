"""SQL metacharacters in search and filters, path traversal in uploads, oversized bodies.

Webhook forgery (bad, stale, tampered or missing signature: 400, nothing applied) is
tests/payments/test_webhooks.py::test_a_forged_event_is_refused_and_changes_nothing.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from search import store
from shops.models import Product, ProductImage
from tests.conftest import csrf_token, english_client
from tests.factories import image_bytes, login, make_product, make_shop, product_form_data

HOSTILE = [
    "' OR 1=1 --",
    '"; DROP TABLE products; --',
    "' UNION SELECT password_hash, email FROM users --",
    "%",
    "_",
    "\\",
    "%' AND 1=(SELECT COUNT(*) FROM users) AND '%'='",
    "1; SELECT pg_sleep(5)",
    "\x00",
    "é' || (SELECT 1) || '",
    "[a-z]*",
    "x" * 3000,
]
FILTERS = ("q", "category", "shop", "postcode", "min_price", "max_price", "sort", "near", "page")
LEAKS = ("Traceback", "sqlite3", "psycopg", "OperationalError", "ProgrammingError", "syntax error")


def assert_clean(response, label: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code < 500, f"{label}: {response.status_code}"
    for leak in LEAKS:
        assert leak not in body, f"{label}: leaks {leak!r}"


def search_urls(value: str) -> list[tuple[str, dict]]:
    urls = [(path, {"q": value}) for path in ("/search", "/api/v1/search", "/search/suggest")]
    urls += [("/search", {"q": "pain", name: value}) for name in FILTERS]
    urls += [("/api/v1/search", {name: value}) for name in FILTERS]
    urls += [("/shops", {"q": value, "category": value, "page": value})]
    return urls


@pytest.mark.parametrize("index_state", ["index", "database fallback"])
def test_sql_metacharacters_in_search_and_filters(app, client, index_state):
    shop = make_shop()
    make_product(shop, "Pain de campagne", 380)
    client.get("/search?q=pain")  # the process started, the index is built
    if index_state == "database fallback":  # the LIKE queries of the rebuild-time fallback
        app.config["SEARCH_REBUILD_IN_BACKGROUND"] = True
        shutil.rmtree(store.live_path(app.config["SEARCH_INDEX_DIR"]))
        lock = store.file_lock(app.config["SEARCH_INDEX_DIR"], "rebuild.lock", blocking=True)
        lock.__enter__()
    try:
        for value in HOSTILE:
            for path, params in search_urls(value):
                assert_clean(client.get(path, query_string=params), f"{path} {params}")
        body = client.get("/api/v1/search", query_string={"q": "' OR 1=1 --"}).get_json()
        assert body["total"] == 0  # not "everything"
    finally:
        if index_state == "database fallback":
            lock.__exit__(None, None, None)
            app.extensions["vitrine.search_sync"]["rebuild"].join(timeout=60)
    assert db.session.scalar(select(func.count()).select_from(Product)) == 1


def test_a_traversing_upload_name_is_never_used(app, shopkeeper, tmp_path):
    client = english_client(app)
    login(client, shopkeeper)
    shop = make_shop(shopkeeper, name="Épicerie Voltaire")
    product = make_product(shop, "Confiture", 450)
    url = f"/merchant/shops/{shop.slug}/products/{product.id}"
    outside = Path(app.config["UPLOAD_DIR"]).parent
    before = {p for p in outside.rglob("*") if p.is_file()}
    names = ["../../../../evil.jpg", "..\\..\\evil.jpg", "/etc/cron.d/evil.jpg", "evil.jpg\x00.png"]
    for name in names:
        token = csrf_token(client, url)
        data = {"csrf_token": token, **product_form_data(name="Confiture")}
        data["photos"] = [(io.BytesIO(image_bytes("PNG")), name)]
        response = client.post(url, data=data, content_type="multipart/form-data")
        assert response.status_code in (200, 302, 400)
    created = {p for p in outside.rglob("*") if p.is_file()} - before
    uploads = Path(app.config["UPLOAD_DIR"]).resolve()
    assert created, "the photos were stored"
    app_folders = [uploads] + [
        Path(app.config[k]).resolve()
        for k in ("SEARCH_INDEX_DIR", "MAIL_OUTBOX_DIR", "INSTANCE_PATH")
    ]
    for path in created:
        assert any(path.resolve().is_relative_to(f) for f in app_folders), path
        assert "evil" not in path.name
    assert any(p.resolve().is_relative_to(uploads) for p in created)
    assert not any(Path(p).exists() for p in ("/evil.jpg", "/etc/cron.d/evil.jpg"))
    stored = db.session.scalars(select(ProductImage.path)).all()
    assert stored and all(".." not in p and not p.startswith("/") for p in stored)


@pytest.mark.parametrize(
    "path",
    [
        "/media/../config.py",
        "/media/..%2f..%2fconfig.py",
        "/media/products/../../secret_key",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/products/" + "a" * 32 + ".jpg/../../../../config.py",
        "/static/../config.py",
        "/static/%2e%2e/config.py",
    ],
)
def test_traversal_in_media_and_static_urls_is_a_404(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    body = response.get_data(as_text=True)
    assert "SECRET_KEY" not in body and "root:" not in body


def test_an_oversized_body_is_refused_with_a_clear_message(app, shopkeeper):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    client = english_client(app)
    login(client, shopkeeper)
    shop = make_shop(shopkeeper, name="Épicerie Voltaire")
    token = csrf_token(client, f"/merchant/shops/{shop.slug}/products/")
    big = io.BytesIO(os.urandom(256 * 1024))
    response = client.post(
        f"/merchant/shops/{shop.slug}/products/import",
        data={"csrf_token": token, "file": (big, "catalogue.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "The file you sent is too large." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Product)) == 0

    api = client.post("/api/v1/search", data=b"x" * (128 * 1024), content_type="application/json")
    assert api.status_code in (405, 413)
    login_page = client.post("/account/login", data={"email": "x" * (100 * 1024)})
    assert login_page.status_code == 413
