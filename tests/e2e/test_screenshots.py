"""The screenshot code keeps working: a phone's cart, order, board and review queue, in French."""

from __future__ import annotations

from PIL import Image

from tests.e2e.screenshots import build_scene, take


def test_screenshots_of_a_phone_in_french(browser, live_town, tmp_path):
    """The pages render on a 390 px phone without sideways scrolling, and the files are saved."""
    scene = build_scene(live_town)
    written = take(
        browser,
        live_town,
        scene,
        "fr",
        "phone",
        tmp_path,
        pages=("cart", "order", "board", "curator-queue"),
    )
    assert sorted(p.name for p in written) == [
        "board-fr-phone.png",
        "cart-fr-phone.png",
        "curator-queue-fr-phone.png",
        "order-fr-phone.png",
    ]
    for path in written:
        with Image.open(path) as image:
            assert image.size == (390, 844)  # the viewport, not the full page
