"""Emails from the browser's side (issue 15): they speak the account's language, set by the sign-up
page and changed in "My account", whatever browser asks for them (bug 5); their subjects reach mail
clients folded between words, never inside one ("confirm ée", bug 6)."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.modes import MODES, Person
from tests.e2e.steps import VISA, email_for, sign_up, unique

ENCODED_WORD = re.compile(r"=\?utf-8\?[qb]\?.*?\?=", re.IGNORECASE)


def mails_to(app, address: str) -> list[Message]:
    """The emails written to the outbox for `address`, oldest first."""
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    paths = sorted(folder.glob(f"*-{address}.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [message_from_bytes(path.read_bytes()) for path in paths]


def subject(mail: Message) -> str:
    """The subject as a mail client shows it."""
    return str(make_header(decode_header(mail["Subject"])))


def plain_text(mail: Message) -> str:
    """The email's plain-text part."""
    part = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode("utf-8")


def words_cut_between_words(raw: str) -> bool:
    """Whether each encoded word of a raw header but the last ends at the end of a word."""
    pieces = [str(make_header(decode_header(w))) for w in ENCODED_WORD.findall(raw)]
    return len(pieces) > 1 and all(piece.endswith(" ") for piece in pieces[:-1])


def test_emails_speak_the_account_language_with_subjects_folded_between_words(open_page, live_town):
    _, (cheese,) = live_town.connected_shop(
        unique("Fromagerie des Alpages de Haute-Savoie"), {"Reblochon fermier": (990, None)}
    )
    name = unique("Ada Langue")
    email = email_for(name)
    resident = Person(open_page, live_town.app, MODES["desktop-en"])
    sign_up(resident.page, live_town, name, email)  # on the English page: an English account

    # Asked for from a French browser, the password email still speaks the account's English.
    stranger = Person(open_page, live_town.app, MODES["phone-fr"])
    stranger.page.goto("/account/reset")
    stranger.type_into(stranger.page.get_by_label(stranger.say("Email")), email)
    stranger.press(stranger.page.get_by_role("button", name=stranger.say("Send the link")))
    expect(stranger.page.get_by_role("status")).to_be_visible()
    welcome, reset = mails_to(live_town.app, email)
    assert subject(welcome) == "Confirm your email to open your Vitrine account"
    assert subject(reset) == "Reset your Vitrine password"
    assert "Hello" in plain_text(reset)

    # The resident switches to French in "My account": the next email is French.
    page = resident.page
    resident.press(page.get_by_role("link", name="My account"))
    page.get_by_label("Language of pages and emails").select_option("fr")
    resident.press(page.get_by_role("button", name="Save my language"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    resident = resident.now_speaking("fr")
    resident.add_to_cart(cheese)
    resident.place_the_order()
    resident.pay_by_card(VISA)
    words = resident.say("Your order at %(shop)s is confirmed", shop=cheese.shop.name)
    live_town.wait_for_mail(email, words)

    confirmed = mails_to(live_town.app, email)[-1]
    assert subject(confirmed) == words  # "Votre commande chez … est confirmée"
    assert "Bonjour" in plain_text(confirmed)
    raw = confirmed["Subject"]
    assert words_cut_between_words(raw), raw
    assert all(len(line) <= 78 for line in raw.splitlines()), raw
