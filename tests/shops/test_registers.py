"""The Sirene and BAN adapters against fake servers answering in the real formats."""

from datetime import date

from shops.categories import BY_CODE
from shops.registers.ban import geocode
from shops.registers.naf import NAF_CATEGORIES, category_for_naf
from shops.registers.sirene import FOUND, NOT_FOUND, UNAVAILABLE, look_up_siret
from tests.shops.fake_registers import (
    ACTIVE_SIRET,
    CLOSED_SIRET,
    SLOW_SIRET,
    SLOW_STREET,
    UNKNOWN_SIRET,
)


def test_sirene_finds_an_active_establishment_and_suggests_its_category(registers):
    answer = look_up_siret(ACTIVE_SIRET)
    place = answer.establishment
    assert answer.outcome == FOUND
    assert (place.legal_name, place.street, place.postcode, place.city) == (
        "BOULANGERIE OBERKAMPF",
        "80 rue Oberkampf",
        "75011",
        "Paris",
    )
    assert (place.active, place.naf, place.category, place.closed_on) == (
        True,
        "10.71C",
        "boulangerie",
        None,
    )
    assert registers.questions("sirene") == [ACTIVE_SIRET]


def test_sirene_says_a_closed_establishment_is_closed_not_its_head_office(registers):
    place = look_up_siret(CLOSED_SIRET).establishment
    assert (place.siret, place.active, place.closed_on) == (CLOSED_SIRET, False, date(2024, 6, 30))
    assert (place.street, place.category) == ("12 rue Saint-Maur", "epicerie-fine")


def test_an_unknown_siret_is_not_found(registers):
    answer = look_up_siret(UNKNOWN_SIRET)
    assert (answer.outcome, answer.establishment) == (NOT_FOUND, None)


def test_a_register_too_slow_is_unavailable_and_asked_again_next_time(registers):
    assert look_up_siret(SLOW_SIRET).outcome == UNAVAILABLE
    assert look_up_siret(SLOW_SIRET).outcome == UNAVAILABLE
    assert registers.questions("sirene") == [SLOW_SIRET, SLOW_SIRET]  # failures are not cached


def test_answers_are_cached(registers):
    look_up_siret(ACTIVE_SIRET)
    look_up_siret(UNKNOWN_SIRET)
    assert look_up_siret(ACTIVE_SIRET).outcome == FOUND
    assert look_up_siret(UNKNOWN_SIRET).outcome == NOT_FOUND
    assert registers.questions("sirene") == [ACTIVE_SIRET, UNKNOWN_SIRET]


def test_offline_both_registers_are_unavailable(app):
    # The test configuration points at a closed port, like `make run` without a network.
    assert look_up_siret(ACTIVE_SIRET).outcome == UNAVAILABLE
    assert geocode("80 rue Oberkampf", "75011", "Paris").outcome == UNAVAILABLE


def test_the_geocoder_gives_a_position_with_its_confidence(registers):
    answer = geocode("80 rue Oberkampf", "75011", "Paris")
    position = answer.position
    assert answer.outcome == FOUND
    assert (position.lat, position.lon, position.score) == (48.8652, 2.3791, 0.93)
    assert position.label == "80 Rue Oberkampf 75011 Paris"
    assert registers.questions("ban") == ["80 rue Oberkampf 75011 Paris"]


def test_the_geocoder_unknown_address_and_timeout(registers):
    assert geocode("9 impasse Nulle Part", "75011", "Paris").outcome == NOT_FOUND
    assert geocode(SLOW_STREET, "75011", "Paris").outcome == UNAVAILABLE


def test_naf_codes_suggest_a_category():
    assert set(NAF_CATEGORIES.values()) <= set(BY_CODE)  # every suggestion is a real category
    assert category_for_naf("10.71C") == "boulangerie"
    assert category_for_naf("4761Z") == "librairie"
    assert category_for_naf("62.01Z") is None
    assert category_for_naf(None) is None
