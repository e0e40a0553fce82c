"""The privacy notice: in French and in English, with the periods the retention job applies,
linked from every page's footer and from the forms where personal data is given."""

from __future__ import annotations

import pytest

from tests.conftest import english_client, page_text
from tests.orders.guest_helpers import guest_shop, visitor_with


@pytest.fixture
def town_rules(app):
    """A town with its own contact and retention periods (the job reads the same values)."""
    app.config.update(
        TOWN_NAME="Montreuil",
        PRIVACY_CONTACT="dpo@montreuil.example",
        RETENTION_INACTIVE_DAYS=2 * 365,
        RETENTION_WARNING_DAYS=45,
        RETENTION_SEARCH_LOG_DAYS=60,
        RETENTION_ORDER_PERSONAL_DAYS=4 * 365,
        RETENTION_ORDER_YEARS=10,
        GUEST_DATA_RETENTION_DAYS=180,
    )


def test_the_notice_in_french_shows_the_configured_periods(client, town_rules):
    page = page_text(client.get("/privacy"))

    assert "Politique de confidentialité" in page
    assert "Le responsable du traitement est la ville de Montreuil" in page
    assert 'href="mailto:dpo@montreuil.example"' in page
    assert "sans connexion ni commande pendant 2 ans est supprimé" in page
    assert "par e-mail 45 jours avant" in page
    assert "Les commandes sont conservées 10 ans (Code de commerce, article L123-22)" in page
    assert "4 ans après le retrait" in page
    assert "Effacés 6 mois après la commande" in page
    assert "2 mois" in page
    assert "Intérêt légitime" in page and "Obligation légale" not in page
    assert "obligation légale" in page and "consentement" in page
    assert "Stripe" in page and "États-Unis" in page
    assert 'href="/account/data"' in page
    assert "https://www.cnil.fr/fr/plaintes" in page


def test_the_notice_in_english_shows_the_same_figures(app, town_rules):
    page = page_text(english_client(app).get("/privacy"))

    assert "Privacy notice" in page
    assert "The data controller is the town of Montreuil" in page
    assert "no login and no order for 2 years is deleted" in page
    assert "by email 45 days before" in page
    assert "Order records are kept 10 years" in page and "4 years after the pickup" in page
    assert "Erased 6 months after the order" in page
    assert "2 months; afterwards only the number of searches per day" in page
    assert "Contract" in page and "Legitimate interest" in page and "legal obligation" in page
    assert "Stripe, our payment processor" in page and "United States" in page
    assert "access your data, to rectify it, to erase it" in page and "portability" in page
    assert "dpo@montreuil.example" in page and "CNIL" in page


def test_the_footer_and_the_sign_up_form_link_to_the_notice(client):
    for path in ("/", "/account/register"):
        assert 'href="/privacy"' in page_text(client.get(path)), path
    assert "Comment nous traitons vos données personnelles" in page_text(
        client.get("/account/register")
    )


def test_the_guest_checkout_says_how_long_the_contact_is_kept(app, town_rules):
    _, brie = guest_shop()
    page = page_text(visitor_with(app, brie).get("/checkout/guest"))

    assert "they are erased 6 months after it" in page
    assert 'href="/privacy#retention-guests"' in page
