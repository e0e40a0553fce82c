"""Monthly campaign statements: what the town owes each shop, issued once a month is over, frozen,
with later refunds as adjustments on the next one; the totals always equal the redemptions."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.campaigns.models import MATCHED, REDEEMED, Campaign, CampaignRedemption
from marketplace.campaigns.participation import town_today
from marketplace.campaigns.settlement import AlreadyIssued, MonthNotOver, issue_statements
from marketplace.campaigns.statement_files import statement_csv, statement_pdf
from marketplace.campaigns.statement_models import (
    ADJUSTMENT,
    CampaignStatement,
    StatementIsFrozen,
)
from marketplace.extensions import db
from shops.registers.models import SIRENE, RegisterCheck
from tests.campaigns.helpers import assert_ledger_balanced, make_campaign, make_curator
from tests.campaigns.settle_helpers import (
    NOV_30,
    OCT_1,
    join,
    order_with_part,
    paris,
    refund_town_part,
)
from tests.conftest import alerts, page_text, post_form
from tests.curation.helpers import audit_entries
from tests.factories import login, make_shop, make_user
from tests.orders.helpers import run_together

TZ = "Europe/Paris"
OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)
DECEMBER_6 = date(2026, 12, 6)


@pytest.fixture
def town(app):
    """A matched campaign over October-November with two shops and two residents."""
    office = make_curator()
    campaign = make_campaign(office, MATCHED, starts_on=OCT_1, ends_on=NOV_30)
    bakery = make_shop(name="Boulangerie Moreau", siret="73282932000074")
    florist = make_shop(name="Fleurs de Lune", category="fleuriste", postcode="75012")
    db.session.add(
        RegisterCheck(
            shop_id=bakery.id,
            register=SIRENE,
            query="73282932000074",
            outcome="found",
            active=True,
            legal_name="MOREAU ET FILS SARL",
        )
    )
    db.session.commit()
    for shop in (bakery, florist):
        join(campaign, shop, office)
    alice, bruno = make_user("alice@example.org"), make_user("bruno@example.org")
    return office, campaign, bakery, florist, alice, bruno


def _owed(shop_id: int, campaign_id: int) -> int:
    """What the redemptions of the shop's collected orders add up to (town's part - returned)."""
    return db.session.scalar(
        select(
            func.coalesce(
                func.sum(CampaignRedemption.amount_cents - CampaignRedemption.returned_cents), 0
            )
        ).where(
            CampaignRedemption.shop_id == shop_id,
            CampaignRedemption.campaign_id == campaign_id,
            CampaignRedemption.status == REDEEMED,
        )
    )


def test_a_month_lists_the_orders_collected_in_it_and_totals_their_redemptions(town):
    office, campaign, bakery, florist, alice, bruno = town
    first = order_with_part(campaign, bakery, alice, paris(2026, 10, 3), 5000, 1000)
    second = order_with_part(campaign, bakery, bruno, paris(2026, 10, 31, 22), 2500, 500)
    order_with_part(campaign, bakery, alice, paris(2026, 10, 20), 3000, 600, collected=False)
    order_with_part(campaign, bakery, alice, paris(2026, 11, 2), 4000, 800)  # November
    order_with_part(campaign, florist, bruno, paris(2026, 10, 9), 1500, 300)

    issued = issue_statements(campaign, OCTOBER, office, DECEMBER_6, TZ)
    db.session.commit()

    by_shop = {s.shop_id: s for s in issued}
    assert set(by_shop) == {bakery.id, florist.id}
    statement = by_shop[bakery.id]
    # 31 October 22:00 in Paris is 21:00 UTC: still October in the town.
    assert [line.order_id for line in statement.lines] == [first.order_id, second.order_id]
    assert (statement.total_cents, statement.order_count) == (1500, 2)
    assert statement.number == f"C{campaign.id:03d}-2026-10-S{bakery.id:04d}"
    assert (statement.shop_name, statement.shop_siret) == ("MOREAU ET FILS SARL", "73282932000074")
    assert statement.town_siret == "21750001600019"
    assert by_shop[florist.id].total_cents == 300
    held_back = db.session.scalars(
        select(CampaignRedemption.statement_id).where(CampaignRedemption.status != REDEEMED)
    ).all()
    assert held_back == [None]  # the order not collected waits
    assert [e.target_id for e in audit_entries(action="campaign.statement_issued")] == [
        s.id for s in issued
    ]
    assert_ledger_balanced(campaign.id)

    november = issue_statements(campaign, NOVEMBER, office, DECEMBER_6, TZ)
    db.session.commit()
    assert [(s.shop_id, s.total_cents) for s in november] == [(bakery.id, 800)]
    for shop in (bakery, florist):
        issued_total = db.session.scalar(
            select(func.sum(CampaignStatement.total_cents)).where(
                CampaignStatement.shop_id == shop.id
            )
        )
        assert issued_total == _owed(shop.id, campaign.id)


def test_a_month_is_issued_once_it_is_over_and_only_once(town):
    office, campaign, bakery, _, alice, _ = town
    order_with_part(campaign, bakery, alice, paris(2026, 11, 3), 5000, 1000)

    with pytest.raises(MonthNotOver):
        issue_statements(campaign, NOVEMBER, office, date(2026, 11, 30), TZ)
    assert len(issue_statements(campaign, NOVEMBER, office, DECEMBER_6, TZ)) == 1
    db.session.commit()
    assert issue_statements(campaign, NOVEMBER, office, DECEMBER_6, TZ) == []


def test_an_issued_statement_is_frozen_and_a_later_refund_is_an_adjustment_on_the_next(town):
    office, campaign, bakery, _, alice, _ = town
    redemption = order_with_part(campaign, bakery, alice, paris(2026, 10, 3), 5000, 1000)
    (october,) = issue_statements(campaign, OCTOBER, office, DECEMBER_6, TZ)
    db.session.commit()

    refund_town_part(redemption, 400)  # after the issue: the town's part partly comes back

    october = db.session.get(CampaignStatement, october.id)
    assert october.total_cents == 1000 and [x.owed_cents for x in october.lines] == [1000]
    october.total_cents = 600
    with pytest.raises(StatementIsFrozen):
        db.session.flush()
    db.session.rollback()

    (november,) = issue_statements(campaign, NOVEMBER, office, DECEMBER_6, TZ)
    db.session.commit()
    assert [(x.kind, x.order_id, x.owed_cents) for x in november.lines] == [
        (ADJUSTMENT, redemption.order_id, -400)
    ]
    assert (november.total_cents, november.order_count) == (-400, 0)
    assert october.total_cents + november.total_cents == _owed(bakery.id, campaign.id) == 600
    assert_ledger_balanced(campaign.id)


def test_the_csv_totals_equal_the_ledger_and_the_pdf_names_both_parties(app, town):
    office, campaign, bakery, _, alice, bruno = town
    order_with_part(campaign, bakery, alice, paris(2026, 10, 3), 5000, 1000)
    returned = order_with_part(campaign, bakery, bruno, paris(2026, 10, 4), 2550, 510)
    refund_town_part(returned, 110)  # before the issue: the line shows what is left
    (statement,) = issue_statements(campaign, OCTOBER, office, DECEMBER_6, TZ)
    db.session.commit()

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        text = statement_csv(statement, TZ, french=True)
        plain = statement_pdf(statement, compress=False)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][-1] == "Dû au commerce"
    owed = [int(r[-1].replace(",", "")) for r in rows[1:-1]]
    assert owed == [1000, 400] and rows[-1][-1] == "14,00"
    assert (
        sum(owed) == _owed(bakery.id, campaign.id) == assert_ledger_balanced(campaign.id).redeemed
    )
    for words in (
        statement.number,
        "Ville de Paris, mairie du 11e",
        "SIRET : 21750001600019",
        "12 place Léon Blum, 75011 Paris",
        "MOREAU ET FILS SARL",
        "SIRET : 73282932000074",
        "12 rue Oberkampf, 75011 Paris",
        "octobre 2026",
        "14,00 \u20ac",
        "1,10 \u20ac",
    ):
        assert words.encode("cp1252") in plain, words


# The pages: the office issues and downloads; a shop reads its own statements and no other's.


def test_the_office_issues_a_month_from_the_page_and_downloads_the_files(town, client):
    office, campaign, bakery, _, alice, _ = town
    order_with_part(campaign, bakery, alice, paris(2026, 10, 3), 5000, 1000)
    login(client, office)
    page = f"/curation/campaigns/{campaign.id}/statements"
    assert "10,00\u00a0€" in page_text(client.get(page)).replace("\u202f", "\u00a0")

    sent = post_form(client, f"{page}/issue", {"month": "2026-10"}, token_from=page)
    assert sent.status_code == 303
    (statement,) = db.session.scalars(select(CampaignStatement)).all()
    shown = page_text(client.get(page))
    assert statement.number in shown
    pdf = client.get(f"/curation/campaigns/statements/{statement.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert f"statement-{statement.number}.pdf" in pdf.headers["Content-Disposition"]
    sent = client.get(f"/curation/campaigns/statements/{statement.id}.csv?format=en")
    assert sent.get_data(as_text=True).splitlines()[-1].endswith(",10.00")

    this_month = town_today().strftime("%Y-%m")  # never over while it lasts
    post_form(client, f"{page}/issue", {"month": this_month}, token_from=page)
    assert ("error", "Un mois ne s’émet qu’une fois terminé.") in alerts(client.get(page))
    post_form(client, f"{page}/issue", {"month": "2026-13"}, token_from=page)
    assert alerts(client.get(page))[0][0] == "error"
    assert db.session.scalar(select(func.count()).select_from(CampaignStatement)) == 1


def test_a_shop_sees_and_downloads_its_own_statements_only(town, client):
    office, campaign, bakery, florist, alice, bruno = town
    order_with_part(campaign, bakery, alice, paris(2026, 10, 3), 5000, 1000)
    order_with_part(campaign, florist, bruno, paris(2026, 10, 4), 1500, 300)
    mine, theirs = issue_statements(campaign, OCTOBER, office, DECEMBER_6, TZ)
    db.session.commit()
    login(client, bakery.owner)

    listing = page_text(client.get(f"/merchant/shops/{bakery.slug}/campaigns/statements"))
    assert mine.number in listing and theirs.number not in listing
    own = client.get(f"/merchant/shops/{bakery.slug}/campaigns/statements/{mine.id}.pdf")
    assert own.status_code == 200 and own.data.startswith(b"%PDF-")
    other = f"/merchant/shops/{bakery.slug}/campaigns/statements/{theirs.id}.csv"
    assert client.get(other).status_code == 404
    foreign = f"/merchant/shops/{florist.slug}/campaigns/statements/{theirs.id}.csv"
    assert client.get(foreign).status_code in (403, 404)
    assert client.get(f"/curation/campaigns/{campaign.id}/statements").status_code == 403


def test_an_order_collected_after_the_campaign_ends_is_on_the_next_months_statement(town, client):
    office, campaign, bakery, _, alice, _ = town
    late = order_with_part(campaign, bakery, alice, paris(2026, 11, 30, 23), 5000, 1000)

    login(client, office)
    months = page_text(client.get(f"/curation/campaigns/{campaign.id}/statements"))
    assert "décembre 2026" in months  # collected on 1 December, after the last day
    assert issue_statements(campaign, NOVEMBER, office, DECEMBER_6, TZ) == []
    (december,) = issue_statements(campaign, date(2026, 12, 1), office, date(2027, 1, 6), TZ)
    assert [line.order_id for line in december.lines] == [late.order_id]


@pytest.mark.slow
def test_two_curators_issuing_the_same_month_at_once_issue_it_once(app, town):
    office, campaign, bakery, florist, alice, bruno = town
    order_with_part(campaign, bakery, alice, paris(2026, 10, 3), 5000, 1000)
    order_with_part(campaign, florist, bruno, paris(2026, 10, 4), 1500, 300)
    ids = (campaign.id, office.id)

    def issue(_i: int):
        mine, actor = db.session.get(Campaign, ids[0]), db.session.get(User, ids[1])
        issued = issue_statements(mine, OCTOBER, actor, DECEMBER_6, TZ)
        db.session.commit()
        return len(issued)

    outcomes = run_together(app, 4, issue)

    # One issues both; the others find nothing left, or lose the race and are told so.
    assert sorted(o for o in outcomes if isinstance(o, int))[-1] == 2, outcomes
    assert all(isinstance(o, int | AlreadyIssued | IntegrityError) for o in outcomes), outcomes
    db.session.expire_all()
    statements = db.session.scalars(select(CampaignStatement)).all()
    assert sorted(s.total_cents for s in statements) == [300, 1000]
    for shop in (bakery, florist):
        assert sum(s.total_cents for s in statements if s.shop_id == shop.id) == _owed(
            shop.id, campaign.id
        )
