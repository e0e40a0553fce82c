"""Helpers of the bulk onboarding tests: the town's shops CSV and the page's steps."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.audit import AuditLog
from marketplace.curation.models import ShopImport
from marketplace.extensions import db
from shops.models import Shop
from tests.conftest import csrf_token

HEADER = "slug;nom;catégorie;adresse;code postal;ville;horaires;email propriétaire;langue"
BAKERY = (
    "boulangerie-oberkampf;Boulangerie Oberkampf;boulangerie;112 rue Oberkampf;75011;Paris;"
    '"Mo-Fr 07:00-13:30,15:30-20:00; Sa 07:00-13:00; Su off";jeanne@example.org;fr'
)
BOOKSHOP = (
    "librairie-voltaire;Librairie Voltaire;librairie;9 boulevard Voltaire;75011;Paris;"
    "Tu-Sa 10:00-19:30;paul@example.org;en"
)
BAD_POSTCODE = "cave-y;Cave Y;caviste;2 rue Y;7501;Paris;;yves@example.org;"


def shops_csv(*lines: str, encoding: str = "utf-8") -> bytes:
    """The town's shops CSV with these lines under the French header."""
    return ("\n".join([HEADER, *lines]) + "\n").encode(encoding)


def upload(client, data: bytes, filename: str = "commerces.csv", publish: bool = False):
    """Send a file on the bulk onboarding page, as the form does."""
    fields = {
        "csrf_token": csrf_token(client, "/curation/onboarding"),
        "file": (io.BytesIO(data), filename),
    }
    if publish:
        fields["publish"] = "y"
    return client.post("/curation/onboarding", data=fields, content_type="multipart/form-data")


def confirm(client, preview_path: str):
    """Press the preview's import button."""
    return client.post(
        preview_path + "/import", data={"csrf_token": csrf_token(client, preview_path)}
    )


def import_id_of(path: str) -> int:
    """The import's number in its preview address."""
    match = re.fullmatch(r"/curation/onboarding/(\d+)", path)
    assert match, path
    return int(match.group(1))


def counts() -> tuple[int, int, int, int]:
    """How many shops, accounts, audit rows and kept files there are."""
    db.session.expire_all()
    return tuple(  # type: ignore[return-value]
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Shop, User, AuditLog, ShopImport)
    )
