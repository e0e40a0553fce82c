"""Save the screenshots of a campaign's statements and measured effect (French, desktop) to
docs/screenshots/, for the curator's guide: a demo campaign over October-November 2026 with four
shops, its October statements issued (the pages need no Stripe: the offline emulator serves)."""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def build_campaign() -> int:
    """A matched campaign with orders before and during it; October's statements issued."""
    from marketplace.campaigns.models import MATCHED
    from marketplace.campaigns.settlement import issue_statements
    from marketplace.extensions import db
    from marketplace.orders.status import COLLECTED
    from tests.campaigns.helpers import make_campaign, make_curator
    from tests.campaigns.settle_helpers import (
        NOV_30,
        OCT_1,
        join,
        order_with_part,
        paris,
        residents,
    )
    from tests.curation.helpers import add_order
    from tests.factories import make_shop

    office = make_curator()
    campaign = make_campaign(
        office, MATCHED, name="Coup de pouce d'automne", starts_on=OCT_1, ends_on=NOV_30
    )
    shops = [
        make_shop(name="Boulangerie Moreau", siret="73282932000074"),
        make_shop(name="Fleurs de Lune", category="fleuriste", postcode="75012"),
        make_shop(name="Cave Voltaire", category="caviste"),
        make_shop(name="Librairie du Canal", category="librairie", postcode="75010"),
    ]
    for shop in shops:
        join(campaign, shop, office)
    people, n = residents(24), 0
    for i, shop in enumerate(shops):
        for k in range(6 - i):
            who, n = people[n % 24], n + 1
            add_order(shop, who, paris(2026, 9, 1 + k * 3), COLLECTED, 1800 + 350 * k)
            order_with_part(campaign, shop, who, paris(2026, 10, 2 + k * 4), 3500 + 400 * k, 700 + 80 * k)  # fmt: skip
            later = people[(n + 7) % 24]
            order_with_part(campaign, shop, later, paris(2026, 11, 3 + k * 3), 2600 + 300 * k, 520 + 60 * k)  # fmt: skip
    issue_statements(campaign, date(2026, 10, 1), office, date(2026, 12, 6), "Europe/Paris")
    db.session.commit()
    return campaign.id


def main() -> int:
    """Serve a fresh town, log in as the office, save the two pages."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.live import LIVE_SETTINGS, launch_chromium, new_context, own_database
    from tests.factories import PASSWORD
    from tests.payments.town import open_town

    with tempfile.TemporaryDirectory(prefix="vitrine-campaign-shots-") as tmp:
        folder = Path(tmp)
        with (
            own_database(None, folder) as url,
            open_town(url, folder, LIVE_SETTINGS) as town,
            sync_playwright() as driver,
        ):
            campaign_id = build_campaign()
            browser = launch_chromium(driver)
            context = new_context(browser, town.url, "desktop", "fr", device_scale_factor=1)
            page = context.new_page()
            page.goto("/account/login")
            page.get_by_label("Adresse e-mail").fill("office@example.org")
            page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.wait_for_url("**/")
            for name in ("statements", "effect"):
                page.goto(f"/curation/campaigns/{campaign_id}/{name}")
                path = OUT / f"campaign-{name}-fr-desktop.png"
                page.screenshot(path=path, animations="disabled", caret="hide")
                print(path)
            context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
