"""Voucher codes: issued in batches from `secrets`, found again whatever the case or the dashes.

A code is 12 characters of Crockford's base32 (no I, L, O, U): 60 random bits, so guessing one
of a million live codes takes about 10^12 tries on average. Look-ups read O as 0 and I, L as 1.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select

from marketplace.audit import record_action
from marketplace.campaigns.models import (
    CLOSED,
    VOUCHER,
    Campaign,
    Voucher,
    VoucherBatch,
)
from marketplace.extensions import db

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # 32 symbols: 5 bits each
CODE_LENGTH = 12
CODE_BITS = 5 * CODE_LENGTH
MAX_BATCH = 5000  # one print run or one mailing; more is a typing mistake
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class InvalidBatch(ValueError):
    """A batch the rules refuse: `code` says why (not_voucher, closed, count, email), `detail` what."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


def new_code() -> str:
    """A fresh random code (stored form: upper-case, no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a resident typed or scanned -> the stored form ("abcd-efgh-jk0o" -> "ABCDEFGHJK00")."""
    cleaned = re.sub(r"[\s\-_.]", "", (text or "").upper()).translate(_LOOKALIKES)
    return cleaned if len(cleaned) == CODE_LENGTH and set(cleaned) <= set(ALPHABET) else ""


def find_voucher(text: str) -> Voucher | None:
    """The voucher whose code `text` is (normalised), or None."""
    code = normalise_code(text)
    if not code:
        return None
    return db.session.scalar(select(Voucher).where(Voucher.code == code))


def parse_emails(text: str) -> tuple[list[str], list[str]]:
    """Addresses from a pasted list (lines, commas or semicolons): (valid lower-cased, unique), bad."""
    good: dict[str, None] = {}
    bad: list[str] = []
    for item in re.split(r"[\s,;]+", text or ""):
        item = item.strip().strip("<>").lower()
        if not item:
            continue
        if _EMAIL.match(item) and len(item) <= 254:
            good[item] = None
        else:
            bad.append(item)
    return list(good), bad


def _unused_codes(count: int) -> list[str]:
    # A clash is a 1 in 2^60 event per pair, but the unique index would turn it into a 500.
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {new_code() for _ in range(count - len(codes))}
        taken = set(db.session.scalars(select(Voucher.code).where(Voucher.code.in_(wanted))))
        codes |= wanted - taken
    return sorted(codes, key=lambda _c: secrets.randbits(32))


def issue_vouchers(
    campaign: Campaign, count: int, actor, emails: list[str] | None = None, label: str = ""
) -> VoucherBatch:
    """Create a batch of `count` vouchers (one per address when `emails` is given; then count is theirs)."""
    if campaign.kind != VOUCHER or not campaign.voucher_face_cents:
        raise InvalidBatch("not_voucher")
    if campaign.status == CLOSED:
        raise InvalidBatch("closed")
    if emails is not None:
        emails = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
        for email in emails:
            if not _EMAIL.match(email):
                raise InvalidBatch("email", email)
        count = len(emails)
    if not 0 < count <= MAX_BATCH:
        raise InvalidBatch("count", str(count))
    batch = VoucherBatch(
        campaign_id=campaign.id,
        count=count,
        face_cents=campaign.voucher_face_cents,
        label=label.strip()[:120],
        created_by_id=actor.id,
    )
    db.session.add(batch)
    db.session.flush()
    addresses: list[str | None] = list(emails) if emails is not None else [None] * count
    db.session.add_all(
        Voucher(
            campaign_id=campaign.id,
            batch_id=batch.id,
            code=code,
            face_cents=batch.face_cents,
            email=email,
        )
        for code, email in zip(_unused_codes(count), addresses, strict=True)
    )
    db.session.flush()
    record_action(
        actor.id,
        "campaign.vouchers_issued",
        "campaign",
        campaign.id,
        batch.label or None,
        {"batch": [None, batch.id], "count": [None, count], "emailed": [None, emails is not None]},
    )
    return batch
