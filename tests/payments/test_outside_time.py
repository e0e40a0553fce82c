"""How long a request waited on Stripe, apart from our own time (issue 20): in the response's
Server-Timing header and in its access log line, so a slow checkout can be told apart from a
slow payment service."""

from __future__ import annotations

import io
import json
import logging
import re

from marketplace.logging_setup import configure_logging
from tests.payments.town import check_out, fill_cart, resident

STRIPE_TIMING = re.compile(r"^stripe;dur=(\d+(?:\.\d+)?)$")


def access_lines(app, do) -> list[dict]:
    """The JSON access lines written while `do()` runs."""
    stream = io.StringIO()
    app.config["LOG_FORMAT"] = "json"
    configure_logging(app, stream)
    try:
        do()
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "vitrine", False)]:
            root.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in lines if line["logger"] == "vitrine.access"]


def test_a_checkout_says_how_long_it_waited_for_stripe(town):
    _, (bread,) = town.connected_shop("Boulangerie Moreau", {"Pain au levain": (450, 10)})
    browser = town.browser(resident())
    fill_cart(browser, {bread: 2})
    answers = []

    lines = access_lines(town.app, lambda: answers.append(check_out(browser)))

    placed = answers[0]
    assert placed.status_code == 303
    waited = STRIPE_TIMING.match(placed.headers["Server-Timing"])
    assert waited and float(waited.group(1)) > 0
    posted = [line for line in lines if line["method"] == "POST" and line["path"] == "/checkout"]
    assert posted[0]["outside_ms"]["stripe"] == float(waited.group(1))
    assert posted[0]["outside_ms"]["stripe"] <= posted[0]["duration_ms"]


def test_a_page_that_calls_no_outside_service_says_nothing_of_it(town):
    browser = town.browser(resident())

    lines = access_lines(town.app, lambda: browser.get("/cart/"))

    assert "Server-Timing" not in browser.get("/cart/").headers
    assert lines and "outside_ms" not in lines[0]
