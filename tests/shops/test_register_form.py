"""The shop form with the registers: Look up fills it from Sirene, the address places the pin,
a closed establishment is refused, and the curator sees what the registers said."""

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from shops.models import DRAFT, Shop
from shops.registers.models import BAN, SIRENE, RegisterCheck
from tests.conftest import alerts, english_client, page_text, post_form
from tests.curation.helpers import make_curator
from tests.factories import login, make_shop, shop_form_data
from tests.shops.fake_registers import (
    ACTIVE_SIRET,
    CLOSED_SIRET,
    UNKNOWN_SIRET,
)

NEW = "/merchant/shops/new"


@pytest.fixture
def client(app):
    return english_client(app)


def shop_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Shop))


def test_the_form_has_no_latitude_or_longitude_to_type(app, client, shopkeeper):
    login(client, shopkeeper)
    html = page_text(client.get(NEW))
    assert 'id="lat" name="lat" type="hidden"' in html
    assert 'id="lon" name="lon" type="hidden"' in html
    assert "Latitude" not in html
    assert 'id="pin-map"' in html and 'data-lat="48.8589"' in html  # the town centre


def test_look_up_fills_the_form_from_sirene_without_saving(app, client, shopkeeper, registers):
    login(client, shopkeeper)
    typed = shop_form_data(name="", address="", postcode="", lat="", lon="", category="")
    response = post_form(client, NEW, {**typed, "siret": "732 829 320 00074", "lookup": "1"})
    html = page_text(response)
    assert response.status_code == 200
    assert "Sirene register: BOULANGERIE OBERKAMPF, 80 rue Oberkampf, 75011 Paris." in html
    assert "The establishment is active." in html and "Suggested category: Bakery." in html
    assert 'name="name" required type="text" value="BOULANGERIE OBERKAMPF"' in html
    assert 'value="80 rue Oberkampf"' in html and 'value="75011"' in html
    assert '<option selected value="boulangerie">' in html
    assert 'name="lat" type="hidden" value="48.865200"' in html  # the geocoder placed it
    assert shop_count() == 0


def test_a_closed_establishment_cannot_be_saved(app, client, shopkeeper, registers):
    login(client, shopkeeper)
    response = post_form(client, NEW, shop_form_data(siret=CLOSED_SIRET))
    assert response.status_code == 400
    assert (
        "The Sirene register says this establishment closed on June 30, 2024: "
        "a closed establishment cannot be submitted for review."
    ) in page_text(response)
    assert shop_count() == 0


def test_saving_places_the_address_and_records_the_answers_for_the_curator(
    app, client, shopkeeper, registers
):
    login(client, shopkeeper)
    response = post_form(client, NEW, shop_form_data(siret=ACTIVE_SIRET, lat="", lon=""))
    assert response.status_code == 302
    shop = db.session.scalar(select(Shop))
    assert (shop.lat, shop.lon, shop.siret) == (48.8652, 2.3791, ACTIVE_SIRET)
    messages = alerts(client.get(response.headers["Location"]))
    assert (
        "info",
        "The map position comes from the address (confidence 93 %): check the pin on the map.",
    ) in messages
    checks = db.session.scalars(select(RegisterCheck).order_by(RegisterCheck.register)).all()
    assert [(c.register, c.outcome, c.active, c.score) for c in checks] == [
        (BAN, "found", None, 0.93),
        (SIRENE, "found", True, None),
    ]

    edit = page_text(client.get(f"/merchant/shops/{shop.slug}"))
    assert (
        "BOULANGERIE OBERKAMPF, 80 rue Oberkampf, 75011 Paris. Active establishment."
        in " ".join(edit.split())
    )
    client.post("/account/logout")
    office = english_client(app)
    login(office, make_curator())
    html = page_text(office.get(f"/curation/shops/{shop.id}"))
    assert "Sirene register, on " in html and ": BOULANGERIE OBERKAMPF, 80 rue Oberkampf" in html
    assert "Active establishment." in html and "Activity code (NAF): 10.71C." in html
    assert "Address register (BAN): 80 Rue Oberkampf 75011 Paris, confidence 93 %" in html


def test_a_pin_placed_by_hand_wins_over_the_geocoder(app, client, registers):
    shop = make_shop(published=False)
    login(client, shop.owner)
    data = shop_form_data(
        address="82 rue Oberkampf", lat="48.8660", lon="2.3800", position_source="pin"
    )
    assert post_form(client, f"/merchant/shops/{shop.slug}", data).status_code == 302
    db.session.refresh(shop)
    assert (shop.lat, shop.lon, shop.address) == (48.866, 2.38, "82 rue Oberkampf")
    assert registers.questions("ban") == []


def test_unknown_siret_is_saved_with_a_warning(app, client, shopkeeper, registers):
    login(client, shopkeeper)
    response = post_form(client, NEW, shop_form_data(siret=UNKNOWN_SIRET))
    assert response.status_code == 302
    assert (
        "warning",
        "The Sirene register does not know this SIRET: the town office will check it.",
    ) in alerts(client.get(response.headers["Location"]))


def test_offline_the_form_still_works_and_says_the_registers_are_unavailable(
    app, client, shopkeeper
):
    login(client, shopkeeper)
    looked_up = post_form(client, NEW, shop_form_data(siret=ACTIVE_SIRET, lookup="1"))
    assert looked_up.status_code == 200
    assert "The Sirene register cannot be reached now" in page_text(looked_up)
    response = post_form(client, NEW, shop_form_data(siret=ACTIVE_SIRET, lat="", lon=""))
    assert response.status_code == 302
    shop = db.session.scalar(select(Shop))
    assert (shop.lat, shop.lon) == (None, None)  # the pin, at the town centre, is for later
    messages = alerts(client.get(response.headers["Location"]))
    assert (
        "warning",
        "We could not place this address on the map now: place the pin on the map yourself, "
        "or save again later.",
    ) in messages
    assert (
        "info",
        "The Sirene register cannot be reached now: the town office will check your SIRET later.",
    ) in messages


def test_a_shop_whose_establishment_closed_cannot_be_submitted(app, client, registers):
    shop = make_shop(published=False, siret=CLOSED_SIRET)
    db.session.commit()
    login(client, shop.owner)
    response = post_form(client, f"/merchant/shops/{shop.slug}/submit", token_from="/merchant/")
    assert response.status_code == 302
    assert (
        "error",
        "The Sirene register says this establishment is closed: a closed establishment cannot "
        "be submitted for review. Check the SIRET in your shop's details.",
    ) in alerts(client.get("/merchant/"))
    db.session.refresh(shop)
    assert shop.status == DRAFT


def test_in_french_the_look_up_speaks_french(app, shopkeeper, registers):
    client = app.test_client()  # French, the default language
    login(client, shopkeeper)
    response = post_form(client, NEW, shop_form_data(siret=CLOSED_SIRET, lookup="1"))
    html = page_text(response)
    assert "L’établissement est fermé." in html
    assert "Selon le répertoire Sirene, cet établissement a fermé le 30 juin 2024\u202f:" in html
