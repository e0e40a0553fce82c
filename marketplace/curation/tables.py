"""A dashboard table: named columns with a kind (text, count, money...), rows, CSV and a chart."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shops.csv_io import write_csv

TEXT, COUNT, MONEY, PERCENT, HOURS = "text", "count", "money", "percent", "hours"
RATIO = "ratio"  # euros for one euro: two decimals


@dataclass
class Column:
    """A column: its CSV name, its label on screen and the kind of value it holds."""

    key: str
    label: str
    kind: str = TEXT


@dataclass
class Table:
    """One dashboard table; `chart` names the label and value columns drawn as bars.

    A `chronological` table runs oldest first: its "top" rows are its latest ones.
    """

    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    chart: tuple[str, str] | None = None
    note: str = ""
    chronological: bool = False

    def top(self, count: int) -> Table:
        """The table cut to its first `count` rows (its last ones if it is chronological)."""
        if len(self.rows) <= count:
            return self
        return replace(self, rows=self.rows[-count:] if self.chronological else self.rows[:count])

    def column(self, key: str) -> list:
        """The values of one column, top to bottom."""
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def as_dicts(self) -> list[dict]:
        """Rows as {column key: value} (what the tests and the CSV read)."""
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


def csv_value(value, kind: str) -> str:
    """Plain, locale-free values for spreadsheets: euros with a dot, percent with one decimal."""
    if value is None:
        return ""
    if kind == MONEY:
        sign = "-" if value < 0 else ""
        return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"
    if kind in (PERCENT, HOURS):
        return f"{value:.1f}"
    if kind == RATIO:
        return f"{value:.2f}"
    return str(value)


def table_csv(table: Table) -> str:
    """The table as CSV, with the column keys as header."""
    rows = (
        [csv_value(v, c.kind) for v, c in zip(row, table.columns, strict=True)]
        for row in table.rows
    )  # names typed by shopkeepers: write_csv keeps formulas out
    return write_csv([c.key for c in table.columns], rows)


def week_of(moment: datetime, tz: str) -> date:
    """The Monday (local date) of the week `moment` falls in."""
    local = moment.astimezone(ZoneInfo(tz)).date()
    return local - timedelta(days=local.weekday())


def weeks_between(start: date, end: date) -> list[date]:
    """Every week's Monday from the week of `start` to the week of `end`."""
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def share(part: int, whole: int) -> float:
    """Percentage of `whole` (0.0 for an empty whole)."""
    return round(100.0 * part / whole, 1) if whole else 0.0


def average_cents(total: int, count: int) -> int | None:
    """Integer-cent average, rounded half up; None when there is nothing to average."""
    return (2 * total + count) // (2 * count) if count else None


def local_day(moment: datetime | None, tz: str) -> str:
    """The local date of a UTC moment, as YYYY-MM-DD ('' for none)."""
    return moment.astimezone(ZoneInfo(tz)).date().isoformat() if moment else ""
