"""Town vouchers in a real browser: Camille redeems one online (the emulator charges the rest), and a
second one is scanned at the florist's counter on her pay-at-pickup order."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from marketplace.campaigns.models import VOUCHER
from marketplace.campaigns.participation import town_today
from marketplace.campaigns.sheet import _qr_png
from marketplace.campaigns.vouchers import issue_vouchers
from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.campaigns.helpers import make_campaign, make_curator
from tests.campaigns.redeem_helpers import balanced, join
from tests.e2e.axe import axe_violations, describe
from tests.e2e.live import CHROMIUM, new_context
from tests.e2e.steps import VISA, email_for, log_in, pay_by_card, press_add, unique
from tests.e2e.test_counter_journey import mjpeg_of
from tests.factories import make_product, make_shop, make_user
from tests.orders.helpers import set_hours


def test_a_voucher_online_and_another_at_the_counter(
    open_page, live_town, playwright_driver, tmp_path
):
    office = make_curator(email_for(unique("Office Bons")))
    today = town_today()
    noel = make_campaign(
        office,
        VOUCHER,
        name=unique("Noël dans nos rues"),
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=30),
    )
    bakery, (bread,) = live_town.connected_shop(
        unique("Boulangerie Bons"), {"Pain de campagne": (2500, 10)}
    )
    florist = make_shop(name=unique("Fleurs Bons"), category="fleuriste", pay_at_pickup=True)
    set_hours(florist)
    tulips = make_product(florist, "Bouquet de tulipes", 1800, stock=4)
    join(noel, bakery, florist)
    first, second = issue_vouchers(noel, 2, office).vouchers
    name = unique("Camille Bons")
    make_user(email_for(name), name=name).locale = "en"
    db.session.commit()  # the test's own transaction must not hold SQLite's lock
    page = open_page("desktop", "en")
    log_in(page, email_for(name))

    # Online: the voucher applied at checkout, the card pays the rest.
    page.goto(f"/shops/{bakery.slug}/products/{bread.id}-{bread.slug}")
    press_add(page, page.get_by_role("button", name="Add to cart"))
    page.goto("/checkout")
    page.get_by_label("Voucher code (optional)").fill(first.display_code.lower())
    page.get_by_role("button", name="Apply the voucher").click()
    part = page.locator(".town-part")
    expect(part).to_contain_text("The town pays €10.00")
    expect(part).to_contain_text("You pay €15.00.")
    assert not (found := axe_violations(page)), describe(found)
    page.get_by_role("button", name="Place my order").click()
    expect(page.locator("body")).to_contain_text("less €10.00 paid by the town")
    pay_by_card(page, VISA)
    expect(page.get_by_role("status")).to_contain_text("Payment received: €15.00")

    # At the counter: a pay-at-pickup order, the second voucher scanned by the florist.
    page.goto(f"/shops/{florist.slug}/products/{tulips.id}-{tulips.slug}")
    press_add(page, page.get_by_role("button", name="Add to cart"))
    page.goto("/checkout")
    page.get_by_role("button", name="Place my order").click()
    expect(page.get_by_role("heading", name="My orders", level=1)).to_be_visible()
    # The florist's phone films the voucher's QR as the town hall's sheet prints it.
    printed = _qr_png(second.display_code).getvalue()
    video = mjpeg_of(second.display_code, tmp_path / "voucher.mjpeg", printed)
    camera = playwright_driver.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = new_context(camera, live_town.url, "phone", "en", permissions=["camera"])
        counter = context.new_page()
        log_in(counter, florist.owner.email)
        db.session.expire_all()
        order = db.session.scalars(select(Order).where(Order.shop_id == florist.id)).one()
        counter.goto(f"/merchant/shops/{florist.slug}/orders/{order.id}")
        expect(counter.locator("body")).to_contain_text("To pay at the counter")
        counter.get_by_role("button", name="Scan the voucher's QR code").click()
        expect(
            counter.get_by_text("Voucher accepted: the town pays €10.00. Collect €8.00.")
        ).to_be_visible()
        expect(counter.locator(".town-part")).to_contain_text("To collect at the counter: €8.00.")
        assert not (found := axe_violations(counter)), describe(found)
    finally:
        camera.close()

    ledger = balanced(noel)
    assert (ledger.held, ledger.remaining) == (2000, noel.budget_cents - 2000)
