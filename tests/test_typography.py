"""French typography: a narrow no-break space (U+202F) before ; : ! ? » € and after «, in the
helpers, in the French catalogue, in amounts, and in the labels templates join to a value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from marketplace.typography import NNBSP, colon_for, french_spacing, is_french

ROOT = Path(__file__).resolve().parents[1]
FRENCH_PO = ROOT / "marketplace" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
TEMPLATES = ROOT / "templates"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Retrait : demain", f"Retrait{NNBSP}: demain"),
        ("Merci !", f"Merci{NNBSP}!"),
        ("Mot de passe oublié ?", f"Mot de passe oublié{NNBSP}?"),
        ("modifié ; réessayez", f"modifié{NNBSP}; réessayez"),
        ("12,50\u00a0€", f"12,50{NNBSP}€"),
        ("« CSV UTF-8 »", f"«{NNBSP}CSV UTF-8{NNBSP}»"),
        ("Quoi  ?", f"Quoi{NNBSP}?"),  # two spaces become one narrow one
        (f"Déjà{NNBSP}: rien", f"Déjà{NNBSP}: rien"),  # already right: unchanged
    ],
)
def test_french_spacing_puts_a_narrow_no_break_space_before_the_high_signs(typed, expected):
    assert french_spacing(typed) == expected


@pytest.mark.parametrize(
    "code",
    [
        "Content-Type: application/json",  # no space before: code, left alone
        "Mo-Fr 08:00-12:30; Sa 08:00-13:00",
        "https://vitrine.example.fr/?q=pain",
        "CSV (;)",
    ],
)
def test_french_spacing_leaves_what_has_no_space_before_the_sign(code):
    assert french_spacing(code) == code


def test_the_colon_after_a_label_follows_the_language():
    assert colon_for("fr") == f"{NNBSP}:"
    assert colon_for("fr_FR") == f"{NNBSP}:"
    assert colon_for("en") == ":"
    assert is_french("fr_CA") and not is_french("en") and not is_french(None)


def test_the_colon_filter_escapes_html_and_leaves_plain_text_alone(app):
    # A fresh app context each: Flask-Babel keeps the locale for the app context's lifetime.
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "fr"}):
        env = app.jinja_env
        html = env.from_string("{{ name|colon }} 2").render(name="Pain & Co")
        assert html == f"Pain &amp; Co{NNBSP}: 2"
        text_env = env.overlay(autoescape=False)
        assert text_env.from_string("{{ name|colon }} 2").render(name="Pain & Co") == (
            f"Pain & Co{NNBSP}: 2"
        )
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert app.jinja_env.from_string("{{ 'Total'|colon }}").render() == "Total:"


def test_every_french_message_has_its_narrow_no_break_spaces():
    with FRENCH_PO.open("rb") as f:
        catalogue = read_po(f)
    wrong = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wrong += [s for s in strings if s and french_spacing(s) != s]
    assert not wrong, "write a narrow no-break space (U+202F) before ; : ! ? » € here:\n" + (
        "\n".join(wrong)
    )


def test_templates_join_a_label_to_its_value_with_the_colon_filter():
    """ "{{ _('Total') }}: 12,50 €" would read "Total: 12,50 €" in French: `|colon` writes it."""
    joined = re.compile(r"\}\}\s?[:;!?](?=[\s<])")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.*"))
        if path.suffix in {".html", ".txt"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if joined.search(line)
    ]
    assert not found, "use {{ label|colon }} instead of a colon after }}:\n" + "\n".join(found)


def test_a_french_page_writes_amounts_and_labels_the_french_way(client):
    from tests.factories import make_product, make_shop

    shop = make_shop(name="Épicerie Voltaire", phone="01 43 00 00 00")
    make_product(shop, "Confiture de figues", 1234550, stock=None)
    page = client.get(f"/shops/{shop.slug}", headers={"Accept-Language": "fr"})
    text = page.get_data(as_text=True)
    assert f"12{NNBSP}345,50{NNBSP}€" in text
    assert f"Téléphone{NNBSP}:" in text
    assert "\u00a0€" not in text and " €" not in text
