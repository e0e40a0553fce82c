"""A shop's monthly payments statement as files: CSV for spreadsheets, PDF (fpdf2) to keep."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from fpdf import FPDF

from marketplace.money import format_money
from marketplace.templating import current_locale, local_date, local_datetime
from payments.models import DISPUTE_LOST, DISPUTE_OPENED, DISPUTE_WON
from payments.statement import (
    TRANSFER_AWAITING,
    TRANSFER_FAILED,
    TRANSFER_HELD,
    TRANSFER_NONE,
    TRANSFER_PLANNED,
    TRANSFER_SENT,
    Statement,
)
from shops.csv_io import write_table

TRANSFER_LABELS = {
    TRANSFER_SENT: _l("Sent"),
    TRANSFER_PLANNED: _l("Being sent"),
    TRANSFER_FAILED: _l("Not sent: the town's office follows it up"),
    TRANSFER_HELD: _l("Held: payment disputed"),
    TRANSFER_AWAITING: _l("At collection"),
    TRANSFER_NONE: _l("Nothing to transfer"),
}
# Said under the table on the page and in the PDF (the view passes it to the template).
NET_NOTE = _l(
    "Net paid to the shop = transferred − reversed. An order is listed under the month it "
    "was paid in; its later refunds and reversals are included."
)
DISPUTE_LABELS = {
    DISPUTE_OPENED: _l("In progress"),
    DISPUTE_WON: _l("Won"),
    DISPUTE_LOST: _l("Lost"),
}


def month_label(statement: Statement) -> str:
    """The statement's month in words, in the current language: "mars 2025"."""
    return local_date(statement.month, "month")


def filename(statement: Statement, extension: str) -> str:
    """The download name: <shop>-payments-YYYY-MM.<extension>."""
    return f"{statement.shop.slug}-payments-{statement.month:%Y-%m}.{extension}"


def _amount(cents: int, decimal_sep: str) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}{decimal_sep}{abs(cents) % 100:02d}"


def _local(moment: datetime | None, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M") if moment else ""


def _dispute(status: str | None) -> str:
    return str(DISPUTE_LABELS[status]) if status else ""


def statement_csv(statement: Statement, tz: str, french: bool = True) -> str:
    """The statement as CSV (French: ';' and decimal comma; else ',' and '.'), totals included."""
    sep = "," if french else "."
    columns = [
        _("Order"),
        _("Payment"),
        _("Date"),
        _("Amount paid"),
        _("Stripe fee"),
        _("Platform fee"),
        _("Refunds"),
        _("Transfer"),
        _("Transfer date"),
        _("Transferred"),
        _("Reversed"),
        _("Dispute"),
        _("Disputed amount"),
        _("Net paid to the shop"),
    ]
    rows: list[list[object]] = []
    for r in statement.online:
        money = [r.amount, r.stripe_fee, r.platform_fee, r.refunds]
        rows.append(
            [r.order.id, _("Online"), _local(r.paid_at, tz)]
            + [_amount(c, sep) for c in money]
            + [str(TRANSFER_LABELS[r.transfer_state]), _local(r.transferred_at, tz)]
            + [_amount(r.transfers, sep), _amount(r.reversals, sep), _dispute(r.dispute_status)]
            + [_amount(r.disputed, sep) if r.dispute_status else "", _amount(r.net, sep)]
        )
    t = statement.online_totals
    rows.append(
        [_("Total paid online"), "", ""]
        + [_amount(t[k], sep) for k in ("amount", "stripe_fee", "platform_fee", "refunds")]
        + ["", "", _amount(t["transfers"], sep), _amount(t["reversals"], sep), ""]
        + [_amount(t["disputed"], sep), _amount(t["net"], sep)]
    )
    for sale in statement.counter:
        rows.append(
            [sale.order.id, _("At the counter"), _local(sale.collected_at, tz)]
            + [_amount(sale.amount, sep), "", "", _amount(sale.refunds, sep)]
            + [""] * 7
        )
    c = statement.counter_totals
    rows.append(
        [_("Total paid at the counter"), "", ""]
        + [_amount(c["amount"], sep), "", "", _amount(c["refunds"], sep)]
        + [""] * 7
    )
    return write_table(columns, rows, delimiter=";" if french else ",")


def _latin(text: object) -> str:
    # The PDF's core font knows Windows-1252 only: thin spaces become spaces, the rest "?".
    plain = str(text).replace("\u202f", " ").replace("\u00a0", " ").replace("\u2212", "-")
    return plain.encode("cp1252", "replace").decode("cp1252")


def _table(pdf: FPDF, widths: tuple[int, ...], header: list[str], rows: list[list[str]]) -> None:
    align = ("LEFT", "LEFT") + ("RIGHT",) * (len(widths) - 2)
    with pdf.table(
        width=sum(widths),
        col_widths=widths,
        text_align=align,
        align="LEFT",
        line_height=5,
        padding=1,
    ) as table:
        for values in [header, *rows]:
            row = table.row()
            for value in values:
                row.cell(_latin(value))


ONLINE_WIDTHS = (16, 28, 22, 20, 22, 20, 44, 22, 22, 28, 29)  # mm, 273 in all: A4 landscape


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, _latin(text))
    pdf.ln(8)
    pdf.set_font("Helvetica", "", 8)


