"""A shopkeeper creates a shop, fills it in, submits it, and the town publishes it."""

import io
from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace.audit import AuditLog
from marketplace.extensions import db
from shops.models import DRAFT, PENDING_REVIEW, PUBLISHED, SUSPENDED, Shop
from tests.conftest import alerts, english_client, page_text, post_form
from tests.factories import image_bytes, login, make_shop, shop_form_data


@pytest.fixture
def client(app):
    """The messages below are checked in English: this browser asks for English pages."""
    return english_client(app)


def shop_named(name):
    db.session.expire_all()
    return db.session.scalar(select(Shop).where(Shop.name == name))


def create_shop(client, **overrides):
    return post_form(client, "/merchant/shops/new", shop_form_data(**overrides))


def test_a_new_shop_starts_as_a_draft_owned_by_its_creator(app, client, shopkeeper):
    login(client, shopkeeper)
    response = create_shop(client, siret="732 829 320 00074")
    shop = shop_named("Fromagerie Oberkampf")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/merchant/shops/{shop.slug}/hours"
    assert (shop.status, shop.owner_id, shop.slug) == (DRAFT, shopkeeper.id, "fromagerie-oberkampf")
    assert (shop.lat, shop.lon, shop.siret) == (48.8652, 2.3791, "73282932000074")
    assert client.get(f"/shops/{shop.slug}").status_code == 404  # not public yet
    assert "Fromagerie Oberkampf" in client.get("/merchant/").get_data(as_text=True)


def test_the_shopkeeper_edits_the_shop(app, client):
    shop = make_shop(published=False)
    login(client, shop.owner)
    form = f"/merchant/shops/{shop.slug}"
    assert "Boulangerie du Marché" in client.get(form).get_data(as_text=True)
    response = post_form(
        client,
        form,
        shop_form_data(
            name="Boulangerie du Marché",
            description="Pain au levain, viennoiseries.",
            pay_at_pickup="",
            slot_capacity="8",
        ),
    )
    assert response.status_code == 302
    assert ("success", "Changes saved.") in alerts(client.get(form))
    shop = shop_named("Boulangerie du Marché")
    assert shop.description == "Pain au levain, viennoiseries."
    assert (shop.pay_at_pickup, shop.slot_capacity, shop.address) == (False, 8, "80 rue Oberkampf")


def test_hours_with_two_intervals_a_day(app, client):
    shop = make_shop(published=False)
    login(client, shop.owner)
    days = {
        "monday": "",
        "tuesday": "08:00-12:30, 14:00-19:00",
        "wednesday": "8h-12h30, 14h-19h",
        "thursday": "08:00-12:30,14:00-19:00",
        "friday": "08:00-12:30, 14:00-19:00",
        "saturday": "08:00-13:00",
        "sunday": "fermé",
    }
    response = post_form(client, f"/merchant/shops/{shop.slug}/hours", days)
    assert response.status_code == 302
    db.session.refresh(shop)
    stored = [(h.weekday, h.opens, h.closes) for h in shop.hours]
    split = [(time(8), time(12, 30)), (time(14), time(19))]
    assert stored == [(d, o, c) for d in (1, 2, 3, 4) for o, c in split] + [(5, time(8), time(13))]
    page = client.get(f"/merchant/shops/{shop.slug}/hours").get_data(as_text=True)
    assert 'value="08:00-12:30, 14:00-19:00"' in page


def test_overlapping_hours_are_refused_and_the_old_ones_kept(app, client):
    shop = make_shop(published=False)
    login(client, shop.owner)
    response = post_form(
        client, f"/merchant/shops/{shop.slug}/hours", {"monday": "08:00-13:00, 12:00-19:00"}
    )
    assert "Two opening intervals overlap." in page_text(response)
    db.session.refresh(shop)
    assert len(shop.hours) == 12


