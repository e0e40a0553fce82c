"""A search checks that its snapshot of the index is still the newest with one stat of the index
folder once the folder has been quiet, without a lock (issue 20), and never misses a change."""

from __future__ import annotations

import os
import time

from marketplace.extensions import db
from search.snapshot import SETTLED_NS, snapshot_for
from shops import catalogue
from tests.factories import make_product, make_shop
from tests.search.conftest import found


def age_folder(path, seconds: float) -> int:
    """Set the folder's modification time `seconds` in the past; return it (ns)."""
    then = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(then, then))
    return then


def test_a_quiet_index_is_trusted_by_its_time_and_a_change_still_shows(app, client, index_dir):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    product = make_product(shop, "Tomme de Savoie", 900)
    assert found(client, "tomme") == ["Tomme de Savoie"]
    first = snapshot_for(index_dir)
    quiet = age_folder(first.generation, 10)

    assert snapshot_for(index_dir) is first
    assert first.settled_mtime == quiet  # from now on one stat says "unchanged"
    catalogue.update_product(product, {"name": "Tomme des Pyrénées"})
    db.session.commit()  # a new commit in the folder: its time moves

    assert found(client, "tomme") == ["Tomme des Pyrénées"]
    assert snapshot_for(index_dir) is not first


def test_a_folder_changed_moments_ago_is_not_trusted_by_its_time(app, client, index_dir):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    make_product(shop, "Tomme de Savoie", 900)
    assert found(client, "tomme") == ["Tomme de Savoie"]
    snapshot = snapshot_for(index_dir)
    age_folder(snapshot.generation, SETTLED_NS / 1e9 / 4)  # within a coarse clock's reach

    assert snapshot_for(index_dir) is snapshot
    assert snapshot.settled_mtime is None  # the folder is listed again at the next search
