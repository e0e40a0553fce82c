"""Property-based: generated values (NUL, huge integers, superscripts, extreme dates) posted to
every form route and sent as every query parameter of every page never give a 5xx.

Routes come from the url_map; form field names from the page's own form (when it has a GET) and
a common list. The rightful user of each route sends them, with a valid CSRF token.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_token
from tests.security.attack import HOSTILE_VALUES, client_of, object_rules, rightful_user, values_for

# Once, on the SQLite run: the PostgreSQL run fuzzes the API with Schemathesis (CI time).
pytestmark = [pytest.mark.slow, pytest.mark.one_database("sqlite")]

SKIPPED = {
    "accounts.logout",  # would end the session the next examples need
    "personal_data.delete",  # would delete the rightful user the next examples need
    "payments.stripe_webhook",  # signed by Stripe; see tests/payments
    "i18n.switch_language",
}
QUERY_NAMES = [
    "page", "q", "start", "end", "next", "target_id", "placed", "category", "shop", "postcode",
    "min_price", "max_price", "sort", "near", "per_page", "action", "target_kind", "status",
    "format", "day", "code", "lat", "lon", "radius",
]  # fmt: skip
COMMON_FIELDS = ["name", "reason", "quantity", "product_id", "shop_ids", "email", "password", "q"]
NASTY = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=st.sampled_from("\x00\r\n²³¹٣１0123456789-+.,;=@'\"<>/\\"), max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(HOSTILE_VALUES),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
)
FIELD_RE = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


def browser_rules(method: str):
    """Every `method` route of the url_map a browser uses (not the token API, not the webhook)."""
    rules = [
        p
        for p in object_rules()
        if p.values[1] == method and p.values[0].endpoint not in SKIPPED
        and not p.values[0].rule.startswith("/api/v1/merchant")
    ]  # fmt: skip
    rules += list(_rules_without_arguments(method))
    return rules


def _rules_without_arguments(method: str):
    import tempfile

    from marketplace.app import create_app

    app = create_app("testing", {"INSTANCE_PATH": tempfile.mkdtemp(prefix="vitrine-fuzz-")})
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.arguments or method not in rule.methods or rule.endpoint in SKIPPED:
            continue
        if rule.endpoint == "static" or rule.rule.startswith("/api/v1/merchant"):
            continue
        yield pytest.param(rule, method, id=f"{method} {rule.rule}")


def url_for_rule(rule, world) -> str | None:
    values = values_for(rule, world) if rule.arguments else {}
    if values is None:
        return None
    return rule.build(values, append_unknown=False)[1]


def assert_no_5xx(response, label: str) -> None:
    body = response.get_data().decode("utf-8", "replace")  # a PDF or a CSV download is bytes
    assert response.status_code < 500, f"{label} -> {response.status_code}\n{body[:300]}"
    assert "Traceback" not in body, label


@pytest.mark.parametrize(("rule", "method"), browser_rules("GET"))
def test_query_parameters_never_give_a_5xx(town, rule, method):
    app, world, clients = town
    url = url_for_rule(rule, world)
    if url is None:
        pytest.skip("no object to name")
    client = client_of(app, clients, rightful_user(rule, world))

    @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(QUERY_NAMES, NASTY)))
    def check(params):
        with app.app_context():
            assert_no_5xx(client.get(url, query_string=params), f"GET {url} {params!r}")

    check()


_fields_cache: dict[str, list[str]] = {}


def form_fields(client, url: str, rule) -> list[str]:
    """The names of the page's own form fields, plus a few common ones."""
    if url not in _fields_cache:
        names = []
        if "GET" in rule.methods:
            page = client.get(url).get_data(as_text=True)
            names = [n for n in FIELD_RE.findall(page) if n != "csrf_token"]
        _fields_cache[url] = sorted(set(names) | set(COMMON_FIELDS))
    return _fields_cache[url]


@pytest.mark.parametrize(("rule", "method"), browser_rules("POST"))
def test_posted_forms_never_give_a_5xx(town, rule, method):
    app, world, clients = town
    url = url_for_rule(rule, world)
    if url is None:
        pytest.skip("no object to name")
    user = rightful_user(rule, world)
    client = client_of(app, clients, user)
    with app.app_context():
        fields = form_fields(client, url, rule)
        token = csrf_token(client, "/account/login" if user is None else "/account/settings")

    @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(fields, NASTY)))
    def check(data):
        with app.app_context():
            response = client.post(url, data={"csrf_token": token, **data})
            assert_no_5xx(response, f"POST {url} {data!r}")

    check()
