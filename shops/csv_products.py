"""Catalogue CSV: import (all rows or none, updates by SKU) and export."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.money import cents_to_decimal_text
from shops.catalogue import PRODUCT_FIELDS, to_product_values, with_type
from shops.csv_io import CsvError, RowError, read_table, write_table
from shops.models import Product, Shop
from shops.schemas import validate_product
from shops.services import slugify

COLUMNS = ["sku", "name", "description", "price", "stock", "category", "type", "active"]
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
    "en vente": "active",
}


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: CsvError | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.errors


def import_products(shop: Shop, data: bytes) -> ImportReport:
    """Validate every row, then create or update them all; on any error change nothing."""
    report = ImportReport()
    try:
        table = read_table(data, ALIASES, REQUIRED)
    except CsvError as error:
        report.file_error = error
        return report
    report.notes = table.notes
    parsed: list[tuple[int, dict]] = []
    seen_skus: dict[str, int] = {}
    for line, row in table.rows:
        values, errors = validate_product(row)
        for column, messages in errors.items():
            report.errors.extend(RowError(line, column, m) for m in messages)
        # A row with errors still claims its SKU: a later duplicate is reported in the same pass.
        sku = values.get("sku", (row.get("sku") or "").strip() or None)
        if sku:
            if sku in seen_skus:
                report.errors.append(
                    RowError(line, "sku", _("Same SKU as line %(n)s.", n=seen_skus[sku]))
                )
            seen_skus[sku] = line
        if not errors:
            # A column the file lacks keeps the product's value (a price list keeps the stock).
            values = {k: v for k, v in values.items() if k in table.columns}
            parsed.append((line, to_product_values(values)))
    if report.errors:
        return report
    _apply(shop, parsed, report)
    return report


def _apply(shop: Shop, parsed: list[tuple[int, dict]], report: ImportReport) -> None:
    existing = list(
        db.session.scalars(select(Product).where(Product.shop_id == shop.id).order_by(Product.id))
    )
    by_sku = {p.sku: p for p in existing if p.sku}
    by_name: dict[str, list[Product]] = {}
    for p in existing:
        if not p.sku:
            by_name.setdefault(p.name.lower(), []).append(p)
    slugs = {p.slug for p in existing}
    for _line, values in parsed:
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
    db.session.flush()


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
        ]
        for p in products
    )
    return write_table(COLUMNS, rows, delimiter=";" if french else ",")
