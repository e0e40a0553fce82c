"""Preparation tickets: one order, or every order of a pickup slot, as a PDF (A4 or 80 mm receipt)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_datetime
from flask_babel import gettext as _
from fpdf import FPDF
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.money import format_money
from marketplace.orders.models import AT_PICKUP, Order, with_lines_and_buyer
from marketplace.orders.status import CONFIRMED, READY
from marketplace.templating import current_locale
from shops.models import Shop

SIZES = ("a4", "80mm")
RECEIPT_WIDTH = 80  # mm: the common thermal receipt roll


def paper_size(text: str | None) -> str:
    """The paper asked for (?size=), A4 unless it is the 80 mm receipt roll."""
    return text if text in SIZES else "a4"


def parse_slot(text: str | None, tz: str) -> datetime | None:
    """The slot start in `text` (town wall-clock YYYY-MM-DDTHH:MM), or None if it is not one."""
    try:
        moment = datetime.fromisoformat((text or "")[:25])
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz))


def orders_of_slot(shop: Shop, starts_at: datetime) -> list[Order]:
    """The shop's orders to prepare or hand over in the slot starting at `starts_at`."""
    return list(
        db.session.scalars(
            select(Order)
            .where(
                Order.shop_id == shop.id,
                # Within a minute, so a slot typed to the minute finds its orders on any database.
                Order.pickup_starts_at >= starts_at,
                Order.pickup_starts_at < starts_at + timedelta(minutes=1),
                Order.status.in_((CONFIRMED, READY)),
            )
            .options(*with_lines_and_buyer())
            .order_by(Order.id)
        )
    )


def first_name(order: Order) -> str:
    """The buyer's first name as written on a ticket (erased details have none)."""
    buyer = order.buyer
    if buyer is None:
        return _("details erased")
    first = (buyer.name.split() or [""])[0]
    if buyer.is_guest:
        return _("%(name)s (guest)", name=first) if first else _("Guest")
    return first


def payment_note(order: Order) -> str:
    """What the counter must do about payment."""
    return _("To pay at the counter") if order.checkout.method == AT_PICKUP else _("Paid online")


def _latin(text: object) -> str:
    # The PDF's core font knows Windows-1252 only (as the payments statement): the rest is "?".
    plain = str(text).replace("\u202f", " ").replace("\u00a0", " ").replace("\u2212", "-")
    return plain.encode("cp1252", "replace").decode("cp1252")


def tickets_pdf(shop: Shop, orders: list[Order], size: str, compress: bool = True) -> bytes:
    """One page per order: shop, order number, pickup time, customer, lines to tick, payment."""
    receipt = size == "80mm"
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # euro sign and French accents
    pdf.set_compression(compress)
    pdf.set_creator("Vitrine")
    pdf.set_title(_latin(_("Preparation tickets") + " · " + shop.name))
    margin = 4 if receipt else 15
    pdf.set_margins(margin, margin)
    pdf.set_auto_page_break(True, margin)
    width = (RECEIPT_WIDTH if receipt else 210) - 2 * margin
    big, small = (12, 9) if receipt else (18, 12)
    for order in orders:
        # A receipt page is as long as its ticket: the roll is cut after each order.
        length = 48 + 6 * sum(1 for _line in order.lines)
        pdf.add_page(format=(RECEIPT_WIDTH, max(length, 80)) if receipt else "A4")
        pdf.set_font("Helvetica", "", small)
        pdf.multi_cell(width, small * 0.5, _latin(shop.name))
        pdf.set_font("Helvetica", "B", big)
        pdf.multi_cell(width, big * 0.5, _latin(_("Order #%(id)s", id=order.id)))
        pdf.set_font("Helvetica", "", small)
        when = format_datetime(order.pickup_starts_at, "EEEE d MMMM, HH:mm")
        for text in (when, _("Customer: %(name)s", name=first_name(order)), payment_note(order)):
            pdf.multi_cell(width, small * 0.5, _latin(text))
        pdf.ln(2)
        pdf.set_font("Helvetica", "B" if receipt else "", small + 1)
        for line in order.lines:
            pdf.multi_cell(width, (small + 1) * 0.5, _latin(f"[ ]  {line.quantity} x  {line.name}"))
        pdf.ln(2)
        pdf.set_font("Helvetica", "", small)
        total = format_money(order.total_cents, current_locale())
        pdf.multi_cell(width, small * 0.5, _latin(_("Total: %(total)s", total=total)))
    return bytes(pdf.output())
