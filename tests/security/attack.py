"""Shared by the attack tests: the town fixture, the object URLs of the url_map, refusals."""

from __future__ import annotations

import html
import re
import tempfile
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from marketplace.app import create_app
from marketplace.extensions import db, limiter
from tests.conftest import csrf_token
from tests.factories import login
from tests.security.world import build_world

SKIPPED_ENDPOINTS = {
    "static",  # files of the app itself
    "media.photo",  # photo names are random; see test_uploads.py
    "i18n.switch_language",  # <code> is a language, not an object
    "accounts.reset_password",  # <token> is a signed secret; see tests/accounts
    "accounts.accept_invitation",
    "accounts.confirm_email",
    "accounts.change_email",
    "guest.open_link",  # <token> is a signed secret; see tests/orders/test_guest_links.py
    "guest.renew_link",
}
# The hostile inputs of the hardening review (issue 19), shared by the tests that replay them:
# values that once gave 500s (test_input_bounds.py, drawn from by test_input_fuzz.py) and cells
# that turned into live formulas once a spreadsheet split them (test_csv_exports.py).
HOSTILE_VALUES = [
    "²",  # str.isdigit() says yes, int() says no
    "10" + "0" * 30,  # beyond any database integer
    "2147483648",  # one past PostgreSQL's INTEGER
    "-1",
    "0001-01-01",  # day arithmetic overflows
    "9999-12-31",
    "99999-01-01",
    "0000-00-00",
    "1e309",
    "NaN",
    "\x00",  # PostgreSQL refuses NUL in text
    "/\r\nX-Injected: 1",  # header splitting through a redirect
    "",
    " ",
]
CSV_FORMULA_PAYLOADS = [
    "zz;=cmd|' /C calc'!A0",
    'ab,=HYPERLINK("http://x.example")',
    'q"r;@SUM(1+1)',
    "l1\n=2+2",
    "t;\t=3",
    "s,+4-1",
]
# Issue 19, items 7 to 9. Every form where a typed email could tell whether an account uses it,
# by form class: where it is sent, by whom, what else it carries. Each must answer a used and an
# unused address alike and only queue mail (test_account_probes.py); the login form must also
# lock both alike. A form class with an EmailField is either here or in NOT_ACCOUNT_EMAILS.
ACCOUNT_EMAIL_FORMS = {
    "RegisterForm": (
        "/account/register",
        None,
        {"name": "Zoé", "password": "{password}", "confirm": "{password}"},
    ),
    "ResetRequestForm": ("/account/reset", None, {}),
    "ChangeEmailForm": (
        "/account/settings",
        "resident",
        {"action": "email", "email-current_password": "{password}"},
    ),
    "LoginForm": ("/account/login", None, {"password": "not the password"}),
}
NOT_ACCOUNT_EMAILS = {
    "ShopForm": "the shop's public contact address, never looked up",
    "GuestContactForm": "a guest's contact for one order, never looked up against accounts",
}
# Every form that stores an uploaded file, and a refusal it must survive leaving no file behind
# (test_uploads.py): photos stored before the refusal go with the rollback. A collection's good
# picture is the exception: held for the next try, named by its PhotoUpload row.
UPLOAD_REFUSALS = {
    "ProductForm": ["one photo too many", "a good photo then a bad one"],
    "PhotoForm": ["not a photo"],
    "CollectionForm": ["a web address another collection uses", "not a photo"],
}
NOT_STORED_UPLOADS = {
    "CsvImportForm": "read in memory and imported; never written to disk",
    "ShopImportForm": "read in memory and kept in the database for its preview; never written to disk",
}
# What differs between any two requests and says nothing about an account: the random session
# cookie and request id, and the clock readings of the rate-limit headers.
UNCOMPARED_HEADERS = {"Set-Cookie", "X-Request-ID", "X-RateLimit-Reset", "Retry-After"}
_CSRF_VALUE = re.compile(r'(name="(?:\w+-)?csrf_token" (?:type="hidden" )?value=")[^"]+')

VOLATILE_TABLES = {"search_log", "search_outbox", "audit_log"}
VOLATILE_COLUMNS = {"last_used_at", "last_seen_at"}  # logging the attacker in records activity


def object_rules():
    app = create_app("testing", {"INSTANCE_PATH": tempfile.mkdtemp(prefix="vitrine-rules-")})
    rules = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if not rule.arguments or rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            rules.append(pytest.param(rule, method, id=f"{method} {rule.rule}"))
    return rules


