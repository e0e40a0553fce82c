"""Bulk onboarding: create or update shops from the town's CSV, inviting new owners.

One code path for `flask shops import-shops` and the office's page (marketplace/curation/
onboarding.py): `check_shops` reads and validates every line without writing anything (the
page's preview), `apply_shops` writes the lines that passed, and `import_shops` does both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import RESIDENT, SHOPKEEPER, User
from marketplace.audit import record_action
from marketplace.extensions import db
from shops import services
from shops.csv_io import CsvError, RowError, read_table
from shops.hours_text import ShopHours, split_opening_hours
from shops.models import DRAFT, PENDING_REVIEW, PUBLISHED, Shop
from shops.opening import InvalidRules
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
    "language",
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
    "langue": "language",
}

# Audit codes of the rows an import writes (labels in marketplace/curation/audit_labels.py).
IMPORTED = "shop.imported"
IMPORT_UPDATED = "shop.import_updated"


@dataclass
class ShopLine:
    """One line of the file as the import would take it: its problems, or what it would do."""

    line: int
    name: str
    slug: str | None
    owner_email: str
    errors: list[RowError] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    hours: ShopHours | None = None  # None: the file leaves the shop's hours as they are
    language: str | None = None
    exists: bool = False  # a shop has this slug: the line updates it
    new_owner: bool = False  # no account has this email: one is opened and invited

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ShopCheck:
    """Every line of a file, checked; nothing written."""

    lines: list[ShopLine] = field(default_factory=list)
    file_error: CsvError | None = None

    @property
    def errors(self) -> list[RowError]:
        """Every problem of every line, in the file's order."""
        return [error for line in self.lines for error in line.errors]

    @property
    def valid(self) -> list[ShopLine]:
        """The lines an import would write."""
        return [line for line in self.lines if line.ok]


@dataclass
class ShopImportReport:
    """What a shop import did, or why it did nothing."""

    created: int = 0
    updated: int = 0
    skipped: int = 0  # lines with problems left out (only when asked to skip them)
    invited: list[User] = field(default_factory=list)
    shop_ids: list[int] = field(default_factory=list)  # written: the registers are asked after
    errors: list[RowError] = field(default_factory=list)
    file_error: CsvError | None = None

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.errors


def check_shops(data: bytes, max_rows: int | None = None) -> ShopCheck:
    """Read and validate every line of a shops CSV, and say what each would do; write nothing."""
    check = ShopCheck()
    try:
        table = read_table(data, ALIASES, REQUIRED)
        if max_rows is not None and len(table.rows) > max_rows:
            raise CsvError("too_many_rows", str(max_rows))
    except CsvError as error:
        check.file_error = error
        return check
    lines = [_check_row(number, row, table.columns) for number, row in table.rows]
    # One query for every owner and one for every slug, not one per line.
    users = _users_by_email({line.owner_email for line in lines if line.owner_email})
    shops = _shops_by_slug({line.slug for line in lines if line.slug})
    seen: dict[str, int] = {}
    owners: set[str] = set()
    for line in lines:
        user = users.get(line.owner_email)
        if user is not None and user.is_curator:
            message = _(
                "This email belongs to a curator or an administrator, who cannot own a shop."
            )
            line.errors.append(RowError(line.line, "owner_email", message))
        # A line with errors still claims its slug: a later duplicate is reported in the same pass.
        if line.slug:
            if line.slug in seen:
                message = _("Same slug as line %(n)s.", n=seen[line.slug])
                line.errors.append(RowError(line.line, "slug", message))
            seen[line.slug] = line.line
        if line.ok:
            line.exists = line.slug in shops
            line.new_owner = user is None and line.owner_email not in owners
            owners.add(line.owner_email)
        check.lines.append(line)
    return check


def _check_row(number: int, row: dict[str, str], columns: list[str]) -> ShopLine:
    values, errors = validate_shop(row)
    # A column the file lacks, or hours it leaves empty, keep what the shop already has.
    values = {k: v for k, v in values.items() if k in columns}
    email = (row.get("owner_email") or "").strip().lower()
    line = ShopLine(
        number,
        name=(row.get("name") or "").strip(),
        slug=values.get("slug", (row.get("slug") or "").strip() or None),
        owner_email=email,
        values=values,
    )
    for column, messages in errors.items():
        line.errors.extend(RowError(number, column, m) for m in messages)
    try:
        hours_text = (row.get("opening_hours") or "").strip()
        line.hours = split_opening_hours(hours_text) if hours_text else None
    except InvalidRules:
        message = _(
            "Opening hours must be in the OpenStreetMap syntax, e.g. Mo-Fr 08:00-12:30,14:00-19:00;"
            " Sa 08:00-13:00; Su off; PH off."
        )
        line.errors.append(RowError(number, "opening_hours", message))
    if "@" not in email or len(email) > 254:
        line.errors.append(RowError(number, "owner_email", _("Enter the owner's email.")))
    language = (row.get("language") or "").strip().lower()
    if language and language not in current_app.config["LANGUAGES"]:
        languages = ", ".join(current_app.config["LANGUAGES"])
        message = _("Write the owner's language as one of: %(codes)s.", codes=languages)
        line.errors.append(RowError(number, "language", message))
    line.language = language or None
    return line


