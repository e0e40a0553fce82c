"""A campaign statement as files: CSV for the treasury's spreadsheets, PDF (fpdf2) to pay from.

Both read only the frozen statement and its lines, never the live orders: the files of an issued
statement are the same whenever they are downloaded.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from fpdf import FPDF

from marketplace.campaigns.statement_models import ADJUSTMENT, CampaignStatement
from marketplace.money import format_money
from marketplace.templating import current_locale, local_date, local_datetime
from payments.statement_files import _latin as latin  # the PDF core font's character set
from payments.statement_files import _table as pdf_table  # the payments statement's table
from shops.csv_io import write_table

LINE_KINDS = {"order": _l("Order collected"), ADJUSTMENT: _l("Adjustment")}
FROZEN_NOTE = _l(
    "Owed = the town's part less what refunds gave back. This statement is frozen since its "
    "issue: a later change to one of its orders appears on a later statement as an adjustment."
)


def filename(statement: CampaignStatement, extension: str) -> str:
    """The download name: statement-<number>.<extension>."""
    return f"statement-{statement.number}.{extension}"


def month_label(statement: CampaignStatement) -> str:
    """The statement's month in words, in the current language: "mars 2026"."""
    return local_date(statement.month, "month")


def _amount(cents: int, decimal_sep: str) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}{decimal_sep}{abs(cents) % 100:02d}"


def _local(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def statement_csv(statement: CampaignStatement, tz: str, french: bool = True) -> str:
    """The statement's lines as CSV, total last (French: ';' and decimal comma)."""
    sep = "," if french else "."
    columns = [
        _("Statement"),
        _("Order"),
        _("Line"),
        _("Collected on"),
        _("Order total"),
        _("Town's part"),
        _("Given back by refunds"),
        _("Owed to the shop"),
    ]
    rows: list[list[object]] = [
        [statement.number, line.order_id, str(LINE_KINDS[line.kind]), _local(line.collected_at, tz)]
        + [_amount(c, sep) for c in (line.order_total_cents, line.town_cents, line.returned_cents)]
        + [_amount(line.owed_cents, sep)]
        for line in statement.lines
    ]
    rows.append(
        [statement.number, _("Total"), "", "", "", "", "", _amount(statement.total_cents, sep)]
    )
    return write_table(columns, rows, delimiter=";" if french else ",")


def _block(pdf: FPDF, title: str, lines: list[str]) -> None:
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 5, latin(title))
    pdf.ln(5)
    pdf.set_font("Helvetica", "", 10)
    for line in lines:
        pdf.cell(0, 5, latin(line))
        pdf.ln(5)
    pdf.ln(2)


def statement_pdf(statement: CampaignStatement, compress: bool = True) -> bytes:
    """The statement as an A4 PDF: number, payer and payee, the orders, the total."""
    locale = current_locale()

    def money(cents: int) -> str:
        return format_money(cents, locale)

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # euro sign and French accents
    pdf.set_compression(compress)
    pdf.set_title(latin(_("Campaign statement %(number)s", number=statement.number)))
    pdf.set_creator("Vitrine")
    pdf.set_margins(15, 15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, latin(_("Campaign statement %(number)s", number=statement.number)))
    pdf.ln(9)
    pdf.set_font("Helvetica", "", 10)
    for line in (
        _("Campaign: %(name)s", name=statement.campaign_name),
        _("Month: %(month)s", month=month_label(statement)),
        _("Issued on %(when)s", when=local_datetime(statement.issued_at, "stamp")),
    ):
        pdf.cell(0, 5, latin(line))
        pdf.ln(5)
    pdf.ln(3)
    not_given = _("not given")
    _block(
        pdf,
        _("Payer"),
        [
            statement.town_name,
            _("SIRET: %(siret)s", siret=statement.town_siret or not_given),
            statement.town_address,
        ],
    )
    _block(
        pdf,
        _("Payee"),
        [
            statement.shop_name,
            _("SIRET: %(siret)s", siret=statement.shop_siret or not_given),
            statement.shop_address,
        ],
    )
    header = [
        _("Order"),
        _("Line"),
        _("Collected on"),
        _("Order total"),
        _("Town's part"),
        _("Given back by refunds"),
        _("Owed to the shop"),
    ]
    rows = [
        [
            f"#{line.order_id}",
            str(LINE_KINDS[line.kind]),
            local_datetime(line.collected_at, "stamp"),
            *map(money, (line.order_total_cents, line.town_cents, line.returned_cents)),
            money(line.owed_cents),
        ]
        for line in statement.lines
    ]
    rows.append([_("Total"), "", "", "", "", "", money(statement.total_cents)])
    pdf.set_font("Helvetica", "", 8)
    pdf_table(pdf, (16, 30, 30, 24, 24, 28, 28), header, rows)
    pdf.ln(4)
    pdf.multi_cell(0, 4, latin(FROZEN_NOTE))
    return bytes(pdf.output())
