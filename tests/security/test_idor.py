"""IDOR: every URL that names an object, tried by everyone who must not reach it.

The cases come from the app's own url_map, so a new route with an object id is attacked as soon as
it exists. Each attacker must get 401/403/404 (or the login page), never the data, and a POST or
PATCH must leave every table as it was. Shopkeepers also try their own shop's URL with another
shop's object id (the classic nested-resource hole).
"""

from __future__ import annotations

import pytest

from tests.security.attack import (
    attackers_of,
    check_refused,
    group_of,
    object_rules,
    values_for,
)


@pytest.mark.parametrize(("rule", "method"), object_rules())
def test_nobody_reaches_objects_that_are_not_theirs(town, rule, method):
    app, world, _clients = town
    group = group_of(rule)
    values = values_for(rule, world)
    if values is None:
        pytest.skip(f"no test object for {sorted(rule.arguments)} of {rule.endpoint}")
    adapter = app.url_map.bind("localhost")
    url = adapter.build(rule.endpoint, values, method=method)
    for label, user in attackers_of(group, world):
        check_refused(town, user, method, url, label)
    if group == "api-merchant" and world.tokens:
        # Shop B's token on shop A's objects, and A's owner's browser session without a token.
        b_token = world.tokens[world.shop_b.slug]
        check_refused(town, None, method, url, "other shop's token", b_token)
        check_refused(town, world.owner_a, method, url, "session without token")
    # A campaign is the town's, not a shop's: any shop may join it with its own slug.
    if group == "merchant" and set(rule.arguments) - {"slug", "campaign_id"}:
        own = adapter.build(rule.endpoint, values_for(rule, world, world.shop_b), method=method)
        check_refused(town, world.owner_b, method, own, "own shop, other shop's object")


def test_the_suite_covers_the_object_urls():
    """Guard: the parametrisation above really found the object URLs."""
    covered = {p.values[0].endpoint for p in object_rules()}
    for endpoint in (
        "catalogue.edit",
        "board.order",
        "orders.detail",
        "payments.checkout_return",
        "counter.voucher",
        "curation.batch_sheet",
        "campaign_statements.shop_pdf",
        "campaign_office.office_csv",
    ):
        assert endpoint in covered
