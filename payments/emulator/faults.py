"""A hung Stripe: the API accepts connections but answers nothing for a while."""

from __future__ import annotations

import asyncio

from aiohttp import web
from localstripe.server import get_post_data, json_response

from .errors import as_int

POLL = 0.02  # seconds between two looks at the hang's end (it can be ended early)


class Hang:
    """Until `until` (event-loop time), API requests wait; `held` counts those waiting."""

    until = 0.0
    held = 0


def _hung() -> bool:
    return Hang.until > asyncio.get_running_loop().time()


@web.middleware
async def hang_middleware(request: web.Request, handler):
    """Hold /v1/ requests while hung, then carry them out (a client that gave up never knows)."""
    if not request.path.startswith("/v1/") or not _hung():
        return await handler(request)
    await request.read()  # kept by aiohttp: the request outlives a client that gives up
    Hang.held += 1
    try:
        while _hung():
            await asyncio.sleep(POLL)
        # As on Stripe after a timeout, the request is still made: its answer may be lost.
        return await handler(request)
    finally:
        Hang.held -= 1


async def hang(request: web.Request) -> web.Response:
    """POST /_config/hang (seconds=N): hang the API for N seconds; 0 ends a hang.

    Ending a hang answers once the requests it held have been carried out, so that a test reads
    their effects next without waiting.
    """
    data = await get_post_data(request) or {}
    seconds = as_int(data.get("seconds", 0), "seconds", 0)
    loop = asyncio.get_running_loop()
    Hang.until = loop.time() + seconds
    if seconds == 0:
        deadline = loop.time() + 10
        while Hang.held and loop.time() < deadline:
            await asyncio.sleep(POLL)
    return json_response({"hung_for": seconds, "held": Hang.held})
