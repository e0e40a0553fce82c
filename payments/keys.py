"""Idempotency keys for Stripe: one per ledger row, prefixed by this deployment's id.

Stripe keeps a key for 24 hours per account. Two environments on one Stripe test account
(a developer's laptop and the staging town, two CI runs) number their orders alike, so their
keys must differ by more than the row: each deployment prefixes its keys with its own id.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import current_app

PREFIX_FILE = "stripe_idempotency_prefix"
VALID_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$")


class InvalidPrefix(ValueError):
    """A configured prefix Stripe would not take, or too long to leave room for the row's part."""


def _instance_prefix(instance_path: str) -> str:
    """A random id made once and kept in instance/ (the default for a deployment with no id)."""
    path = Path(instance_path) / PREFIX_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x") as handle:  # "x": of two processes starting at once, one writes
            handle.write(f"vitrine-{secrets.token_hex(6)}\n")
    except FileExistsError:
        pass
    return path.read_text().strip()


def idempotency_prefix() -> str:
    """This deployment's prefix: STRIPE_IDEMPOTENCY_PREFIX, else DEPLOYMENT_ID, else instance/."""
    cached = current_app.extensions.get("vitrine.idempotency_prefix")
    if cached is not None:
        return cached
    config = current_app.config
    if config.get("STRIPE_IDEMPOTENCY_PREFIX"):
        prefix = config["STRIPE_IDEMPOTENCY_PREFIX"]
    elif config.get("DEPLOYMENT_ID"):
        prefix = f"vitrine-{config['DEPLOYMENT_ID']}"
    else:
        prefix = _instance_prefix(config["INSTANCE_PATH"])
    if not VALID_PREFIX.match(prefix):
        raise InvalidPrefix(f"idempotency prefix {prefix!r}: letters, digits, . _ - (max 60)")
    current_app.extensions["vitrine.idempotency_prefix"] = prefix
    return prefix


def new_idempotency_key(kind: str, order_id: int) -> str:
    """A key for a new ledger row; never derived from a count, so a reset database cannot reuse it."""
    return f"{idempotency_prefix()}-{kind}-order-{order_id}-{secrets.token_hex(8)}"
