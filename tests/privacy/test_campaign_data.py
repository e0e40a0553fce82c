"""A resident's town campaign data: in their export, and unlinked (amounts kept) when they leave."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.campaigns.models import MATCHED, CampaignRedemption, CampaignResident, Voucher
from marketplace.campaigns.vouchers import issue_vouchers
from marketplace.extensions import db
from tests.campaigns.helpers import assert_ledger_balanced, make_campaign, make_curator
from tests.campaigns.settle_helpers import NOV_30, OCT_1, join, order_with_part, paris
from tests.conftest import post_form
from tests.factories import PASSWORD, login, make_shop


def _town(resident):
    office = make_curator()
    matched = make_campaign(
        office, MATCHED, name="Coup de pouce", starts_on=OCT_1, ends_on=NOV_30,
        resident_cap_cents=5000,
    )  # fmt: skip
    noel = make_campaign(office, name="Noël dans nos rues", starts_on=OCT_1, ends_on=NOV_30)
    shop = make_shop(name="Fromagerie Oberkampf")
    join(matched, shop, office)
    order_with_part(matched, shop, resident, paris(2026, 10, 2), 5000, 1000)
    (voucher,) = issue_vouchers(noel, 1, office, emails=[resident.email.upper()]).vouchers
    db.session.commit()
    return matched, noel, voucher


def test_the_export_holds_the_town_parts_the_caps_and_the_emailed_vouchers(app, client, resident):
    _matched, _noel, voucher = _town(resident)
    login(client, resident)

    data = client.get("/account/data/export.json").get_json()["campaigns"]

    [part] = data["town_parts"]
    assert (part["campaign"], part["amount_cents"], part["status"]) == (
        "Coup de pouce",
        1000,
        "redeemed",
    )
    assert data["taken_per_campaign"] == [{"campaign": "Coup de pouce", "cents": 1000}]
    [sent] = data["vouchers_emailed"]
    assert (sent["campaign"], sent["code"], sent["face_cents"]) == (
        "Noël dans nos rues",
        voucher.display_code,
        1000,
    )


def test_deleting_the_account_keeps_the_amounts_and_unlinks_the_person(app, client, resident):
    matched, noel, voucher = _town(resident)
    user_id = resident.id
    login(client, resident)

    deleted = post_form(
        client, "/account/delete", {"password": PASSWORD}, token_from="/account/data"
    )

    assert deleted.status_code == 302
    db.session.expire_all()
    [kept] = db.session.scalars(select(CampaignRedemption)).all()
    assert (kept.user_id, kept.amount_cents, kept.status) == (None, 1000, "redeemed")
    residents = select(func.count()).select_from(CampaignResident)
    assert db.session.scalar(residents.where(CampaignResident.user_id == user_id)) == 0
    assert db.session.get(Voucher, voucher.id).email is None
    assert db.session.get(Voucher, voucher.id).status == "issued"  # the town's money, still valid
    assert assert_ledger_balanced(matched.id).redeemed == 1000
    assert_ledger_balanced(noel.id)
