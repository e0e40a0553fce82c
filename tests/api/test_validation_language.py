"""Marshmallow's own messages answer in the caller's language, like ours."""

from __future__ import annotations

from marketplace.validation_messages import translate_validation
from tests.api.conftest import bearer


def test_library_validation_messages_are_in_the_callers_language(app, client, bakery_token):
    body = {"name": None, "price_cents": 250, "description": 12}
    for language, null, not_text in (
        ("fr", "Ce champ ne peut pas être nul.", "Ce n’est pas une chaîne de caractères."),
        ("en", "Field may not be null.", "Not a valid string."),
    ):
        headers = {**bearer(bakery_token), "Accept-Language": language}
        answer = client.post("/api/v1/merchant/products", json=body, headers=headers)
        assert answer.status_code == 400, answer.get_json()
        errors = answer.get_json()["errors"]
        assert errors["name"] == [null] and errors["description"] == [not_text]


def test_formatted_messages_keep_their_values(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert translate_validation("Length must be between 1 and 120.") == (
            "La longueur doit être comprise entre 1 et 120."
        )
        assert translate_validation("Must be greater than or equal to 0.") == (
            "Doit être supérieur ou égal à 0."
        )
        assert translate_validation("Saisissez un nom.") == "Saisissez un nom."