@pytest.fixture(scope="module")
def town(database_url, tmp_path_factory):
    """One app and one town for the whole module (the attempts must change nothing anyway)."""
    from tests.conftest import BrowserClient, _empty_tables

    tmp = tmp_path_factory.mktemp("idor")
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp / "instance"),
            "UPLOAD_DIR": str(tmp / "uploads"),
            "MAIL_OUTBOX_DIR": str(tmp / "outbox"),
            "SEARCH_INDEX_DIR": str(tmp / "search-index"),
        },
    )
    app.test_client_class = BrowserClient
    with app.app_context():
        world = build_world(app)
        clients: dict = {}
        yield app, world, clients
        db.session.remove()
        _empty_tables()
        db.engine.dispose()
    limiter.reset()


def client_of(app, clients: dict, user):
    """A browser logged in as `user` (anonymous for None), kept for the module."""
    key = None if user is None else user.id
    if key not in clients:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        if user is not None:
            login(client, user)
        clients[key] = client
    return clients[key]


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
        "import_id": extra.get("import_id"),
        "campaign_id": extra.get("campaign_id"),
        "batch_id": extra.get("batch_id"),
        "statement_id": extra.get("statement_id"),
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
        elif rule.defaults and name in rule.defaults:  # one rule per verb (/start, /pause)
            values[name] = rule.defaults[name]
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


def attempt(app, clients, user, method: str, url: str, bearer: str | None = None):
    """Send the request as `user` (logged in through the form) with a valid CSRF token."""
    client = client_of(app, clients, user)
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    if method == "GET":
        return client.get(url, headers=headers)
    if url.startswith("/api/"):
        body = {"name": "pirate", "status": "ready"}
        return client.open(url, method=method, json=body, headers=headers)
    token = csrf_token(client, "/account/login" if user is None else "/account/settings")
    data = {"csrf_token": token, "name": "pirate", "reason": "pirate", "code": "0000"}
    return client.open(url, method=method, data=data, headers=headers)


def check_refused(town, user, method, url, label, bearer=None) -> None:
    app, world, clients = town
    before = database_state() if method != "GET" else None
    response = attempt(app, clients, user, method, url, bearer)
    body = response.get_data(as_text=True)
    assert refused(response), f"{label}: {method} {url} -> {response.status_code}\n{body[:400]}"
    for secret in secrets_of(world):
        assert secret not in body, f"{label}: {method} {url} shows {secret!r}"
    if before is not None:
        after = database_state()
        diff = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        assert after == before, f"{label}: {method} {url} changed the database: {sorted(diff)}"


def state_changing_rules():
    """Every POST/PUT/PATCH/DELETE route that a browser session can reach (not the token API,
    not Stripe's webhook, which has its own signature)."""
    app = create_app("testing", {"INSTANCE_PATH": tempfile.mkdtemp(prefix="vitrine-rules-")})
    rules = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.rule.startswith("/api/") or rule.endpoint == "payments.stripe_webhook":
            continue
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            rules.append(pytest.param(rule, method, id=f"{method} {rule.rule}"))
    return rules


def rightful_user(rule, world):
    """The user entitled to use `rule` on A's objects."""
    return {
        "merchant": world.owner_a,
        "resident-order": world.resident_r,
        "resident-checkout": world.resident_r,
        "curation": world.curator,
    }.get(group_of(rule), world.resident_r)


def visible(response, email: str) -> tuple:
    """What a visitor sees of an answer: status, headers, body; `email` and tokens blanked out."""
    headers = sorted((k, v) for k, v in response.headers.items() if k not in UNCOMPARED_HEADERS)
    body = _CSRF_VALUE.sub(r"\1<token>", html.unescape(response.get_data(as_text=True)))
    return response.status_code, headers, body.replace(email, "<email>")


def form_classes_with(*field_types) -> set[str]:
    """The names of the app's form classes that declare a field of one of `field_types`."""
    from marketplace.bounded import Form

    create_app("testing", {"INSTANCE_PATH": tempfile.mkdtemp(prefix="vitrine-forms-")})
    found, todo = set(), list(Form.__subclasses__())
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        fields = [getattr(form, name) for name in dir(form)]
        if any(getattr(f, "field_class", None) in field_types for f in fields):
            found.add(form.__name__)
    return found
