"""Every word a template shows goes through the catalogues: no hard-coded text, and French pages
keep no English sentence of the catalogue.

tests/test_translations.py checks that each message marked with _() has its French translation;
this file catches the text that was never marked, which extraction cannot see.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from marketplace.extensions import db
from marketplace.orders.operations import cancel_by_customer
from tests.curation.helpers import make_curator
from tests.factories import PASSWORD, login
from tests.frontend.town import build_town, product_path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
FRENCH_PO = ROOT / "marketplace" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"

# Words that are the same in every language: the brand, and each language named in itself
# (the language switch; its lang="" attribute says which language it is), JSON's "null" (API docs).
# File formats (PDF, CSV) are named alike in both languages.
SAME_IN_EVERY_LANGUAGE = {"Vitrine", "English", "Français", "null", "SIRET", "PDF", "CSV"}

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TAG = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
# Attributes read aloud or shown: their text must be translatable too.
SHOWN_ATTRIBUTE = re.compile(
    r"\s(alt|title|placeholder|aria-label|aria-description|aria-valuetext|data-[\w-]*label|value)"
    r"\s*=\s*\"([^\"]*)\"",
    re.I,
)
WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")
# File names, codes and hosts (shops.csv, shop.suspended): not prose.
DOTTED = re.compile(r"\b[\w-]+(?:\.[\w-]+)+\b")


def untranslatable_words(source: str, is_html: bool) -> list[str]:
    """The words of a template that are not produced by a Jinja expression (so not by _())."""
    text = JINJA.sub("\x00", source)
    words = []
    if is_html:
        text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
        text = re.sub(r"<code>.*?</code>", " ", text, flags=re.S)  # code is not prose
        for tag in TAG.findall(text):
            for name, value in SHOWN_ATTRIBUTE.findall(tag):
                # An <input type=submit> shows its value; a <button>'s value is never shown.
                shown = name.lower() != "value" or (
                    tag.startswith("<input") and re.search(r"type=\"(?:submit|button|reset)\"", tag)
                )
                if shown:
                    words += [f"{name}={w}" for w in WORD.findall(DOTTED.sub(" ", value))]
        text = TAG.sub(" ", text)
    text = DOTTED.sub(" ", re.sub(r"&#?\w+;", " ", text))
    return [w for w in words + WORD.findall(text) if w.split("=")[-1] not in SAME_IN_EVERY_LANGUAGE]


def test_no_template_shows_text_that_is_not_translatable():
    problems = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        words = untranslatable_words(path.read_text(encoding="utf-8"), path.suffix == ".html")
        if words:
            problems.append(f"  {path.relative_to(ROOT)}: {' '.join(words[:12])}")
    assert not problems, (
        'text outside {{ _() }} cannot be translated; wrap it in {{ _("...") }}:\n'
        + "\n".join(problems)
    )


def test_the_scanner_finds_hard_coded_text():
    """The check above is real: it sees text, titles and button values, not markup or expressions."""
    assert untranslatable_words('<p class="x">{{ _("Hello") }}</p>', True) == []
    assert untranslatable_words("<p>Hello {{ name }}</p>", True) == ["Hello"]
    assert untranslatable_words('<img src="a.png" alt="A shop">', True) == ["alt=A", "alt=shop"]
    assert untranslatable_words('<input type="submit" value="Send">', True) == ["value=Send"]
    assert untranslatable_words('<input type="hidden" name="a" value="b">', True) == []
    assert untranslatable_words('<button name="do" value="approve">{{ x }}</button>', True) == []
    assert untranslatable_words("<a>shops.csv</a> <i>Shops</i>", True) == ["Shops"]
    assert untranslatable_words("Dear {{ name }},\nThanks", False) == ["Dear", "Thanks"]


def french_catalogue_sentences() -> dict[str, str]:
    """English sentences of the catalogue (no placeholder) whose French differs: {english: french}."""
    with FRENCH_PO.open("rb") as f:
        catalog = read_po(f)
    sentences = {}
    for message in catalog:
        if not message.id or message.pluralizable or "%(" in message.id:
            continue
        if " " in message.id and len(message.id) >= 12 and message.string != message.id:
            sentences[message.id] = message.string
    return sentences


def visible_text(page: str) -> str:
    """The text of a page as people read it (tags removed, entities decoded)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(TAG.sub(" ", page)).split())


