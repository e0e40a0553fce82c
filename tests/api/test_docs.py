"""docs/api.md's curl examples run against a test town; the reference page and the spec are served."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

from config import ROOT
from marketplace.api.tokens import issue_token
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import AT_PICKUP
from marketplace.orders.slots import pickup_slots_for
from tests.api.conftest import make_token
from tests.factories import make_product, make_shop, make_user
from tests.orders.helpers import TZ, place, set_hours

DOC = Path(ROOT) / "docs" / "api.md"
BLOCK_RE = re.compile(r"```sh\n(.*?)```", re.S)
EXPECT_RE = re.compile(r"^# -> (\d{3})")


def doc_examples() -> list[tuple[int, str]]:
    """(expected status, curl command line) for every example of docs/api.md, in order."""
    examples, expected = [], None
    for block in BLOCK_RE.findall(DOC.read_text()):
        for line in block.splitlines():
            if match := EXPECT_RE.match(line):
                expected = int(match.group(1))
            elif line.startswith("curl "):
                assert expected is not None, f"no '# -> status' above: {line}"
                examples.append((expected, line))
                expected = None
    return examples


def run_curl(client, line: str, variables: dict):
    """Replay one curl command line with the Flask test client."""
    for name, value in variables.items():
        line = line.replace(f"${name}", value)
    args = shlex.split(line)[1:]
    method, headers, data, url = "GET", {}, None, None
    while args:
        arg = args.pop(0)
        if arg in ("-s", "-i"):
            continue
        if arg == "-X":
            method = args.pop(0)
        elif arg == "-H":
            name, _sep, value = args.pop(0).partition(":")
            headers[name.strip()] = value.strip()
        elif arg == "-d":
            data = args.pop(0).encode()
            method = "POST" if method == "GET" else method
        else:
            assert url is None, f"unexpected argument {arg!r} in {line}"
            url = arg
    parts = urlsplit(url)
    return client.open(
        parts.path, method=method, query_string=parts.query, headers=headers, data=data
    )


def _reader_token(shop) -> str:
    _token, secret = issue_token(shop, shop.owner, "Lecture", ["orders:read"])
    db.session.commit()
    return secret


def _town():
    """The doc's town: the bakery (token's shop) with BAG-1 and a confirmed order at pickup."""
    shop = make_shop(prep_minutes=0)
    set_hours(shop)
    baguette = make_product(shop, "Baguette tradition", 130, sku="BAG-1", stock=40)
    customer = make_user("alice@example.org")
    now = utcnow()
    slot = pickup_slots_for(shop, now, TZ)[0].starts_at
    order = place(customer, {baguette: 2}, {shop: slot}, now, method=AT_PICKUP).orders[0]
    return {
        "BASE": "http://127.0.0.1:5000/api/v1",
        "TOKEN": make_token(shop),
        "READER_TOKEN": _reader_token(shop),
        "PRODUCT_ID": str(baguette.id),
        "ORDER_ID": str(order.id),
        "PICKUP_CODE": order.pickup_code,
    }


def test_every_curl_example_of_the_doc_answers_as_written(app, client):
    variables = _town()
    examples = doc_examples()
    assert len(examples) >= 25
    for expected, line in examples:
        response = run_curl(client, line, variables)
        assert response.status_code == expected, (line, response.get_data(as_text=True)[:400])
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json"
            problem = response.get_json()
            assert {"type", "code", "title", "status", "detail"} <= set(problem)
            assert problem["status"] == response.status_code


def test_the_doc_has_an_example_of_every_operation(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    shown = set()
    for _status, line in doc_examples():
        method = re.search(r"-X (\w+)", line)
        url = next(a for a in shlex.split(line) if a.startswith("$BASE"))
        path = urlsplit(url.replace("$BASE", "http://x")).path
        shown.add(((method.group(1) if method else "GET").lower(), path))
    for path, operations in spec["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[a-z_]+\}", r"[^/]+", path) + "$")
        for method in operations:
            assert any(m == method and pattern.match(p) for m, p in shown), (method, path)


def test_the_reference_page_lists_every_operation_without_inline_script(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for path, operations in spec["paths"].items():
        for method in operations:
            assert f"{method.upper()} /api/v1{path}" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script: CSP-friendly
    assert "cdn" not in html.lower()
