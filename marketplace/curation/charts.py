"""Bar charts drawn as inline SVG on the server: no JavaScript, readable when pasted in a report."""

from __future__ import annotations

from markupsafe import Markup, escape

from marketplace.curation.tables import MONEY, Table

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 90
BAR_HEIGHT = 18
GAP = 6


def bar_chart(table: Table, fmt=str, desc: str = "") -> Markup:
    """Horizontal bars of the table's chart columns, one per row, values written beside them.

    `desc` describes the chart to screen readers (say where its figures are written out).
    """
    if table.chart is None or not table.rows:
        return Markup("")
    label_key, value_key = table.chart
    kinds = {c.key: c.kind for c in table.columns}
    labels = table.column(label_key)
    values = [v or 0 for v in table.column(value_key)]
    top = max(values) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(values) * (BAR_HEIGHT + GAP) + GAP
    title = escape(str(table.title))
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{title}">',
        f"<title>{title}</title>",
    ]
    if desc:
        parts.append(f"<desc>{escape(str(desc))}</desc>")
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = max(round(span * value / top), 1 if value else 0)
        text_y = y + BAR_HEIGHT - 4
        shown = fmt(value) if kinds[value_key] == MONEY else value
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" font-size="12">'
            f"{escape(str(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            f'fill="#1d4f91"></rect>'
            f'<text x="{LABEL_WIDTH + width + 4}" y="{text_y}" font-size="12">'
            f"{escape(str(shown))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above went through escape()
