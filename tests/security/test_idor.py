"""IDOR: every URL that names an object, tried by everyone who must not reach it.

The cases come from the app's own url_map, so a new route with an object id is attacked as soon as
it exists. Each attacker must get 401/403/404 (or the login page), never the data, and a POST or
PATCH must leave every table as it was. Shopkeepers also try their own shop's URL with another
shop's object id (the classic nested-resource hole).
"""

from __future__ import annotations

import tempfile
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from marketplace.app import create_app
from marketplace.extensions import db
from tests.conftest import csrf_token
from tests.factories import login
from tests.security.world import build_world

SKIPPED_ENDPOINTS = {
    "static",  # files of the app itself
    "media.photo",  # photo names are random; see test_uploads.py
    "i18n.switch_language",  # <code> is a language, not an object
    "accounts.reset_password",  # <token> is a signed secret; see tests/accounts
    "accounts.accept_invitation",
}
VOLATILE_TABLES = {"search_log", "search_outbox", "audit_log"}
VOLATILE_COLUMNS = {"last_used_at"}


def _rules():
    app = create_app("testing", {"INSTANCE_PATH": tempfile.mkdtemp(prefix="vitrine-rules-")})
    rules = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if not rule.arguments or rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            rules.append(pytest.param(rule, method, id=f"{method} {rule.rule}"))
    return rules


def group_of(rule) -> str:
    """Who owns the objects a rule names."""
    path = rule.rule
    if path.startswith("/api/v1/merchant/"):
        return "api-merchant"
    if path.startswith("/merchant/"):
        return "merchant"
    if path.startswith("/orders/"):
        return "resident-order"
    if path.startswith("/checkout/"):
        return "resident-checkout"
    if path.startswith("/curation/"):
        return "curation"
    return "public"


def values_for(rule, world, shop=None) -> dict | None:
    """URL values naming A's (or R's) objects; `shop` replaces A's slug (nested-resource case)."""
    extra = world.extra
    public = group_of(rule) == "public"
    known = {
        "slug": (shop or world.shop_a).slug,
        "product_id": world.product_a.id,
        "closure_id": world.closure_a.id,
        "image_id": world.image_a.id,
        "order_id": world.order_a.id,
        "checkout_id": world.checkout_a.id,
        "shop_id": world.shop_a.id,
        "token_id": extra.get("token_ids", {}).get(world.shop_a.slug),
        "collection_id": extra.get("collection_id"),
        "item_id": extra.get("item_id"),
        "product_slug": world.product_a.slug,
        "key": "orders",
    }
    if public:  # public URLs: the objects that are not public
        known.update(
            slug="selection-secrete"
            if rule.endpoint.startswith("collections.")
            else world.draft_a.slug,
            product_id=world.hidden_a.id,
            product_slug=world.hidden_a.slug,
        )
    values = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        if name == "verb" and converter is not None and hasattr(converter, "items"):
            values[name] = sorted(converter.items)[0]
        elif known.get(name) is not None:
            values[name] = known[name]
        else:
            return None
    return values


def attackers_of(group: str, world) -> list[tuple[str, object]]:
    """(label, user or None for anonymous) who must not reach the objects of `group`."""
    anonymous = ("anonymous", None)
    return {
        "merchant": [
            anonymous,
            ("other shopkeeper", world.owner_b),
            ("resident", world.resident_r),
            ("curator not acting for the shop", world.curator),
        ],
        "resident-order": [
            anonymous,
            ("other resident", world.resident_s),
            ("a shopkeeper", world.owner_b),
        ],
        "resident-checkout": [
            anonymous,
            ("other resident", world.resident_s),
            ("a shopkeeper", world.owner_b),
        ],
        "curation": [
            anonymous,
            ("shopkeeper", world.owner_a),
            ("resident", world.resident_r),
        ],
        "public": [anonymous, ("other shopkeeper", world.owner_b), ("resident", world.resident_s)],
        "api-merchant": [anonymous],
    }[group]


def database_state() -> dict:
    """Every row of every table (but logs), to prove an attempt changed nothing."""
    db.session.expire_all()
    state = {}
    for table in db.metadata.sorted_tables:
        if table.name in VOLATILE_TABLES:
            continue
        columns = [c for c in table.columns if c.name not in VOLATILE_COLUMNS]
        rows = db.session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
        state[table.name] = [tuple(r) for r in rows]
    return state


def secrets_of(world) -> list[str]:
    """Text that only the owners may see."""
    return [
        world.order_a.pickup_code,
        world.resident_r.email,
        "Atelier Anne",
        "Tomme retirée",
        "Sélection secrète",
    ]


def refused(response) -> bool:
    """401/403/404, or sent to the login page."""
    if response.status_code in (401, 403, 404):
        return True
    location = response.headers.get("Location", "")
    return response.status_code in (302, 303) and urlsplit(location).path == "/account/login"


def attempt(app, user, method: str, url: str, bearer: str | None = None):
    """Send the request as `user` (logged in through the form) with a valid CSRF token."""
    client = app.test_client()
    if user is not None:
        login(client, user)
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    if method == "GET":
        return client.get(url, headers=headers)
    if url.startswith("/api/"):
        return client.open(
            url, method=method, json={"name": "pirate", "status": "ready"}, headers=headers
        )
    token = csrf_token(client, "/account/login")
    data = {"csrf_token": token, "name": "pirate", "reason": "pirate", "code": "0000"}
    return client.open(url, method=method, data=data, headers=headers)


def check_refused(app, world, user, method, url, label, bearer=None) -> None:
    before = database_state()
    response = attempt(app, user, method, url, bearer)
    body = response.get_data(as_text=True)
    assert refused(response), f"{label}: {method} {url} -> {response.status_code}\n{body[:400]}"
    for secret in secrets_of(world):
        assert secret not in body, f"{label}: {method} {url} shows {secret!r}"
    assert database_state() == before, f"{label}: {method} {url} changed the database"


@pytest.mark.parametrize(("rule", "method"), _rules())
def test_nobody_reaches_objects_that_are_not_theirs(app, rule, method):
    world = build_world(app)
    group = group_of(rule)
    values = values_for(rule, world)
    if values is None:
        pytest.skip(f"no test object for {sorted(rule.arguments)} of {rule.endpoint}")
    with app.test_request_context():
        url = app.url_map.bind("localhost").build(rule.endpoint, values, method=method)
    for label, user in attackers_of(group, world):
        check_refused(app, world, user, method, url, label)
    if group == "api-merchant" and world.tokens:
        # Shop B's token on shop A's objects, and A's owner's browser session without a token.
        check_refused(
            app, world, None, method, url, "other shop's token", world.tokens[world.shop_b.slug]
        )
        check_refused(app, world, world.owner_a, method, url, "session without token")
    if group == "merchant" and set(rule.arguments) - {"slug"}:
        own = values_for(rule, world, shop=world.shop_b)
        with app.test_request_context():
            url = app.url_map.bind("localhost").build(rule.endpoint, own, method=method)
        check_refused(app, world, world.owner_b, method, url, "own shop, other shop's object")


def test_the_suite_covers_the_object_urls():
    """Guard: the parametrisation above really found the object URLs."""
    covered = {p.values[0].endpoint for p in _rules()}
    for endpoint in ("catalogue.edit", "board.order", "orders.detail", "payments.checkout_return"):
        assert endpoint in covered