def apply_shops(
    check: ShopCheck, publish: bool = False, actor_id: int | None = None, skip_invalid: bool = False
) -> ShopImportReport:
    """Write the checked lines (flushed, not committed), each created shop with an audit row.

    With a problem on any line nothing is written, unless `skip_invalid`: then the lines with
    problems are left out. New owners get a shopkeeper account without a password: the caller
    queues them (shops.import_registers.queue_after_import) after the commit.
    """
    report = ShopImportReport(errors=check.errors, file_error=check.file_error)
    if check.file_error is not None or (report.errors and not skip_invalid):
        return report
    valid = check.valid
    report.skipped = len(check.lines) - len(valid)
    shops = _shops_by_slug({line.slug for line in valid if line.slug})
    users = _users_by_email({line.owner_email for line in valid})
    for line in valid:
        _apply_line(line, publish, actor_id, report, shops, users)
    db.session.flush()
    return report


def import_shops(
    data: bytes, publish: bool = False, actor_id: int | None = None, skip_invalid: bool = False
) -> ShopImportReport:
    """Check every line, then create or update the shops (see apply_shops); flushed."""
    return apply_shops(check_shops(data), publish, actor_id, skip_invalid)


def _chunks(values: set[str], size: int = 500) -> list[list[str]]:
    # Bounded IN lists: SQLite refuses a statement with too many parameters.
    ordered = sorted(values)
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def _shops_by_slug(slugs: set[str]) -> dict[str, Shop]:
    found: dict[str, Shop] = {}
    for chunk in _chunks(slugs):
        found.update(
            (s.slug, s) for s in db.session.scalars(select(Shop).where(Shop.slug.in_(chunk)))
        )
    return found


def _users_by_email(emails: set[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for chunk in _chunks({accounts.normalize_email(e) for e in emails}):
        query = select(User).where(func.lower(User.email).in_(chunk), User.deleted_at.is_(None))
        found.update((u.email.lower(), u) for u in db.session.scalars(query))
    return found


def _owner_for(line: ShopLine, report: ShopImportReport, users: dict[str, User]) -> User:
    email = line.owner_email
    user = users.get(email)
    if user is None:
        name = email.split("@")[0]
        # register_user looks the email up again: without autoflush, that look-up does not
        # write every pending row first (a new owner of two lines is in `users` already).
        with db.session.no_autoflush:
            user = accounts.register_user(email, None, name, SHOPKEEPER, line.language)
        users[email] = user
        report.invited.append(user)
    elif user.role == RESIDENT:
        # The town names this resident as a shop's owner: they need the merchant pages to run it.
        user.role = SHOPKEEPER
    return user


def _apply_line(line: ShopLine, publish: bool, actor_id: int | None, report, shops, users) -> None:
    values = dict(line.values)
    slug = values.pop("slug", None)
    shop = shops.get(slug) if slug else None
    owner = _owner_for(line, report, users)
    if shop is None:
        shop = services.create_shop(owner, values, slug=slug)
        record_action(actor_id, IMPORTED, "shop", shop.id, None, {"name": [None, shop.name]})
        report.created += 1
        if publish:
            transition_shop(shop, PENDING_REVIEW, actor_id)
            transition_shop(shop, PUBLISHED, actor_id)
    else:
        changes = services.update_shop(shop, values)
        if shop.owner_id != owner.id:
            changes["owner"] = [shop.owner.email, owner.email]
        shop.owner = owner
        if changes:
            record_action(actor_id, IMPORT_UPDATED, "shop", shop.id, None, changes)
        report.updated += 1
        if publish and shop.status in (DRAFT, PENDING_REVIEW):
            if shop.status == DRAFT:
                transition_shop(shop, PENDING_REVIEW, actor_id)
            transition_shop(shop, PUBLISHED, actor_id)
    if line.hours is not None:
        services.set_opening_hours(shop, line.hours.weekly)
        services.set_hours_rules(shop, line.hours.rules, line.hours.closed_on_holidays)
    report.shop_ids.append(shop.id)
