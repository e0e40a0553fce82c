"""Reading the CSV files people export from spreadsheets, and writing safe ones back."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
QUOTE_WHEN = (",", ";", '"', "\r", "\n")
_BREAKS = re.compile(r"([,;\r\n]+)")
_FIRST_LINE = re.compile(r"\s*([^\r\n]*)")  # without splitting a 20 MB file into lines
_PROTECTED = re.compile(r"""((?:^|[,;\r\n])"*)'(?=[=+\-@\t\r])""")


class CsvError(ValueError):
    """The file as a whole cannot be read; `code` names why, `detail` adds context."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass
class RowError:
    """One problem on one line of the file (line 1 is the header)."""

    line: int
    column: str
    message: str


@dataclass
class CsvTable:
    """The decoded rows of a CSV file, each with the line it started on."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str
    delimiter: str
    notes: list[str] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), else Windows-1252 (French Excel's default)."""
    if b"\x00" in data[:4096]:
        raise CsvError("binary")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise CsvError("encoding") from exc
    return text, "windows-1252"


@dataclass
class CsvStream:
    """A CSV file opened for one pass over its rows: header read, rows parsed as they are asked for."""

    columns: list[str]
    encoding: str
    delimiter: str
    text: str
    notes: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (line, row) for each non-blank row; CsvError if the file breaks or has none.

        One row at a time, so a check of a big file holds only what it keeps.
        """
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        next(reader, None)  # the header, read by open_table
        width, count = len(self.columns), 0
        line = reader.line_num + 1
        try:
            for values in reader:
                if any(v.strip() for v in values):
                    count += 1
                    padded = values + [""] * (width - len(values))
                    yield (
                        line,
                        {c: _unprotect(v) for c, v in zip(self.columns, padded, strict=False)},
                    )
                line = reader.line_num + 1
        except csv.Error as exc:
            raise CsvError("malformed", f"line {line}") from exc
        if not count:
            raise CsvError("no_rows")


def open_table(data: bytes, aliases: dict[str, str], required: Iterable[str]) -> CsvStream:
    """Open a CSV upload: detect encoding and separator, map header aliases to column names."""
    text, encoding = decode(data)
    if not text or text.isspace():
        raise CsvError("empty")
    first_line = _FIRST_LINE.match(text).group(1)  # type: ignore[union-attr]  # always matches
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise CsvError("empty") from exc
    columns = [aliases.get(_norm(h), _norm(h)) for h in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise CsvError("missing_columns", ", ".join(missing))
    notes = [f"encoding:{encoding}"] if encoding != "utf-8" else []
    return CsvStream(columns, encoding, delimiter, text, notes)


def read_table(data: bytes, aliases: dict[str, str], required: Iterable[str]) -> CsvTable:
    """Parse a whole CSV upload into memory (small files: the town's shop list)."""
    stream = open_table(data, aliases, required)
    rows = list(stream.rows())
    return CsvTable(stream.columns, rows, stream.encoding, stream.delimiter, stream.notes)


def _norm(header: str) -> str:
    return header.strip().strip('"').lower()


def _unprotect(value: str) -> str:
    # Our own exports put ' before a formula-like start of the cell or of any separated fragment
    # (see protect); take it off on the way in.
    return _PROTECTED.sub(r"\1", value)


def _protect_fragment(fragment: str) -> str:
    body = fragment.lstrip('"')
    if body.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(body):
        return fragment[: len(fragment) - len(body)] + "'" + body
    return fragment


def protect(value: object) -> str:
    """Neutralise anything a spreadsheet would run as a formula (CSV injection).

    Not only the cell's start: a spreadsheet that splits on the other separator (French Excel
    reads "," files with ";") or on a line break sees each fragment as a cell, so every fragment
    after ",", ";", CR or LF is checked too. A plain number ("-12.50", "+3") stays as it is.
    """
    text = "" if value is None else str(value)
    if text.startswith(("\t", "\r")):  # the separators below would hide these starts
        text = "'" + text
    pieces = _BREAKS.split(text)
    return "".join(p if i % 2 else _protect_fragment(p) for i, p in enumerate(pieces))


def _quoted(cell: str) -> str:
    # Quote for either separator, not only the one in use, so that the file reads the same way
    # whichever one a spreadsheet picks.
    if any(c in cell for c in QUOTE_WHEN):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_csv(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    delimiter: str = ",",
    bom: bool = False,
) -> str:
    """Write a CSV in which every cell is protected and quoted when it holds `,` `;` `"` or a break.

    The one writer of every export (products, open data, dashboard tables, audit log).
    """
    out = io.StringIO()
    if bom:
        out.write("\ufeff")  # so that Excel reads UTF-8
    out.write(delimiter.join(_quoted(protect(c)) for c in columns) + "\r\n")
    for row in rows:
        out.write(delimiter.join(_quoted(protect(v)) for v in row) + "\r\n")
    return out.getvalue()


def write_table(columns: list[str], rows: Iterable[Sequence[object]], delimiter: str = ",") -> str:
    """Write a CSV for Excel (with a BOM so that it reads UTF-8), every cell protected."""
    return write_csv(columns, rows, delimiter, bom=True)
