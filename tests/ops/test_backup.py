"""Backups restore: scripts/backup.py dumps, restores into a scratch database and compares."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from sqlalchemy import func, select

from marketplace.extensions import db
from shops.models import Product
from tests.factories import make_product, make_product_image, make_shop

ROOT = Path(__file__).resolve().parents[2]


def backup_module():
    spec = importlib.util.spec_from_file_location("vitrine_backup", ROOT / "scripts" / "backup.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def town(app) -> None:
    shop = make_shop(name="Boulangerie du Marché")
    for n in range(5):
        product = make_product(shop, f"Pain numéro {n}", 200 + n)
    make_product_image(product, app.config["UPLOAD_DIR"])


def test_a_backup_restores_with_every_row_and_every_photo(app, database_url, tmp_path):
    backup = backup_module()
    town(app)
    folder = backup.create(database_url, app.config["UPLOAD_DIR"], tmp_path / "backup")
    manifest = (folder / "manifest.json").read_text()
    assert '"products": 5' in manifest and '"shops": 1' in manifest
    assert len(list(Path(app.config["UPLOAD_DIR"]).rglob("*.jpg"))) == 2
    assert backup.verify(database_url, folder) == []


def test_a_damaged_backup_is_reported(app, database_url, tmp_path):
    backup = backup_module()
    town(app)
    folder = backup.create(database_url, app.config["UPLOAD_DIR"], tmp_path / "backup")
    dump = next(p for p in folder.iterdir() if p.name.startswith("database."))
    dump.write_bytes(dump.read_bytes()[: len(dump.read_bytes()) // 3])  # truncated on the way
    (folder / "uploads.tar.gz").write_bytes(b"not a tarball")
    problems = backup.verify(database_url, folder)
    assert any("database" in p or "table" in p for p in problems), problems
    assert any("upload" in p for p in problems), problems


def test_restore_puts_the_database_and_uploads_back(app, database_url, tmp_path):
    backup = backup_module()
    town(app)
    folder = backup.create(database_url, app.config["UPLOAD_DIR"], tmp_path / "backup")
    db.session.execute(db.delete(Product).where(Product.name == "Pain numéro 0"))
    db.session.commit()
    db.session.remove()
    db.engine.dispose()  # the restore replaces the database under the app, as with the service stopped
    restored_uploads = tmp_path / "restored-uploads"
    backup.restore(database_url, str(restored_uploads), folder)
    assert db.session.scalar(select(func.count()).select_from(Product)) == 5
    assert len(list(restored_uploads.rglob("*.jpg"))) == 2
