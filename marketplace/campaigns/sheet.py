"""The town hall's voucher sheet: a PDF of cut-out vouchers, each with its code printed and as a QR."""

from __future__ import annotations

import io

import segno
from flask_babel import gettext as _
from fpdf import FPDF

from marketplace.campaigns.models import VoucherBatch
from marketplace.money import format_money
from marketplace.templating import current_locale, local_date
from marketplace.urls import external_url

COLUMNS, ROWS = 2, 5  # ten vouchers an A4 page, 90 x 54 mm each: business-card size, easy to cut
CARD_W, CARD_H = 90.0, 54.0
MARGIN_X, MARGIN_Y = 15.0, 13.5
QR_SIZE = 30.0


def _latin(text: object) -> str:
    # The core font knows Windows-1252 only (as the tickets and statements): the rest is "?".
    plain = str(text).replace("\u202f", " ").replace("\u00a0", " ").replace("\u2212", "-")
    return plain.encode("cp1252", "replace").decode("cp1252")


def _qr_png(payload: str) -> io.BytesIO:
    # The QR holds the code as printed: the counter's scanner reads it like a typed code. A full
    # QR code with its quiet zone: segno.make picks a Micro QR for a code this short, which the
    # counter's scanner (jsQR) and most phones cannot read.
    out = io.BytesIO()
    segno.make_qr(payload, error="m").save(out, kind="png", scale=8, border=4)
    out.seek(0)
    return out


def voucher_sheet_pdf(batch: VoucherBatch, compress: bool = True) -> bytes:
    """Every voucher of `batch` on cut-out cards: campaign, value, period, code and its QR."""
    campaign = batch.campaign
    locale = current_locale()
    value = format_money(batch.face_cents, locale)
    period = _(
        "Valid from %(start)s to %(end)s",
        start=local_date(campaign.starts_on),
        end=local_date(campaign.ends_on),
    )
    where = _("At the shops taking part, on %(site)s", site=external_url("public.home"))
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # euro sign and French accents
    pdf.set_compression(compress)
    pdf.set_creator("Vitrine")
    pdf.set_title(_latin(_("Vouchers") + " · " + campaign.name))
    pdf.set_auto_page_break(False)
    per_page = COLUMNS * ROWS
    for index, voucher in enumerate(batch.vouchers):
        if index % per_page == 0:
            pdf.add_page()
        slot = index % per_page
        x = MARGIN_X + (slot % COLUMNS) * CARD_W
        y = MARGIN_Y + (slot // COLUMNS) * CARD_H
        pdf.set_draw_color(160, 160, 160)
        pdf.set_dash_pattern(dash=1, gap=1)  # where to cut
        pdf.rect(x, y, CARD_W, CARD_H)
        pdf.set_dash_pattern()
        pdf.image(_qr_png(voucher.display_code), x + CARD_W - QR_SIZE - 4, y + 4, QR_SIZE, QR_SIZE)
        text_w = CARD_W - QR_SIZE - 12
        pdf.set_xy(x + 4, y + 4)
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(text_w, 4.5, _latin(campaign.name), new_x="LEFT")
        pdf.set_font("Helvetica", "B", 20)
        pdf.set_x(x + 4)
        pdf.cell(text_w, 10, _latin(value), new_x="LEFT", new_y="NEXT")
        pdf.set_font("Helvetica", "", 7.5)
        pdf.set_x(x + 4)
        pdf.multi_cell(text_w, 3.5, _latin(period), new_x="LEFT")
        pdf.set_xy(x + 4, y + CARD_H - 17)
        pdf.set_font("Courier", "B", 13)
        pdf.cell(CARD_W - 8, 6, voucher.display_code, new_x="LEFT", new_y="NEXT")
        pdf.set_font("Helvetica", "", 6.5)
        pdf.set_x(x + 4)
        pdf.multi_cell(CARD_W - 8, 3, _latin(_("Single use.") + " " + where), new_x="LEFT")
    return bytes(pdf.output())
