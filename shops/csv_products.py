"""Catalogue CSV: check and import (all rows or none, updates by SKU), and export."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.money import cents_to_decimal_text
from shops.catalogue import PRODUCT_FIELDS, to_product_values, with_type
from shops.csv_io import CsvError, CsvStream, RowError, open_table, write_table
from shops.models import Product, Shop
from shops.schemas import validate_product
from shops.services import slugify

COLUMNS = [
    "sku",
    "name",
    "description",
    "price",
    "stock",
    "category",
    "type",
    "active",
    "low_stock_threshold",
]
REQUIRED = ("name", "price")
# French spreadsheet headers people actually use.
ALIASES = {
    "référence": "sku",
    "reference": "sku",
    "ref": "sku",
    "nom": "name",
    "produit": "name",
    "prix": "price",
    "prix ttc": "price",
    "quantité": "stock",
    "quantite": "stock",
    "catégorie": "category",
    "categorie": "category",
    "rayon": "category",
    "type de produit": "type",
    "product type": "type",
    "actif": "active",
    "seuil": "low_stock_threshold",
    "seuil d'alerte": "low_stock_threshold",
    "alerte stock": "low_stock_threshold",
    "low stock threshold": "low_stock_threshold",
    "en vente": "active",
}


# Beyond this many problems the rest are counted, not listed (a wrong separator fails every row).
MAX_LISTED_ERRORS = 500


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    file_error: CsvError | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.error_count

    def add_error(self, error: RowError) -> None:
        """Count a row's problem; list it among the first MAX_LISTED_ERRORS."""
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(error)


@dataclass
class CheckedRows:
    """What one streaming pass over a catalogue file found."""

    rows: int = 0  # data rows in the file
    checked: int = 0  # rows validated: all of them, unless the deadline came first
    # Each good row's product values (line, values), kept while every row so far is good and
    # there are no more than the caller wants; None once anything was dropped.
    values: list[tuple[int, dict]] | None = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.checked == self.rows

    def keep(self, line: int, values: dict | None, columns: list[str], keep_up_to: int | None):
        """Keep a checked row's values, or drop them all (a bad row, or more than wanted)."""
        if values is None or (keep_up_to is not None and self.checked > keep_up_to):
            self.values = None
        elif self.values is not None:
            # A column the file lacks keeps the product's value (a price list keeps the stock).
            kept = {k: v for k, v in values.items() if k in columns}
            self.values.append((line, to_product_values(kept)))


def check_products(
    stream: CsvStream,
    report: ImportReport,
    max_rows: int | None = None,
    deadline: float | None = None,
    keep_up_to: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> CheckedRows:
    """Validate the rows one by one as they are read, adding each problem to `report`.

    Past `deadline` (time.monotonic) rows are only counted, so that a request stays short;
    more than `max_rows` rows raise CsvError("too_many_rows"). The values of the good rows are
    kept (see CheckedRows.keep) for at most `keep_up_to` rows (None: all of them).
    """
    checked = CheckedRows()
    seen_skus: dict[str, int] = {}
    out_of_time = False
    for line, row in stream.rows():
        checked.rows += 1
        if max_rows is not None and checked.rows > max_rows:
            raise CsvError("too_many_rows", str(max_rows))
        out_of_time = out_of_time or (deadline is not None and time.monotonic() > deadline)
        if out_of_time:
            continue  # only counted: whoever applies the file checks every row first
        checked.checked += 1
        values = _check_row(line, row, seen_skus, report)
        checked.keep(line, values, stream.columns, keep_up_to)
        if progress is not None:
            progress(checked.checked)
    return checked


def _check_row(line: int, row: dict, seen_skus: dict[str, int], report: ImportReport):
    """The row's validated values, or None if it has a problem (added to the report)."""
    before = report.error_count
    values, errors = validate_product(row)
    for column, messages in errors.items():
        for message in messages:
            report.add_error(RowError(line, column, message))
    # A row with errors still claims its SKU: a later duplicate is reported in the same pass.
    sku = values.get("sku", (row.get("sku") or "").strip() or None)
    if sku:
        if sku in seen_skus:
            report.add_error(RowError(line, "sku", _("Same SKU as line %(n)s.", n=seen_skus[sku])))
        seen_skus[sku] = line
    return values if report.error_count == before else None


def import_products(shop: Shop, data: bytes) -> ImportReport:
    """Validate every row, then create or update them all; on any error change nothing."""
    report = ImportReport()
    try:
        stream = open_table(data, ALIASES, REQUIRED)
        report.notes = stream.notes
        checked = check_products(stream, report)
    except CsvError as error:
        report.file_error = error
        return report
    if report.ok and checked.values is not None:
        apply_products(shop, checked.values, report)
        db.session.flush()
    return report


def apply_products(
    shop: Shop,
    parsed: list[tuple[int, dict]],
    report: ImportReport,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Create or update a product for each checked row, in the session (the caller flushes).

    Nothing is written until that flush: a job records its progress meanwhile.
    """
    existing = list(
        db.session.scalars(select(Product).where(Product.shop_id == shop.id).order_by(Product.id))
    )
    by_sku = {p.sku: p for p in existing if p.sku}
    by_name: dict[str, list[Product]] = {}
    for p in existing:
        if not p.sku:
            by_name.setdefault(p.name.lower(), []).append(p)
    slugs = {p.slug for p in existing}
    for done, (_line, values) in enumerate(parsed, 1):
        if progress is not None:
            progress(done)
        product = by_sku.get(values.get("sku") or "")
        if product is None and not values.get("sku"):
            # Rows without SKU take the products of that name in turn (the export lists them
            # by id), so that exporting then importing changes nothing.
            same_name = by_name.get(values["name"].lower(), [])
            product = same_name.pop(0) if same_name else None
        # No type column, or an empty cell: the category and the name say which type it is.
        values = with_type(values, shop.category, product)
        if product is None:
            product = Product(
                shop_id=shop.id,
                slug=_free_slug(values["name"], slugs),
                **{k: v for k, v in values.items() if k in PRODUCT_FIELDS},
            )
            db.session.add(product)
            if product.sku:
                by_sku[product.sku] = product
            report.created += 1
            continue
        changed = False
        for key, value in values.items():
            if key in PRODUCT_FIELDS and getattr(product, key) != value:
                setattr(product, key, value)
                changed = True
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1


def _free_slug(name: str, taken: set[str]) -> str:
    base = slugify(name, 100)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def export_products(shop: Shop, french: bool = True) -> str:
    """Return the shop's catalogue as CSV (French: ';' and decimal comma; else ',' and '.')."""
    products = db.session.scalars(
        select(Product).where(Product.shop_id == shop.id).order_by(Product.name, Product.id)
    )
    sep = "," if french else "."
    rows = (
        [
            p.sku or "",
            p.name,
            p.description,
            cents_to_decimal_text(p.price_cents, sep),
            "" if p.stock is None else p.stock,
            p.category,
            p.product_type or "",
            1 if p.is_active else 0,
            "" if p.low_stock_threshold is None else p.low_stock_threshold,
        ]
        for p in products
    )
    return write_table(COLUMNS, rows, delimiter=";" if french else ",")
