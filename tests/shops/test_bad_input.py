"""Bad input anywhere on the merchant pages: a clear message in the user's language, nothing changed.

Each case names the message in French and in English with `msg(fr, en)`; the French wording is
the one in marketplace/translations/fr/LC_MESSAGES/messages.po.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import page_text, post_form
from tests.factories import (
    image_bytes,
    login,
    make_product,
    make_shop,
    product_form_data,
    shop_state,
)


def msg(fr: str, en: str) -> dict[str, str]:
    """The same message in French (the default language) and in English."""
    return {"fr": fr, "en": en}


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


TWENTY_MB = 20 * 1024 * 1024


def huge_photo() -> bytes:
    """A real JPEG padded to 20 MB (a phone's RAW export would be that big)."""
    data = image_bytes("JPEG")
    return data + b"\0" * (TWENTY_MB - len(data))


@dataclass
class BadInput:
    """One wrong thing a shopkeeper may send, where, and what they must be told."""

    path: str  # {slug} and {product} are filled in
    data: Callable[[], dict]
    status: int
    message: dict[str, str]


CASES = {
    "negative price": BadInput(
        "/merchant/shops/{slug}/products/new",
        lambda: product_form_data(price="-5,00"),
        400,
        msg("Un prix ne peut pas être négatif.", "A price cannot be negative."),
    ),
    "stock abc": BadInput(
        "/merchant/shops/{slug}/products/{product}",
        lambda: product_form_data(name="Comté 18 mois", price="19,90", stock="abc"),
        400,
        msg(
            "Le stock doit être un nombre entier (ou vide pour illimité).",
            "Stock must be a whole number (or empty for unlimited).",
        ),
    ),
    "20 MB shop photo": BadInput(
        "/merchant/shops/{slug}/photo",
        lambda: {"photo": (io.BytesIO(huge_photo()), "devanture.jpg"), "alt": "La devanture"},
        400,
        msg(
            "Cette photo est trop lourde (10 Mo au maximum).",
            "This photo is too large (10 MB at most).",
        ),
    ),
    "PDF renamed .jpg as shop photo": BadInput(
        "/merchant/shops/{slug}/photo",
        lambda: {"photo": (io.BytesIO(pdf_bytes()), "devanture.jpg"), "alt": "La devanture"},
        400,
        msg(
            "Ce fichier n'est pas une photo que nous savons lire (utilisez JPEG, PNG ou WebP).",
            "This file is not a photo we can read (use JPEG, PNG or WebP).",
        ),
    ),
    "PDF renamed .jpg as product photo": BadInput(
        "/merchant/shops/{slug}/products/new",
        lambda: {
            **product_form_data(name="Raclette"),
            "photos": [(io.BytesIO(pdf_bytes()), "raclette.jpg")],
        },
        400,
        msg(
            "Ce fichier n'est pas une photo que nous savons lire (utilisez JPEG, PNG ou WebP).",
            "This file is not a photo we can read (use JPEG, PNG or WebP).",
        ),
    ),
    "20 MB product photo": BadInput(
        "/merchant/shops/{slug}/products/{product}",
        lambda: {
            **product_form_data(name="Comté 18 mois", price="21,00"),
            "photos": [(io.BytesIO(huge_photo()), "comte.jpg")],
        },
        400,
        msg(
            "Cette photo est trop lourde (10 Mo au maximum).",
            "This photo is too large (10 MB at most).",
        ),
    ),
    "opening hour 25:00": BadInput(
        "/merchant/shops/{slug}/hours",
        lambda: {"monday": "08:00-12:00", "tuesday": "09:00-25:00"},
        400,
        msg(
            "Écrivez les horaires comme 08:00-12:30, 14:00-19:00 (de 00:00 à 24:00).",
            "Write hours like 08:00-12:30, 14:00-19:00 (from 00:00 to 24:00).",
        ),
    ),
    "closure ending before it starts": BadInput(
        "/merchant/shops/{slug}/closures",
        lambda: {"starts_on": "2026-08-23", "ends_on": "2026-08-03", "reason": "Congés"},
        400,
        msg(
            "Le dernier jour ne peut pas précéder le premier jour.",
            "The last day cannot come before the first day.",
        ),
    ),
}


@pytest.fixture
def shop(app, client):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    make_product(shop, "Comté 18 mois", 1990, stock=5)
    login(client, shop.owner)
    return shop


def send(app, client, shop, case: BadInput, language: str):
    """Send the bad input; assert that the shop and the upload folder are exactly as before."""
    before = shop_state(shop.id)
    uploads = Path(app.config["UPLOAD_DIR"])
    files_before = sorted(uploads.rglob("*")) if uploads.exists() else []
    product = before["products"][0]["id"]
    path = case.path.format(slug=shop.slug, product=product)
    response = post_form(
        client,
        path,
        case.data(),
        token_from=f"/merchant/shops/{shop.slug}/hours",
        headers={"Accept-Language": language},
    )
    assert response.status_code == case.status
    assert f'<html lang="{language}">' in response.get_data(as_text=True)
    assert shop_state(shop.id) == before
    assert (sorted(uploads.rglob("*")) if uploads.exists() else []) == files_before
    return page_text(response)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_is_explained_in_english_and_changes_nothing(app, client, shop, case):
    assert case.message["en"] in send(app, client, shop, case, "en")


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_is_explained_in_french_and_changes_nothing(app, client, shop, case):
    assert case.message["fr"] in send(app, client, shop, case, "fr")


def test_the_field_in_error_is_announced_to_screen_readers(app, client, shop):
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/products/new",
        product_form_data(price="-5,00"),
        headers={"Accept-Language": "en"},
    )
    page = response.get_data(as_text=True)
    price = re.search(r"<input[^>]*\bid=\"price\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in price and 'aria-describedby="price-error"' in price
    assert '<p class="error" id="price-error">A price cannot be negative.</p>' in page
    name = re.search(r"<input[^>]*\bid=\"name\"[^>]*>", page).group(0)
    assert "aria-invalid" not in name and "aria-describedby" not in name
    assert '="None"' not in page
