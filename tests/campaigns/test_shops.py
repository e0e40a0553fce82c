"""Shops join campaigns from their dashboard; which campaigns an order at a shop can draw from."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.audit import AuditLog
from marketplace.campaigns import participation
from marketplace.campaigns.models import CLOSED, DRAFT, MATCHED, PAUSED, CampaignShop
from marketplace.campaigns.participation import NotEligible, eligible_campaigns, opt_in_shop
from marketplace.extensions import db
from tests.campaigns.helpers import make_campaign, make_curator
from tests.conftest import alerts, page_text, post_form
from tests.factories import login, make_shop

DAY = date(2026, 12, 10)
# The dashboard reads the town's today: these campaigns run around the day the tests run.
NOW = {"starts_on": date.today() - timedelta(days=2), "ends_on": date.today() + timedelta(days=30)}


def joined(campaign, shop) -> bool:
    db.session.expire_all()
    return db.session.get(CampaignShop, (campaign.id, shop.id)) is not None


def test_eligibility_follows_status_period_restrictions_and_opt_in(app):
    office = make_curator()
    bakery = make_shop(name="Boulangerie du Marché", category="boulangerie", postcode="75011")
    books = make_shop(name="Librairie du Port", category="librairie", postcode="75020")
    campaign = make_campaign(office, kind=MATCHED, categories=["librairie"], postcodes=["75020"])
    assert eligible_campaigns(books, DAY) == []  # not opted in yet

    opt_in_shop(campaign, books, books.owner, DAY)
    with pytest.raises(NotEligible):
        opt_in_shop(campaign, bakery, bakery.owner, DAY)  # neither its category nor its postcode
    db.session.commit()

    assert eligible_campaigns(books, DAY) == [campaign]
    assert eligible_campaigns(books, date(2026, 11, 30)) == []  # before the period
    assert eligible_campaigns(books, date(2026, 12, 31)) == [campaign]  # last day included
    assert eligible_campaigns(books, date(2027, 1, 1)) == []
    assert eligible_campaigns(bakery, DAY) == []
    campaign.postcodes = ["75011"]  # the office narrows it after the shop joined
    db.session.commit()
    assert eligible_campaigns(books, DAY) == []


@pytest.mark.parametrize("status", [DRAFT, PAUSED, CLOSED])
def test_a_campaign_that_is_not_active_gives_nothing(app, status):
    office = make_curator()
    shop = make_shop()
    campaign = make_campaign(office, status=DRAFT)
    opt_in_shop(campaign, shop, shop.owner, DAY)
    db.session.commit()
    if status != DRAFT:
        make_status(campaign, status, office)
    assert eligible_campaigns(shop, DAY) == []


def make_status(campaign, status, office):
    from marketplace.campaigns.services import transition_campaign

    transition_campaign(campaign, "active", office)
    transition_campaign(campaign, status, office)
    db.session.commit()


def test_a_shopkeeper_joins_and_leaves_from_the_dashboard(app, client):
    office = make_curator()
    shop = make_shop(name="Librairie du Port", category="librairie")
    campaign = make_campaign(office, name="Noël dans nos rues", **NOW)
    other = make_campaign(office, name="Réservé aux fromagers", categories=["fromagerie"], **NOW)
    login(client, shop.owner)

    dashboard = page_text(client.get("/merchant/"))
    assert "Noël dans nos rues" in dashboard and "Participer" in dashboard
    assert "Réservé aux fromagers" not in dashboard  # not eligible: not offered
    answer = post_form(
        client, f"/merchant/shops/{shop.slug}/campaigns/{campaign.id}/join", {}, "/merchant/"
    )
    assert answer.status_code == 303 and joined(campaign, shop)
    page = client.get("/merchant/")
    assert ("success", "Librairie du Port participe à Noël dans nos rues.") in alerts(page)
    assert "Votre commerce participe" in page_text(page)

    refused = post_form(
        client, f"/merchant/shops/{shop.slug}/campaigns/{other.id}/join", {}, "/merchant/"
    )
    assert refused.status_code == 303 and not joined(other, shop)

    post_form(
        client, f"/merchant/shops/{shop.slug}/campaigns/{campaign.id}/leave", {}, "/merchant/"
    )
    assert not joined(campaign, shop)
    actions = db.session.scalars(
        select(AuditLog.action).where(AuditLog.actor_id == shop.owner_id).order_by(AuditLog.id)
    ).all()
    assert actions == ["campaign.shop_joined", "campaign.shop_left"]


def test_a_shopkeeper_cannot_join_for_someone_elses_shop(app, client):
    office = make_curator()
    shop = make_shop(name="Librairie du Port", category="librairie")
    intruder = make_shop(name="Fromagerie B", category="fromagerie")
    campaign = make_campaign(office, **NOW)
    login(client, intruder.owner)
    answer = post_form(
        client, f"/merchant/shops/{shop.slug}/campaigns/{campaign.id}/join", {}, "/merchant/"
    )
    assert answer.status_code == 404 and not joined(campaign, shop)
    assert (
        client.post(f"/merchant/shops/{intruder.slug}/campaigns/{campaign.id}/join").status_code
        == 400
    )  # no CSRF token
    assert not joined(campaign, intruder)


def test_an_unpublished_shop_is_offered_nothing(app, client):
    office = make_curator()
    make_campaign(office, **NOW)
    shop = make_shop(published=False)
    assert participation.campaigns_open_to(shop, DAY) == []
    login(client, shop.owner)
    assert "Campagnes de la ville" not in page_text(client.get("/merchant/"))
