"""Idempotency-Key on the API's POSTs: a retried request gets the first answer, done once.

The key is claimed by inserting its row and committing before the work starts: of two
concurrent requests with one key, the second insert breaks the unique (token, key) constraint
and that request is told the first is still running (409), so both never execute.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from datetime import datetime, timedelta
from functools import wraps

from flask import Response, g, make_response, request
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from marketplace.api.errors import ApiError, answer_api_error
from marketplace.api.models import ApiToken, IdempotencyKey
from marketplace.db import utcnow
from marketplace.extensions import db

HEADER = "Idempotency-Key"
KEY_LIFETIME = timedelta(hours=24)
KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII: a UUID fits
# What a replay repeats besides the status and the body; rate-limit and caching headers are fresh.
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag", "Link")


def request_fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """sha256 of what the request asks: a JSON body counts by its content, not its spacing."""
    with contextlib.suppress(ValueError):  # not JSON: the bytes as sent
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256(f"{method} {path}?{query}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def claim_key(token: ApiToken, key: str, fingerprint: str, now: datetime | None = None):
    """Insert the key's row; return (row, True), or (the existing row, False) when it was used."""
    now = now or utcnow()
    # Keys are kept KEY_LIFETIME: the token's older ones are forgotten and may be used again.
    db.session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.token_id == token.id, IdempotencyKey.created_at < now - KEY_LIFETIME
        )
    )
    row = IdempotencyKey(token_id=token.id, key=key, fingerprint=fingerprint, created_at=now)
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(
            select(IdempotencyKey).where(
                IdempotencyKey.token_id == token.id, IdempotencyKey.key == key
            )
        )
        if existing is None:  # forgotten between our insert and this read: claim it again
            return claim_key(token, key, fingerprint, now)
        return existing, False
    return row, True


def record_answer(row: IdempotencyKey, response: Response) -> None:
    """Keep the answer to replay it."""
    row.status_code = response.status_code
    row.response_body = response.get_data(as_text=True)
    headers = {
        name: response.headers[name] for name in REPLAYED_HEADERS if name in response.headers
    }
    row.response_headers = json.dumps(headers)


def replay(row: IdempotencyKey) -> Response:
    """The first answer again, marked as a replay."""
    response = Response(row.response_body, row.status_code)
    response.headers.update(json.loads(row.response_headers or "{}"))
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _key_of_request() -> str | None:
    key = request.headers.get(HEADER)
    if key is not None and not KEY_RE.match(key):
        raise ApiError(
            400,
            _("An Idempotency-Key is 1 to 255 visible ASCII characters (a UUID, for instance)."),
            {HEADER: [_("Not a valid key.")]},
        )
    return key


def idempotent(view):
    """Honour an Idempotency-Key on this POST (placed under token_required: keys are per token)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        key = _key_of_request()
        if key is None:
            return view(*args, **kwargs)
        fingerprint = request_fingerprint(
            request.method, request.path, request.query_string.decode(), request.get_data()
        )
        row, claimed = claim_key(g.api_token, key, fingerprint)
        if not claimed:
            return _answer_to_retry(row, fingerprint)
        try:
            response = make_response(view(*args, **kwargs))
        except ApiError as error:
            db.session.rollback()  # as the error handler would: nothing of the request is kept
            response = answer_api_error(error)
        except Exception:
            _forget(row)  # a crash changed nothing: the client may retry with the same key
            raise
        if response.status_code >= 500:
            _forget(row)
        else:
            record_answer(row, response)
            db.session.commit()
        return response

    wrapped.idempotent = True  # type: ignore[attr-defined]  # read by the OpenAPI document
    return wrapped


def _answer_to_retry(row: IdempotencyKey, fingerprint: str) -> Response:
    if row.fingerprint != fingerprint:
        raise ApiError(
            422,
            _("This Idempotency-Key was already used with another request."),
            code="idempotency-key-reused",
        )
    if row.status_code is None:
        raise ApiError(
            409,
            _("The first request with this Idempotency-Key is still running: retry shortly."),
            headers={"Retry-After": "1"},
            code="idempotency-key-in-use",
        )
    return replay(row)


def _forget(row: IdempotencyKey) -> None:
    db.session.rollback()
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row.id))
    db.session.commit()
