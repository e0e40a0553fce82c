"""Bulk onboarding: create or update shops from the town's CSV, inviting new owners."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import RESIDENT, SHOPKEEPER, User
from marketplace.extensions import db
from shops import services
from shops.csv_io import CsvError, RowError, read_table
from shops.hours import InvalidHours
from shops.models import DRAFT, PENDING_REVIEW, PUBLISHED, Shop
from shops.osm_hours import parse_opening_hours
from shops.schemas import validate_shop
from shops.status import transition_shop

COLUMNS = [
    "slug",
    "name",
    "category",
    "description",
    "specialities",
    "address",
    "postcode",
    "city",
    "lat",
    "lon",
    "siret",
    "phone",
    "email",
    "website",
    "opening_hours",
    "owner_email",
]
REQUIRED = ("name", "category", "address", "postcode", "city", "owner_email")
ALIASES = {
    "nom": "name",
    "catégorie": "category",
    "categorie": "category",
    "adresse": "address",
    "code postal": "postcode",
    "ville": "city",
    "horaires": "opening_hours",
    "email propriétaire": "owner_email",
    "téléphone": "phone",
    "site web": "website",
    "spécialités": "specialities",
    "specialites": "specialities",
    "specialties": "specialities",
}


@dataclass
class ShopImportReport:
    """What a shop import did, or why it did nothing."""

    created: int = 0
    updated: int = 0
    invited: list[User] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: CsvError | None = None

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.errors


def import_shops(
    data: bytes, publish: bool = False, actor_id: int | None = None
) -> ShopImportReport:
    """Validate every row, then create or update every shop; on any error change nothing.

    New owner emails get a shopkeeper account without a password: the caller sends each
    `report.invited` user an invitation after the commit.
    """
    report = ShopImportReport()
    try:
        table = read_table(data, ALIASES, REQUIRED)
    except CsvError as error:
        report.file_error = error
        return report
    rows = []
    seen: dict[str, int] = {}
    for line, row in table.rows:
        values, errors = validate_shop(row)
        for column, messages in errors.items():
            report.errors.extend(RowError(line, column, m) for m in messages)
        # A column the file lacks, or hours it leaves empty, keep what the shop already has.
        values = {k: v for k, v in values.items() if k in table.columns}
        try:
            hours_text = (row.get("opening_hours") or "").strip()
            hours = parse_opening_hours(hours_text) if hours_text else None
        except InvalidHours:
            hours = None
            report.errors.append(
                RowError(
                    line,
                    "opening_hours",
                    _(
                        "Opening hours must look like Mo-Fr 08:00-12:30,14:00-19:00; Sa 08:00-13:00; Su off."
                    ),
                )
            )
        email = (row.get("owner_email") or "").strip().lower()
        if "@" not in email or len(email) > 254:
            report.errors.append(RowError(line, "owner_email", _("Enter the owner's email.")))
        elif _is_staff(email):
            report.errors.append(
                RowError(
                    line,
                    "owner_email",
                    _(
                        "This email belongs to a curator or an administrator, who cannot own a shop."
                    ),
                )
            )
        # A row with errors still claims its slug: a later duplicate is reported in the same pass.
        slug = values.get("slug", (row.get("slug") or "").strip() or None)
        if slug:
            if slug in seen:
                report.errors.append(
                    RowError(line, "slug", _("Same slug as line %(n)s.", n=seen[slug]))
                )
            seen[slug] = line
        rows.append((line, values, hours, email))
    if report.errors:
        return report
    for _line, values, hours, email in rows:
        _apply_row(values, hours, email, publish, actor_id, report)
    db.session.flush()
    return report


def _is_staff(email: str) -> bool:
    user = accounts.find_user_by_email(email)
    return user is not None and user.is_curator


def _owner_for(email: str, report: ShopImportReport) -> User:
    user = accounts.find_user_by_email(email)
    if user is None:
        user = accounts.register_user(email, None, email.split("@")[0], role=SHOPKEEPER)
        report.invited.append(user)
    elif user.role == RESIDENT:
        # The town names this resident as a shop's owner: they need the merchant pages to run it.
        user.role = SHOPKEEPER
    return user


def _apply_row(values, hours, email, publish, actor_id, report) -> None:
    slug = values.pop("slug", None)
    shop = db.session.scalar(select(Shop).where(Shop.slug == slug)) if slug else None
    owner = _owner_for(email, report)
    if shop is None:
        shop = services.create_shop(owner, values, slug=slug)
        report.created += 1
        if publish:
            transition_shop(shop, PENDING_REVIEW, actor_id)
            transition_shop(shop, PUBLISHED, actor_id)
    else:
        services.update_shop(shop, values)
        shop.owner = owner
        report.updated += 1
        if publish and shop.status in (DRAFT, PENDING_REVIEW):
            if shop.status == DRAFT:
                transition_shop(shop, PENDING_REVIEW, actor_id)
            transition_shop(shop, PUBLISHED, actor_id)
    if hours is not None:
        services.set_opening_hours(shop, hours)
