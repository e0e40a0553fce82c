"""Idempotency-Key: a retried POST gets the first answer and is done once; keys are per token."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from marketplace.api.idempotency import KEY_LIFETIME, request_fingerprint
from marketplace.api.models import ApiToken, IdempotencyKey
from marketplace.db import utcnow
from marketplace.extensions import db
from shops.models import Product
from tests.api.conftest import bearer, make_token

PATH = "/api/v1/merchant/products"
FLAN = {"name": "Flan pâtissier", "price_cents": 350, "sku": "FLAN-1"}


def _claim(key: str, fingerprint: str, created_at, status: int | None = None) -> None:
    token = db.session.scalar(select(ApiToken))
    row = IdempotencyKey(token_id=token.id, key=key, fingerprint=fingerprint, created_at=created_at)
    row.status_code, row.response_body = status, "{}" if status else None
    db.session.add(row)
    db.session.commit()


def _products() -> int:
    return db.session.scalar(select(func.count()).select_from(Product))


def _post(client, token, body, key="clef-1", **headers):
    headers = {**bearer(token), "Idempotency-Key": key, **headers}
    return client.post(PATH, json=body, headers=headers)


def test_a_retry_gets_the_first_answer_without_a_second_product(app, client, bakery, bakery_token):
    first = _post(client, bakery_token, FLAN)
    again = _post(client, bakery_token, FLAN)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert _products() == 4  # the fixture's three and one flan


def test_the_same_key_with_another_body_is_a_422(app, client, bakery, bakery_token):
    assert _post(client, bakery_token, FLAN).status_code == 201
    other = _post(client, bakery_token, {**FLAN, "price_cents": 360})
    assert other.status_code == 422 and other.get_json()["code"] == "idempotency-key-reused"
    assert _products() == 4


def test_keys_are_per_token_and_refusals_are_replayed_too(app, client, bakery, bakery_token):
    second_token = make_token(bakery, "Stock")
    assert _post(client, bakery_token, FLAN).status_code == 201
    taken = _post(client, second_token, FLAN)  # same key, another token: a new request
    assert taken.status_code == 409 and taken.get_json()["code"] == "sku-taken"
    assert _post(client, second_token, FLAN).get_json() == taken.get_json()
    bad = _post(client, bakery_token, FLAN, key="é" * 3)
    assert bad.status_code == 400 and "Idempotency-Key" in bad.get_json()["errors"]


def test_a_duplicate_arriving_while_the_first_runs_does_not_execute(
    app, client, bakery, bakery_token
):
    # The first request claimed the key (its row is committed before its work) and still runs.
    fingerprint = request_fingerprint("POST", PATH, "", json.dumps(FLAN).encode())
    _claim("clef-1", fingerprint, utcnow())
    busy = _post(client, bakery_token, FLAN)
    assert busy.status_code == 409 and busy.get_json()["code"] == "idempotency-key-in-use"
    assert busy.headers["Retry-After"] == "1"
    assert _products() == 3


def test_a_key_is_kept_a_day_then_may_be_used_again(app, client, bakery, bakery_token):
    _claim("clef-1", "0" * 64, utcnow() - KEY_LIFETIME - timedelta(minutes=1), status=201)
    assert _post(client, bakery_token, FLAN).status_code == 201
    assert db.session.scalar(select(IdempotencyKey.fingerprint)) != "0" * 64


def test_every_post_of_the_api_takes_an_idempotency_key(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    posts = [op for ops in spec["paths"].values() for m, op in ops.items() if m == "post"]
    assert len(posts) == 3
    for operation in posts:
        names = {p.get("name") for p in operation["parameters"]}
        assert "Idempotency-Key" in names, operation["operationId"]
