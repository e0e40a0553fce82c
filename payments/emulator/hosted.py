"""Browser-facing handlers: the hosted checkout page, 3-D Secure and Express onboarding."""

from __future__ import annotations

import re
import time

from aiohttp import web
from localstripe import resources as ls
from localstripe.errors import UserError

from . import charges, pages
from .checkout import get_session
from .compat import Clock, base_url, fetch
from .connect import Account, link


def _html(page: tuple[str, int]) -> web.Response:
    text, status = page
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def _see(url: str) -> web.Response:
    return web.Response(status=303, headers={"Location": url})


def _lang(request: web.Request, locale: str | None = None) -> str:
    return pages.pick_language(locale, request.headers.get("Accept-Language", ""))


def _session_or_page(request: web.Request):
    """Return (session, None) when the session is open, else (None, response)."""
    try:
        session = get_session(request.match_info["id"])
    except UserError:
        return None, _html(pages.message(_lang(request), "missing", status=404))
    lang = _lang(request, session.locale)
    if session.status == "complete":
        return None, _html(pages.message(lang, "done", session._success_redirect()))
    if session.status == "expired":
        return None, _html(pages.message(lang, "expired", session.cancel_url, status=410))
    return session, None


def _parse_expiry(text: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"\s*(\d{1,2})\s*/?\s*(\d{2}|\d{4})\s*", text or "")
    if not match:
        return None
    month, year = int(match[1]), int(match[2])
    year = year + 2000 if year < 100 else year
    if not 1 <= month <= 12 or (year, month) < _this_month():
        return None
    return month, year


def _this_month() -> tuple[int, int]:
    now = time.gmtime(Clock.now())
    return now.tm_year, now.tm_mon


async def show_checkout(request: web.Request) -> web.Response:
    """GET /c/pay/{id}: the payment form."""
    session, page = _session_or_page(request)
    return page or _html(pages.checkout(session, _lang(request, session.locale)))


async def pay(request: web.Request) -> web.Response:
    """POST /c/pay/{id}: charge the typed card, or show why not."""
    session, page = _session_or_page(request)
    if page:
        return page
    lang = _lang(request, session.locale)
    form = dict(await request.post())
    number = re.sub(r"[\s-]", "", str(form.get("cardnumber", "")))
    email = session.customer_email or str(form.get("email", "")).strip()
    expiry = _parse_expiry(str(form.get("expiry", "")))
    cvc = str(form.get("cvc", "")).strip()
    name = str(form.get("name", "")).strip()

    def again(message: str) -> web.Response:
        return _html(pages.checkout(session, lang, pages.error_text(message, lang), form))

    if not email or "@" not in email:
        return again("Please enter your email address.")
    if not charges.luhn_ok(number) or len(number) != 16:
        return again("Your card number is incorrect.")
    if expiry is None:
        return again("Your card's expiration date is incorrect.")
    if not re.fullmatch(r"\d{3}", cvc):
        return again("Your card's security code is incorrect.")
    outcome, code, message = charges.card_outcome(number)
    pi = session._intent()
    pm = charges.new_card(number, expiry[0], expiry[1], cvc, name, email)
    if outcome == "authenticate":
        url = f"{base_url(request)}/c/pay/{session.id}/authenticate"
        charges.require_action(pi, pm, url)
        session._pending = {"name": name, "email": email}
        return _see(url)
    if outcome == "decline":
        charges.charge(pi, pm, decline=(code, message))
        return again(message or "")
    charges.charge(pi, pm, outcome=outcome)
    return _finish(session, name, email, lang)


def _finish(session, name: str, email: str, lang: str) -> web.Response:
    session._complete(name, email)
    target = session._success_redirect()
    return _see(target) if target else _html(pages.message(lang, "done"))


async def show_authentication(request: web.Request) -> web.Response:
    """GET /c/pay/{id}/authenticate: the 3-D Secure challenge."""
    session, page = _session_or_page(request)
    if page:
        return page
    if session.payment_intent is None or session._intent().status != "requires_action":
        return _see(f"{base_url(request)}/c/pay/{session.id}")
    return _html(pages.three_d_secure(session, _lang(request, session.locale)))


async def authenticate(request: web.Request) -> web.Response:
    """POST /c/pay/{id}/authenticate: outcome=complete charges the card, outcome=fail does not."""
    session, page = _session_or_page(request)
    if page:
        return page
    lang = _lang(request, session.locale)
    pi = session._intent() if session.payment_intent else None
    if pi is None or pi.status != "requires_action":
        return _see(f"{base_url(request)}/c/pay/{session.id}")
    form = await request.post()
    pending = getattr(session, "_pending", {})
    if form.get("outcome") == "complete":
        pm = fetch(ls.PaymentMethod, pi.payment_method, name="payment_method")
        charges.charge(pi, pm)
        return _finish(session, pending.get("name", ""), pending.get("email", ""), lang)
    charges.fail_authentication(pi)
    message = pages.error_text(charges.AUTH_FAILED, lang)
    return _html(pages.checkout(session, lang, message, pending))


async def show_onboarding(request: web.Request) -> web.Response:
    """GET /express/onboarding/{token}: single use; a stale link goes to refresh_url."""
    state = link(request.match_info["token"])
    if state is None:
        return _html(pages.message(_lang(request), "missing", status=404))
    if state["state"] != "new" or Clock.now() > state["expires_at"]:
        return _see(state["refresh_url"])
    state["state"] = "opened"
    account = fetch(Account, state["account"], name="account")
    return _html(pages.onboarding(account, _lang(request), state["return_url"]))


async def onboard(request: web.Request) -> web.Response:
    """POST /express/onboarding/{token}: enable the account (account.updated), go to return_url."""
    state = link(request.match_info["token"])
    if state is None:
        return _html(pages.message(_lang(request), "missing", status=404))
    if state["state"] != "opened":
        return _see(state["refresh_url"])
    state["state"] = "used"
    account = fetch(Account, state["account"], name="account")
    form = await request.post()
    if form.get("business_name"):
        account.business_profile["name"] = str(form["business_name"])
    account._onboard()
    return _see(state["return_url"])
