"""Visiting pages as someone, for the accessibility checks: a fresh context logged in and speaking
a language, and a Watch on what a page does wrong besides axe (CSP, script errors, third parties).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.e2e.axe import axe_violations, describe
from tests.e2e.live import new_context
from tests.factories import PASSWORD

TILES = "tile.openstreetmap.org"  # the only third party a page may call (the map's tiles)
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


class Watch:
    """What a page did wrong besides axe: CSP violations, script errors, third-party requests."""

    def __init__(self, page, own_origins: set[str]) -> None:
        self.csp, self.errors, self.outside = [], [], []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

        def route(route):
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(route.request.url))
            if origin in own_origins or route.request.url.startswith("data:"):
                route.continue_()
            else:  # offline tests: nothing leaves the machine, but each attempt is recorded
                self.outside.append(route.request.url)
                route.abort()

        page.route("**/*", route)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def problems(self, allowed_hosts: tuple[str, ...] = ()) -> list[str]:
        """Everything wrong so far, as sentences."""
        calls = [u for u in self.outside if urlsplit(u).hostname not in allowed_hosts]
        found = [f"CSP violation: {m}" for m in self.csp]
        found += [f"script error: {e}" for e in self.errors]
        found += [f"third-party request: {u}" for u in calls]
        return found


def origins(live_town) -> set[str]:
    """The live app and the Stripe emulator (the payment pages)."""
    return {live_town.url.rstrip("/"), live_town.emulator.url.rstrip("/")}


def csrf_token(context, path: str = "/account/login") -> str:
    """The CSRF token of the context's session, read from a form."""
    return CSRF.search(context.request.get(path).text()).group(1)


def open_as(browser, live_town, who_user, device="desktop", locale="fr", **options):
    """A page in a fresh context speaking `locale`, logged in as `who_user` (None: anonymous)."""
    context = new_context(browser, live_town.url, device, locale, **options)
    page = context.new_page()
    watch = Watch(page, origins(live_town))
    if who_user is not None:
        answer = context.request.post(
            "/account/login",
            form={"csrf_token": csrf_token(context), "email": who_user.email, "password": PASSWORD},
            max_redirects=0,
        )
        assert answer.status == 302, answer.text()[:300]
    # The language chosen in the header, whatever the account's (another test may change it).
    context.request.get(f"/lang/{locale}", max_redirects=0)
    return context, page, watch


def fill_the_cart(context, product) -> None:
    """Put `product` in the context's cart, so that the cart and checkout pages show their form."""
    token = csrf_token(context)  # the empty cart has no form (the language switch is a link)
    answer = context.request.post(
        "/cart/add", form={"csrf_token": token, "product_id": str(product.id), "quantity": "1"}
    )
    assert answer.ok, answer.text()[:300]


def check_pages(page, watch, urls: dict[str, tuple[str, int]], also=None) -> list[str]:
    """Visit each URL; return what axe, the watch and the `also(page)` check found, page by page."""
    failures = []
    for name, (url, status) in urls.items():
        response = page.goto(url)
        if response is None or response.status != status:
            failures.append(f"{name} {url}: HTTP {response and response.status}, not {status}")
            continue
        violations = axe_violations(page)
        # The map's tiles: the town map, the shop page's small map (static/js/shop-map.js) and
        # the shop form's pin (static/js/pin-map.js).
        with_tiles = name in ("map.index", "public.shop", "merchant.new_shop", "merchant.edit_shop")
        if with_tiles:  # its tiles load late: let them finish here, not count on the next page
            page.wait_for_load_state("networkidle")
        problems = watch.problems(allowed_hosts=(TILES,) if with_tiles else ())
        try:
            also and also(page)
        except AssertionError as error:
            problems.append(str(error))
        watch.csp.clear(), watch.errors.clear(), watch.outside.clear()
        if violations or problems:
            failures.append(f"{name} {url}:\n{describe(violations)}\n" + "\n".join(problems))
    return failures
