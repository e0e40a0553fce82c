"""Stripe's Idempotency-Key: one saved answer per key and parameters, errors included."""

from __future__ import annotations

import json

from aiohttp import web
from localstripe import server as lss
from localstripe.errors import UserError

from .compat import api_key

MAX_KEYS = 20000
_saved: dict[tuple[str, str], dict] = {}
_in_flight: set[tuple[str, str]] = set()


def _error(status: int, message: str) -> web.Response:
    body = {"error": {"type": "idempotency_error", "message": message}}
    return lss.json_response(body, status=status)


def _validation_error(response: web.Response) -> bool:
    """True for an answer given before the endpoint ran (Stripe saves nothing for those)."""
    if response.status in (401, 429):
        return True
    try:
        error = json.loads(response.body or b"")["error"]  # type: ignore[arg-type]  # aiohttp types body as Payload
    except (TypeError, ValueError, KeyError):
        return False
    code = error.get("code") or ""
    return code.startswith("parameter_") or error.get("type") == "idempotency_error"


def _replay(saved: dict, key: str) -> web.Response:
    return web.Response(
        body=saved["body"],
        status=saved["status"],
        content_type="application/json",
        headers={"Idempotent-Replayed": "true", "Idempotency-Key": key},
    )


@web.middleware
async def idempotency_middleware(request: web.Request, handler):
    """Replay the first answer to a key (success or error); other parameters are an error."""
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key or not request.path.startswith("/v1/"):
        return await handler(request)
    slot = (api_key(request) or "", key)
    params = json.dumps(await lss.get_post_data(request, remove_auth=False) or {}, sort_keys=True)
    saved = _saved.get(slot)
    if saved is not None:
        if saved["path"] != request.path or saved["params"] != params:
            return _error(
                400,
                f"Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                f"execute a different request.",
            )
        return _replay(saved, key)
    if slot in _in_flight:
        return _error(
            409,
            "There is currently another in-progress request using this "
            "Stripe token or idempotency key.",
        )
    _in_flight.add(slot)
    try:
        try:
            response = await handler(request)
        except UserError as exc:
            response = exc.to_response()
    finally:
        _in_flight.discard(slot)
    # Stripe saves every answer once the endpoint has started, errors (even 500) included.
    if not _validation_error(response):
        if len(_saved) >= MAX_KEYS:  # Stripe keeps keys 24 h; we keep the latest ones
            for old in list(_saved)[: MAX_KEYS // 2]:
                del _saved[old]
        _saved[slot] = {
            "path": request.path,
            "params": params,
            "status": response.status,
            "body": response.body,
        }
    response.headers["Idempotency-Key"] = key
    return response
