"""The axe run (tests/e2e/test_accessibility.py) covers every page type of the app.

A GET endpoint is either a page type in tests/e2e/pages.py PAGE_TYPES, which the browser test
visits and checks with axe-core, or listed in EXCLUDED with the reason it is not a page. A new page
added without either fails here.
"""

from __future__ import annotations

from tests.e2e.pages import EXCLUDED, PAGE_TYPES, is_excluded


def get_endpoints(app) -> set[str]:
    """Every endpoint of the app that answers GET."""
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def test_every_page_type_is_checked_by_axe(app):
    uncovered = sorted(e for e in get_endpoints(app) if e not in PAGE_TYPES and not is_excluded(e))
    assert not uncovered, (
        "pages not covered by the axe run: add them to PAGE_TYPES in tests/e2e/pages.py "
        f"(or to EXCLUDED with the reason they are not pages): {uncovered}"
    )


def test_no_page_type_is_both_checked_and_excluded():
    assert not set(PAGE_TYPES) & set(EXCLUDED)


def test_the_main_page_types_of_the_issue_are_in_the_axe_run(app):
    required = {
        "public.home",
        "public.directory",
        "public.shop",
        "public.product",
        "search.page",
        "cart.show",
        "orders.checkout",
        "orders.detail",
        "merchant.dashboard",
        "board.index",
        "map.index",
        "public.accessibility",
        "accounts.login",
        "accounts.register",
    }
    assert required <= set(PAGE_TYPES) & get_endpoints(app)