def test_closures_are_added_and_removed(app, client):
    shop = make_shop(published=False)
    login(client, shop.owner)
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/closures",
        {"starts_on": "2026-08-03", "ends_on": "2026-08-23", "reason": "Congés d'été"},
        token_from=f"/merchant/shops/{shop.slug}/hours",
    )
    assert response.status_code == 302
    db.session.refresh(shop)
    [closure] = shop.closures
    assert (str(closure.starts_on), str(closure.ends_on), closure.reason) == (
        "2026-08-03",
        "2026-08-23",
        "Congés d'été",
    )
    assert "Congés d'été" in page_text(client.get(f"/merchant/shops/{shop.slug}/hours"))

    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/closures/{closure.id}/delete",
        token_from=f"/merchant/shops/{shop.slug}/hours",
    )
    assert response.status_code == 302
    db.session.refresh(shop)
    assert shop.closures == []


def test_a_jpeg_or_png_photo_is_stored_and_served(app, client):
    shop = make_shop(published=True)
    login(client, shop.owner)
    for fmt, filename in (("JPEG", "devanture.jpg"), ("PNG", "devanture.png")):
        response = post_form(
            client,
            f"/merchant/shops/{shop.slug}/photo",
            {"photo": (io.BytesIO(image_bytes(fmt, (1600, 900))), filename), "alt": "La devanture"},
        )
        assert response.status_code == 302, fmt
        db.session.refresh(shop)
        stored = Path(app.config["UPLOAD_DIR"]) / f"{shop.photo_path}.jpg"
        assert stored.exists() and shop.photo_alt == "La devanture"
    # Only the latest photo is kept on disk.
    assert len(list((Path(app.config["UPLOAD_DIR"]) / "shops").iterdir())) == 2
    served = client.get(f"/media/{shop.photo_path}.jpg")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert f"/media/{shop.photo_path}.jpg" in client.get(f"/shops/{shop.slug}").get_data(
        as_text=True
    )


def test_submitting_needs_hours_and_a_map_position(app, client, shopkeeper):
    login(client, shopkeeper)
    create_shop(client, lat="", lon="")
    shop = shop_named("Fromagerie Oberkampf")
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/submit",
        follow_redirects=True,
        token_from="/merchant/",
    )
    assert (
        "error",
        "Before submitting, please add: opening hours, map position (place the pin on the map).",
    ) in alerts(response)
    assert shop_named("Fromagerie Oberkampf").status == DRAFT


def test_submit_then_approve_publishes_the_shop(app, client, shopkeeper):
    login(client, shopkeeper)
    create_shop(client)
    shop = shop_named("Fromagerie Oberkampf")
    post_form(client, f"/merchant/shops/{shop.slug}/hours", {"tuesday": "09:00-19:30"})
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/submit",
        follow_redirects=True,
        token_from="/merchant/",
    )
    assert (
        "success",
        "Thank you! The town's office will review your shop shortly.",
    ) in alerts(response)
    assert shop_named("Fromagerie Oberkampf").status == PENDING_REVIEW
    assert client.get(f"/shops/{shop.slug}").status_code == 404

    result = app.test_cli_runner().invoke(args=["shops", "approve", shop.slug])
    assert result.exit_code == 0, result.output
    shop = shop_named("Fromagerie Oberkampf")
    assert shop.status == PUBLISHED and shop.published_at is not None
    assert client.get(f"/shops/{shop.slug}").status_code == 200
    assert "Fromagerie Oberkampf" in client.get("/shops").get_data(as_text=True)
    actions = db.session.scalars(
        select(AuditLog.action).where(AuditLog.target_id == shop.id).order_by(AuditLog.id)
    ).all()
    assert actions == ["shop.pending_review", "shop.published"]


@pytest.mark.parametrize("status", [DRAFT, SUSPENDED])
def test_approve_publishes_only_a_shop_waiting_for_review(app, status):
    # A suspended shop comes back by the office's "reinstate", which needs its reason.
    shop = make_shop(status=status)
    result = app.test_cli_runner().invoke(args=["shops", "approve", shop.slug])
    assert result.exit_code != 0
    assert f"cannot publish a {status} shop" in result.output
    assert shop_named(shop.name).status == status
