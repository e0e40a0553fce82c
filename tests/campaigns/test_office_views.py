"""The office's campaign pages: create both kinds, refuse bad input in words, confirm status changes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import RESIDENT, SHOPKEEPER
from marketplace.audit import AuditLog
from marketplace.campaigns.budget import hold_redemption
from marketplace.campaigns.models import ACTIVE, CLOSED, DRAFT, MATCHED, Campaign, Voucher
from marketplace.extensions import db
from tests.campaigns.helpers import assert_ledger_balanced, make_campaign, make_curator
from tests.conftest import alerts, csrf_token, english_client, page_text, post_form
from tests.factories import login, make_user
from tests.orders.helpers import make_order

VOUCHERS = {
    "name": "Noël dans nos rues",
    "kind": "voucher",
    "starts_on": "2026-12-01",
    "ends_on": "2026-12-31",
    "budget": "50 000",
    "resident_cap": "",
    "voucher_face": "10",
    "match_percent": "",
    "match_order_cap": "",
    "postcodes": "",
}
MATCHING = {
    **VOUCHERS,
    "name": "Coup de pouce rue Oberkampf",
    "kind": "matched",
    "voucher_face": "",
    "match_percent": "12,5",
    "match_order_cap": "15",
    "resident_cap": "60",
    "categories": ["librairie", "fromagerie"],
    "postcodes": "75011, 75020",
}


@pytest.fixture
def office(app):
    client = app.test_client()
    login(client, make_curator())
    return client


def campaign_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Campaign))


def test_the_office_creates_a_voucher_campaign_and_a_matched_one(app, office):
    created = post_form(office, "/curation/campaigns/new", VOUCHERS)
    assert created.status_code == 303
    voucher = db.session.scalar(select(Campaign).where(Campaign.kind == "voucher"))
    assert (voucher.budget_cents, voucher.voucher_face_cents, voucher.status) == (
        5_000_000,
        1000,
        DRAFT,
    )
    assert created.headers["Location"].endswith(f"/curation/campaigns/{voucher.id}")

    assert post_form(office, "/curation/campaigns/new", MATCHING).status_code == 303
    matched = db.session.scalar(select(Campaign).where(Campaign.kind == MATCHED))
    assert (matched.match_bps, matched.match_order_cap_cents, matched.resident_cap_cents) == (
        1250,
        1500,
        6000,
    )
    assert matched.categories == ["fromagerie", "librairie"]
    assert matched.postcodes == ["75011", "75020"]
    assert matched.voucher_face_cents is None

    listing = page_text(office.get("/curation/campaigns"))
    assert "Noël dans nos rues" in listing and "Coup de pouce rue Oberkampf" in listing
    assert "50\u202f000,00\u202f€" in listing  # the remaining budget, in French
    assert "La ville paie 12,5\u202f% de chaque commande" in listing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"budget": "douze"}, "Enter an amount in euros, such as 10 or 12,50."),
        ({"budget": "-5"}, "Enter an amount in euros, such as 10 or 12,50."),
        ({"voucher_face": ""}, "This field is required."),
        ({"ends_on": "2026-11-01"}, "The last day cannot come before the first day."),
        ({"kind": "matched", "match_percent": "120"}, "Enter a share between 0,01 and 100 %."),
        ({"postcodes": "75011, Paris"}, "Enter French postcodes of five digits"),
        ({"voucher_face": "60000"}, "A voucher cannot be worth more than the whole budget."),
        ({"name": "\x00"}, "This field contains a character that is not allowed."),
    ],
)
def test_bad_input_shows_the_form_again_with_the_error_in_english(app, changes, message):
    client = english_client(app)
    login(client, make_curator())
    answer = post_form(client, "/curation/campaigns/new", {**VOUCHERS, **changes})
    assert answer.status_code == 400
    assert message in page_text(answer)
    assert 'value="2026-12-01"' in page_text(answer)  # what was typed is kept
    assert campaign_count() == 0


def test_bad_input_is_explained_in_french_too(app, office):
    answer = post_form(office, "/curation/campaigns/new", {**VOUCHERS, "budget": "douze"})
    assert answer.status_code == 400
    assert "Saisissez un montant en euros, par exemple 10 ou 12,50." in page_text(answer)
    assert campaign_count() == 0


def test_residents_and_shopkeepers_get_403_and_write_nothing(app):
    for role in (RESIDENT, SHOPKEEPER):
        client = app.test_client()
        login(client, make_user(f"{role}@example.org", role, "Someone"))
        assert client.get("/curation/campaigns").status_code == 403
        token = csrf_token(client, "/")
        answer = client.post("/curation/campaigns/new", data={**VOUCHERS, "csrf_token": token})
        assert answer.status_code == 403
    assert campaign_count() == 0


def test_a_form_without_its_csrf_token_is_refused(app, office):
    campaign = make_campaign(make_curator("other@example.org"))
    assert office.post("/curation/campaigns/new", data=VOUCHERS).status_code == 400
    assert office.post(f"/curation/campaigns/{campaign.id}/close").status_code == 400
    db.session.expire_all()
    assert campaign_count() == 1 and campaign.status == ACTIVE


def test_closing_asks_first_then_releases_the_rest_of_the_budget(app, office):
    curator = make_curator("other@example.org")
    campaign = make_campaign(curator, kind=MATCHED)
    order = make_order()
    hold_redemption(campaign, order.id, order.shop_id, 1234, order.customer_id)
    db.session.commit()
    page = page_text(office.get(f"/curation/campaigns/{campaign.id}"))
    assert re.search(r"data-held>12,34\u202f€", page) and "data-remaining>987,66" in page

    question = office.get(f"/curation/campaigns/{campaign.id}/close")
    assert "Clore définitivement cette campagne" in page_text(question)
    db.session.expire_all()
    assert campaign.status == ACTIVE  # asking changes nothing

    done = post_form(office, f"/curation/campaigns/{campaign.id}/close", {})
    assert done.status_code == 303
    db.session.expire_all()
    assert campaign.status == CLOSED and campaign.released_cents == 100_000 - 1234
    ledger = assert_ledger_balanced(campaign.id)
    assert (ledger.held, ledger.remaining) == (1234, 0)
    page = office.get(f"/curation/campaigns/{campaign.id}", follow_redirects=True)
    assert ("success", "Campagne close.") in alerts(page)
    assert "data-released>987,66" in page_text(page)
    # Closed: no verb left, and asking again is a 404.
    assert office.get(f"/curation/campaigns/{campaign.id}/resume").status_code == 404
    again = post_form(office, f"/curation/campaigns/{campaign.id}/resume", {}, token_from="/")
    assert ("error", "Cette campagne a changé entre-temps\u202f: rien n’a été fait.") in alerts(
        office.get(again.headers["Location"])
    )


def test_pause_and_resume_are_in_the_audit_log_with_the_curator(app, office):
    campaign = make_campaign(make_curator("other@example.org"))
    for verb in ("pause", "resume"):
        assert post_form(office, f"/curation/campaigns/{campaign.id}/{verb}", {}).status_code == 303
    actions = db.session.execute(
        select(AuditLog.action, AuditLog.actor_id)
        .where(AuditLog.target_kind == "campaign")
        .order_by(AuditLog.id)
    ).all()
    office_id = db.session.scalar(
        select(AuditLog.actor_id).where(AuditLog.action == "campaign.pause")
    )
    assert [a for a, _ in actions][-2:] == ["campaign.pause", "campaign.resume"]
    log = page_text(office.get("/curation/audit?target_kind=campaign"))
    assert "Campagne mise en pause" in log and "Campagne reprise" in log
    assert office_id != campaign.created_by_id  # the curator who acted, not the creator


def test_a_printed_batch_gives_a_pdf_of_its_codes(app, office):
    campaign = make_campaign(make_curator("other@example.org"))
    answer = post_form(
        office,
        f"/curation/campaigns/{campaign.id}/vouchers",
        {"mode": "pdf", "count": "3", "label": "Mairie"},
        token_from=f"/curation/campaigns/{campaign.id}",
    )
    assert answer.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Voucher)) == 3
    page = page_text(office.get(f"/curation/campaigns/{campaign.id}"))
    link = re.search(r'href="(/curation/campaigns/\d+/batches/\d+\.pdf)"', page).group(1)
    sheet = office.get(link)
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf"
    assert sheet.data.startswith(b"%PDF-") and sheet.headers["Cache-Control"] == "no-store"
    assert "3 bons pas encore utilisés, d’une valeur de 30,00\u202f€." in page


def test_an_emailed_batch_refuses_bad_addresses_and_issues_nothing(app, office):
    campaign = make_campaign(make_curator("other@example.org"))
    path = f"/curation/campaigns/{campaign.id}/vouchers"
    answer = post_form(
        office,
        path,
        {"mode": "email", "emails": "anne@example.org\npas-une-adresse"},
        token_from=f"/curation/campaigns/{campaign.id}",
    )
    assert answer.status_code == 400
    assert "Ces adresses ne sont pas valides\u202f: pas-une-adresse" in page_text(answer)
    for bad in ({"mode": "pdf", "count": "0"}, {"mode": "pdf", "count": "x"}, {"mode": "sms"}):
        assert post_form(office, path, bad, token_from="/").status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Voucher)) == 0

    sent = post_form(
        office, path, {"mode": "email", "emails": "anne@example.org, bob@example.org"}, "/"
    )
    assert sent.status_code == 303  # jobs run at once in tests: both emails are out
    emailed = db.session.scalars(select(Voucher.email).order_by(Voucher.email)).all()
    assert emailed == ["anne@example.org", "bob@example.org"]
    assert all(db.session.scalars(select(Voucher.sent_at)))


def test_the_list_keeps_its_remaining_budgets_live(app, office):
    """poll-page.js fetches the list again every 30 s and copies each remaining budget's cell."""
    campaign = make_campaign(make_curator("other@example.org"), kind=MATCHED)
    cell = re.compile(
        r'<div id="campaign-budgets" data-state="live" data-poll-every="30">.*'
        rf'id="remaining-{campaign.id}"[^>]*data-poll-sync[^>]*>([^<]+)<',
        re.S,
    )
    assert (
        cell.search(page_text(office.get("/curation/campaigns"))).group(1) == "1\u202f000,00\u202f€"
    )
    order = make_order()
    hold_redemption(campaign, order.id, order.shop_id, 250, order.customer_id)
    db.session.commit()
    assert cell.search(page_text(office.get("/curation/campaigns"))).group(1) == "997,50\u202f€"
    page = page_text(office.get(f"/curation/campaigns/{campaign.id}"))
    assert 'id="campaign-ledger" data-state="active" data-poll-every="30"' in page
    assert "js/poll-page.js" in page


def test_a_started_campaign_can_grow_its_budget_but_not_change_its_rule(app, office):
    campaign = make_campaign(make_curator("other@example.org"))
    path = f"/curation/campaigns/{campaign.id}/edit"
    form = page_text(office.get(path))
    assert 'value="1000,00"' in form and 'value="10,00"' in form  # the figures as typed

    locked = post_form(office, path, {**VOUCHERS, "budget": "1000", "voucher_face": "20"})
    assert locked.status_code == 400
    assert "Ceci ne peut plus changer une fois la campagne lancée." in page_text(locked)
    grown = post_form(office, path, {**VOUCHERS, "budget": "1500", "voucher_face": "10"})
    assert grown.status_code == 303
    db.session.expire_all()
    assert (campaign.budget_cents, campaign.voucher_face_cents) == (150_000, 1000)
    assert_ledger_balanced(campaign.id)
