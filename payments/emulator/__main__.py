"""Command line: python -m payments.emulator [--host H] [--port P] [--webhook-url U --webhook-secret S]."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys

from aiohttp import web

from . import events
from .compat import Settings
from .server import create_app

READY = "stripe-emulator ready on"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read options, defaulting to STRIPE_EMULATOR_HOST/PORT and STRIPE_WEBHOOK_URL/SECRET."""
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m payments.emulator", description=__doc__)
    parser.add_argument("--host", default=env("STRIPE_EMULATOR_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port",
        type=int,
        default=int(env("STRIPE_EMULATOR_PORT", "8420")),
        help="0 picks a free port (read it from the ready line)",
    )
    parser.add_argument("--webhook-url", default=env("STRIPE_WEBHOOK_URL"))
    parser.add_argument("--webhook-secret", default=env("STRIPE_WEBHOOK_SECRET"))
    parser.add_argument(
        "--webhook-attempts",
        type=int,
        default=5,
        help="delivery attempts per event and endpoint (default 5)",
    )
    parser.add_argument(
        "--webhook-backoff",
        type=float,
        default=0.5,
        help="seconds before the first retry, doubled each time (default 0.5)",
    )
    parser.add_argument(
        "--public-url",
        default=env("STRIPE_EMULATOR_PUBLIC_URL"),
        help="base URL of hosted pages (default: the Host the API was called on)",
    )
    parser.add_argument("--log-level", default=env("STRIPE_EMULATOR_LOG_LEVEL", "INFO"))
    args = parser.parse_args(argv)
    if args.webhook_url and not args.webhook_secret:
        parser.error("--webhook-url needs --webhook-secret (or STRIPE_WEBHOOK_SECRET)")
    return args


async def serve(args: argparse.Namespace) -> None:
    """Listen, print the ready line, and run until SIGTERM or SIGINT."""
    events.configure(
        args.webhook_url, args.webhook_secret, args.webhook_attempts, args.webhook_backoff
    )
    Settings.public_url = args.public_url
    runner = web.AppRunner(create_app(), access_log=logging.getLogger("stripe_emulator.access"))
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    host = f"[{host}]" if ":" in host else host
    print(f"{READY} http://{host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=args.log_level.upper(),
        format="stripe-emulator %(levelname)s %(name)s: %(message)s",
    )
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