def _online_header() -> list[str]:
    return [
        _("Order"),
        _("Paid on"),
        _("Amount paid"),
        _("Stripe fee"),
        _("Platform fee"),
        _("Refunds"),
        _("Transfer"),
        _("Transferred"),
        _("Reversed"),
        _("Dispute"),
        _("Net paid to the shop"),
    ]


def _online_rows(statement: Statement, money, when) -> list[list[str]]:
    rows = [
        [
            f"#{r.order.id}",
            when(r.paid_at),
            *map(money, (r.amount, r.stripe_fee, r.platform_fee, r.refunds)),
            " ".join(
                filter(None, [str(TRANSFER_LABELS[r.transfer_state]), when(r.transferred_at)])
            ),
            money(r.transfers),
            money(r.reversals),
            f"{_dispute(r.dispute_status)} {money(r.disputed)}" if r.dispute_status else "",
            money(r.net),
        ]
        for r in statement.online
    ]
    t = statement.online_totals
    rows.append(
        [_("Total"), ""]
        + [money(t[k]) for k in ("amount", "stripe_fee", "platform_fee", "refunds")]
        + ["", money(t["transfers"]), money(t["reversals"]), money(t["disputed"]), money(t["net"])]
    )
    return rows


def statement_pdf(statement: Statement, compress: bool = True) -> bytes:
    """The statement as an A4 PDF: the shop (name, SIRET, address), the month, orders, totals."""
    shop, locale = statement.shop, current_locale()

    def money(cents: int) -> str:
        return format_money(cents, locale)

    def when(moment: datetime | None) -> str:
        return local_datetime(moment, "stamp")

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # euro sign and French accents
    pdf.set_compression(compress)
    pdf.set_title(_latin(_("Payments statement") + " " + month_label(statement)))
    pdf.set_creator("Vitrine")
    pdf.set_margins(12, 12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, _latin(_("Payments statement: %(month)s", month=month_label(statement))))
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 10)
    for line in (
        shop.name,
        _("SIRET: %(siret)s", siret=shop.siret or _("not given")),
        shop.address,
        f"{shop.postcode} {shop.city}",
    ):
        pdf.cell(0, 5, _latin(line))
        pdf.ln(5)
    pdf.ln(3)
    if statement.is_empty:
        pdf.cell(0, 6, _latin(_("No order was paid this month.")))
        return bytes(pdf.output())

    _heading(pdf, _("Orders paid online"))
    if statement.online:
        _table(pdf, ONLINE_WIDTHS, _online_header(), _online_rows(statement, money, when))
    else:
        pdf.cell(0, 5, _latin(_("No order was paid online this month.")))
        pdf.ln(5)
    _heading(pdf, _("Orders paid at the counter"))
    if statement.counter:
        c = statement.counter_totals
        rows = [
            [f"#{r.order.id}", when(r.collected_at), money(r.amount), money(r.refunds)]
            for r in statement.counter
        ] + [[_("Total"), "", money(c["amount"]), money(c["refunds"])]]
        header = [_("Order"), _("Collected on"), _("Amount paid"), _("Refunds")]
        _table(pdf, (20, 40, 30, 30), header, rows)
    else:
        pdf.cell(0, 5, _latin(_("No order was paid at the counter this month.")))
        pdf.ln(5)
    pdf.ln(4)
    pdf.multi_cell(0, 4, _latin(NET_NOTE))
    return bytes(pdf.output())
