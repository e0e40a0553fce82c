"""Every product and shop has a pictogram, and each one is vendored from npm with its licence."""

from __future__ import annotations

import json
import re
from pathlib import Path

from shops.categories import CATEGORIES
from shops.pictograms import ICON_DIR, ICONS, SHOP_ICONS, icon_names, pictogram, shop_pictogram
from shops.product_types import taxonomy

ROOT = Path(__file__).resolve().parents[2]
VENDORED = ROOT / "static" / ICON_DIR


def test_every_family_and_shop_category_has_its_own_pictogram():
    assert set(taxonomy().families) <= set(ICONS)
    assert {c.code for c in CATEGORIES} <= set(SHOP_ICONS)
    assert set(ICONS) <= set(taxonomy().families) | set(taxonomy().types)  # no stale slug
    assert pictogram("pain") == "baguette" and pictogram("viennoiserie") == "bread"  # type, family
    assert pictogram(None) == pictogram("no-such-type") == "shopping-bag"
    assert shop_pictogram("no-such-category") == "building-store"


def test_each_pictogram_is_vendored_with_the_licence_and_recorded_for_make_vendor():
    for name in icon_names():
        svg = (VENDORED / f"{name}.svg").read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<svg") and "<script" not in svg, name
    assert "MIT License" in (VENDORED / "LICENSE").read_text(encoding="utf-8")
    assert {p.stem for p in VENDORED.glob("*.svg")} == icon_names()  # nothing unused
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    listed = re.search(r"^TABLER_ICONS := ((?:.*\\\n)*.*)$", makefile, re.M).group(1)
    assert set(listed.replace("\\", " ").split()) == icon_names()
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    version = package["dependencies"]["@tabler/icons"]
    assert lock["packages"]["node_modules/@tabler/icons"]["version"] == version
    assert lock["packages"]["node_modules/@tabler/icons"]["license"] == "MIT"
