"""Vouchers: unguessable single-use codes, found however they are typed, emailed or printed."""

from __future__ import annotations

import math
import re
import zlib

import pytest
from sqlalchemy import select

from marketplace.accounts.models import RESIDENT
from marketplace.audit import AuditLog
from marketplace.campaigns import vouchers
from marketplace.campaigns.emails import email_voucher, email_voucher_batch
from marketplace.campaigns.models import MATCHED, VOUCHER_ISSUED, VOUCHER_VOID
from marketplace.campaigns.services import transition_campaign
from marketplace.campaigns.sheet import voucher_sheet_pdf
from marketplace.campaigns.vouchers import InvalidBatch, find_voucher, issue_vouchers
from marketplace.extensions import db
from tests.campaigns.helpers import assert_ledger_balanced, make_campaign, make_curator
from tests.conftest import drain_jobs, outbox
from tests.factories import make_user


def test_codes_carry_at_least_sixty_random_bits_from_an_unambiguous_alphabet(app):
    assert len(vouchers.ALPHABET) == len(set(vouchers.ALPHABET)) == 32
    assert not set("ILOU") & set(vouchers.ALPHABET)  # no 1/I/L or 0/O to mix up, no U
    assert vouchers.CODE_LENGTH * math.log2(len(vouchers.ALPHABET)) >= 60
    office = make_curator()
    campaign = make_campaign(office)

    batch = issue_vouchers(campaign, 500, office, label="Mairie annexe")
    db.session.commit()

    codes = [v.code for v in batch.vouchers]
    assert len(codes) == len(set(codes)) == batch.count == 500
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{12}", code) for code in codes)
    # Random, not a counter: no two codes share their first eight characters.
    assert len({code[:8] for code in codes}) == 500
    assert {v.status for v in batch.vouchers} == {VOUCHER_ISSUED}
    assert batch.vouchers[0].display_code.count("-") == 2
    assert_ledger_balanced(campaign.id)  # issuing spends nothing: only redemptions do


def test_a_code_is_found_whatever_the_case_dashes_spaces_or_look_alike_letters(app):
    office = make_curator()
    campaign = make_campaign(office)
    voucher = issue_vouchers(campaign, 1, office).vouchers[0]
    voucher.code = "0123ABCD1XYZ"
    db.session.commit()

    for typed in ("0123-ABCD-1XYZ", "0123abcd1xyz", " o123 abcd ixyz ", "O123-ABCD-LXYZ"):
        assert find_voucher(typed) == voucher, typed
    for typed in ("", "0123-ABCD-1XY", "0123-ABCD-1XYZ9", "0123-ABCD-1XYU", "' OR 1=1 --"):
        assert find_voucher(typed) is None, typed


def test_a_batch_is_refused_for_a_matched_or_closed_campaign_or_an_absurd_count(app):
    office = make_curator()
    matched = make_campaign(office, kind=MATCHED)
    with pytest.raises(InvalidBatch, match="not_voucher"):
        issue_vouchers(matched, 10, office)
    campaign = make_campaign(office, name="Bons")
    for count in (0, -1, vouchers.MAX_BATCH + 1):
        with pytest.raises(InvalidBatch, match="count"):
            issue_vouchers(campaign, count, office)
    with pytest.raises(InvalidBatch, match="email"):
        issue_vouchers(campaign, 0, office, emails=["not-an-address"])
    transition_campaign(campaign, "closed", office)
    with pytest.raises(InvalidBatch, match="closed"):
        issue_vouchers(campaign, 10, office)


def test_a_pasted_list_of_addresses_is_cleaned_and_the_bad_ones_named():
    good, bad = vouchers.parse_emails(
        "Anne@Example.org, bob@example.org;\nanne@example.org\nnope\n"
    )
    assert good == ["anne@example.org", "bob@example.org"]
    assert bad == ["nope"]


def test_closing_the_campaign_voids_its_unused_vouchers(app):
    office = make_curator()
    campaign = make_campaign(office)
    batch = issue_vouchers(campaign, 3, office)
    db.session.commit()
    transition_campaign(campaign, "closed", office)
    db.session.commit()
    db.session.expire_all()
    assert {v.status for v in batch.vouchers} == {VOUCHER_VOID}


def test_emailed_vouchers_go_out_by_a_job_in_each_residents_language(app, queued_jobs):
    office = make_curator()
    campaign = make_campaign(office, name="Noël dans nos rues")
    english = make_user("tom@example.org", RESIDENT, "Tom")
    english.locale = "en"
    db.session.commit()
    batch = issue_vouchers(
        campaign, 0, office, emails=["Tom@example.org", "marie@example.org"], label="Liste"
    )
    db.session.commit()
    assert batch.count == 2 and {v.email for v in batch.vouchers} == {
        "tom@example.org",
        "marie@example.org",
    }
    assert outbox(app) == []  # nothing sent within the request

    email_voucher_batch.delay(batch.id)
    assert drain_jobs(app) == 3  # the batch job, then one job per voucher

    mails = {m.split("\n", 1)[0]: m for m in outbox(app)}
    tom, marie = mails["To: tom@example.org"], mails["To: marie@example.org"]
    codes = {v.email: v.display_code for v in batch.vouchers}
    assert "Your voucher for Noël dans nos rues" in tom and codes["tom@example.org"] in tom
    assert "Votre bon d’achat pour Noël dans nos rues" in marie
    assert codes["marie@example.org"] in marie and "10,00\u202f€" in marie
    db.session.expire_all()
    assert all(v.sent_at is not None for v in batch.vouchers)
    assert not email_voucher.run_now(batch.vouchers[0].id)  # sent once
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "campaign.vouchers_issued"))
    assert audit.actor_id == office.id and audit.reason == "Liste"


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF made by fpdf2: the strings of the Tj operators of its page streams."""
    drawn = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream  # uncompressed
        if b"BT" not in content or b"Tj" not in content:
            continue  # an image or a font, not a page's drawing
        drawn += re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", content)
    return "\n".join(s.decode("cp1252", "replace") for s in drawn)


def test_the_printed_sheet_shows_every_code_value_and_period_ten_to_a_page(app):
    office = make_curator()
    campaign = make_campaign(office, name="Noël dans nos rues", voucher_face_cents=1500)
    batch = issue_vouchers(campaign, 12, office)
    db.session.commit()

    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        data = voucher_sheet_pdf(batch)

    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for voucher in batch.vouchers:
        assert voucher.display_code in text
    assert "15,00 €" in text and "Noël dans nos rues" in text
    assert "Valable du" in text
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 2  # 12 vouchers: 10 + 2
    assert len(re.findall(rb"/Subtype\s*/Image", data)) >= 1  # the QR codes


def test_the_sheet_prints_a_full_qr_code_that_phones_and_the_counter_can_read():
    """A code this short fits a Micro QR, which jsQR (the counter) and most phones cannot read."""
    from PIL import Image

    from marketplace.campaigns.sheet import _qr_png

    with Image.open(_qr_png("ABCD-EFGH-JKMN")) as image:
        # A version 1 QR code: 21 modules and a quiet zone of 4 on each side, 8 pixels a module.
        assert image.size == ((21 + 2 * 4) * 8, (21 + 2 * 4) * 8)
