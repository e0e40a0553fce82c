"""A refused form leaves no photo on disk; a replaced photo goes only once the change is saved;
the daily sweep removes files no row names, once past the grace period."""

from __future__ import annotations

import io
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from marketplace.extensions import db
from shops import services
from shops.images import photo_files
from tests.conftest import english_client, page_text, post_form
from tests.factories import (
    image_bytes,
    login,
    make_product,
    make_product_image,
    make_shop,
    make_shop_photo,
    product_form_data,
)


@pytest.fixture
def client(app):
    """The messages below are checked in English: this browser asks for English pages."""
    return english_client(app)


def files_under(app) -> list[str]:
    """Every file in the upload folder, as relative paths."""
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def photos(count: int) -> list:
    return [(io.BytesIO(image_bytes()), f"photo-{n}.jpg") for n in range(count)]


def test_a_new_product_refused_for_a_sixth_photo_leaves_no_file(app, client):
    shop = make_shop()
    login(client, shop.owner)
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/products/new",
        {**product_form_data(), "photos": photos(6)},
    )
    assert response.status_code == 400
    assert "A product has 5 photos at most." in page_text(response)
    assert files_under(app) == []  # the five stored before the refusal went with the rollback


def test_a_refused_edit_keeps_the_old_photos_and_leaves_no_new_one(app, client):
    shop = make_shop()
    product = make_product(shop, "Comté 18 mois", 1990)
    for _ in range(4):
        make_product_image(product, app.config["UPLOAD_DIR"])
    before = files_under(app)
    login(client, shop.owner)
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/products/{product.id}",
        {**product_form_data(name="Comté 18 mois"), "photos": photos(2)},
    )
    assert response.status_code == 400
    assert len(before) == 8 and files_under(app) == before


def test_a_second_photo_refused_takes_the_first_with_it(app, client):
    shop = make_shop()
    login(client, shop.owner)
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/products/new",
        {
            **product_form_data(),
            "photos": [
                (io.BytesIO(image_bytes()), "good.jpg"),
                (io.BytesIO(b"not a photo at all"), "bad.jpg"),
            ],
        },
    )
    assert response.status_code == 400
    assert files_under(app) == []


def test_a_replaced_shop_photo_is_removed_only_when_the_change_is_committed(app):
    shop = make_shop()
    upload_dir = app.config["UPLOAD_DIR"]
    first = make_shop_photo(shop, upload_dir)

    upload = services.set_shop_photo(
        shop, io.BytesIO(image_bytes("PNG")), "Autre", upload_dir, 10**7
    )
    original = Path(upload_dir) / upload.original
    assert original.exists()
    db.session.rollback()  # e.g. the commit failed: the row still names the first photo
    assert all(p.exists() for p in photo_files(upload_dir, first))
    assert not original.exists()

    second = make_shop_photo(shop, upload_dir, "Autre")  # committed, then resized by its job
    assert not any(p.exists() for p in photo_files(upload_dir, first))
    assert all(p.exists() for p in photo_files(upload_dir, second))


def test_a_photo_stored_by_a_request_that_never_commits_is_removed_at_its_end(app):
    shop = make_shop()
    upload_dir = app.config["UPLOAD_DIR"]
    with app.test_request_context():
        upload = services.set_shop_photo(
            shop, io.BytesIO(image_bytes()), "Vitrine", upload_dir, 10**7
        )
        original = Path(upload_dir) / upload.original
        db.session.remove()  # the request's teardown, with no commit and no rollback
    assert not original.exists()


def age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_the_sweep_removes_old_orphans_and_keeps_named_and_fresh_files(app):
    from marketplace.jobs.maintenance import prune_orphan_photos

    shop = make_shop()
    product = make_product(shop)
    named = make_product_image(product, app.config["UPLOAD_DIR"])
    kept_old = photo_files(app.config["UPLOAD_DIR"], named.path)
    root = Path(app.config["UPLOAD_DIR"])
    orphan = [root / "products" / f"{'a' * 32}.jpg", root / "products" / f"{'a' * 32}-thumb.jpg"]
    fresh = root / "shops" / f"{'b' * 32}.jpg"
    raw = root / "incoming" / ("c" * 32)
    foreign = root / "products" / "README.txt"  # not one of our names: never ours to remove
    for path in [*orphan, fresh, raw, foreign]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    for path in [*orphan, *kept_old, raw, foreign]:
        age(path, 25)
    age(fresh, 23)

    assert prune_orphan_photos.run_now() == 3
    assert files_under(app) == sorted(
        [p.relative_to(root).as_posix() for p in [*kept_old, fresh, foreign]]
    )


def test_the_command_prints_what_it_removes_and_dry_run_removes_nothing(app):
    root = Path(app.config["UPLOAD_DIR"])
    orphan = root / "shops" / f"{'d' * 32}-thumb.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    age(orphan, 2)
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["shops", "prune-photos", "--grace-hours", "1", "--dry-run"])
    assert listed.exit_code == 0, listed.output
    assert f"would remove shops/{'d' * 32}-thumb.jpg" in listed.output and orphan.exists()
    kept = runner.invoke(args=["shops", "prune-photos"])  # default grace: a day
    assert "0 orphan file(s) removed." in kept.output and orphan.exists()
    done = runner.invoke(args=["shops", "prune-photos", "--grace-hours", "1"])
    assert f"removed shops/{'d' * 32}-thumb.jpg" in done.output
    assert "1 orphan file(s) removed." in done.output and not orphan.exists()


def test_the_sweep_runs_daily_at_half_past_four_town_time(app):
    from marketplace.jobs.queue import queue_of

    huey = queue_of(app).huey
    due = [t.name for t in huey.read_periodic(datetime(2026, 1, 15, 3, 30))]  # 04:30 in Paris
    assert "prune_orphan_photos" in due
    assert "prune_orphan_photos" not in [
        t.name for t in huey.read_periodic(datetime(2026, 1, 15, 3, 30) + timedelta(hours=1))
    ]