def french_pages_words() -> dict[str, str]:
    """French sentences of the catalogue (no placeholder) that differ from the English."""
    return {french: english for english, french in french_catalogue_sentences().items()}


@pytest.fixture
def pages(app, client) -> dict[str, dict[str, str]]:
    """The text of every kind of page a resident, a shopkeeper and the town office see, in French
    and in English: {language: {path: text}}."""
    town = build_town(app)
    shop, order = town["shop"], town["order"]
    cancel_by_customer(order, order.customer_id)  # the app writes the reason: it is translated
    db.session.commit()
    office = make_curator()
    public = ["/", "/shops", "/map", f"/shops/{shop.slug}", product_path(town["product"])]
    public += ["/search?q=brie", "/search?q=zzzzzz", "/account/login", "/account/register"]
    public += ["/accessibility", "/credits", "/cart/", "/no-such-page", "/open-data/"]
    base = f"/merchant/shops/{shop.slug}"
    as_who = {
        town["customer"]: ["/orders", f"/orders/{order.id}", "/account/settings"],
        shop.owner: ["/merchant/", base, f"{base}/hours", f"{base}/products/", f"{base}/orders/"],
        office: ["/curation/", f"/curation/shops/{shop.id}", "/curation/shops", "/curation/audit"],
    }
    found: dict[str, dict[str, str]] = {}
    for language in ("fr", "en"):
        visitor = app.test_client()
        visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        texts = {path: visitor.get(path).get_data(as_text=True) for path in public}
        for user, paths in as_who.items():
            browser = app.test_client()
            browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
            login(browser, user, PASSWORD)
            texts.update({path: browser.get(path).get_data(as_text=True) for path in paths})
        found[language] = {path: visible_text(page) for path, page in texts.items()}
    return found


def test_each_language_keeps_no_sentence_of_the_catalogue_untranslated(app, pages):
    """A French page shows no English sentence of the catalogue, and an English page no French."""
    sentences = french_catalogue_sentences()
    assert len(sentences) > 100
    english = app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    home = visible_text(english.get("/account/register").get_data(as_text=True))
    assert sum(sentence in home for sentence in sentences) >= 3, "the check would see English"
    [order_page] = [t for p, t in pages["fr"].items() if re.fullmatch(r"/orders/\d+", p)]
    assert "annulée par le client" in order_page
    leftovers = [
        f"  {path}: {english!r} (French: {sentences[english]!r})"
        for path, text in pages["fr"].items()
        for english in sentences
        if english in text and sentences[english] not in text
    ]
    assert not leftovers, "English left on French pages:\n" + "\n".join(leftovers)
    french_words = french_pages_words()
    leftovers = [
        f"  {path}: {french!r} (English: {french_words[french]!r})"
        for path, text in pages["en"].items()
        for french in french_words
        if french in text and french_words[french] not in text
    ]
    assert not leftovers, "French left on English pages:\n" + "\n".join(leftovers)


def test_every_image_of_every_template_has_a_text_alternative():
    """RGAA 1.1: an <img> always has alt (empty only when the image says nothing more)."""
    missing = [
        f"{path.relative_to(ROOT)}: {tag[:80]}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for tag in re.findall(r"<img\b[^>]*>", JINJA.sub("x", path.read_text(encoding="utf-8")))
        if not re.search(r"\salt=", tag)
    ]
    assert not missing, "images without alt:\n" + "\n".join(missing)
