"""The dashboard shows each table's top 10 rows and links to the whole table; the CSV has them all."""

from __future__ import annotations

import re

from marketplace.curation.tables import Column, Table
from tests.conftest import english_client, page_text
from tests.factories import login, make_shop


def _section(page: str, key: str) -> str:
    return re.search(rf'aria-labelledby="t-{key}">(.*?)</section>', page, re.S).group(1)


def test_a_long_table_shows_ten_rows_and_a_link_to_all_of_them(app, curator):
    office = english_client(app)
    login(office, curator)
    for n in range(12):
        make_shop(name=f"Commerce {n:02d}")
    page = page_text(office.get("/curation/dashboard?start=2026-09-01&end=2026-11-29"))
    dormant = _section(page, "dormant-shops")
    assert dormant.count("<tr>") == 11  # the header and 10 shops
    assert "10 of 12 rows shown." in dormant
    link = (
        re.search(r'href="([^"]*all=dormant-shops[^"]*)"', dormant).group(1).replace("&amp;", "&")
    )
    assert "start=2026-09-01" in link
    whole = page_text(office.get(link))
    assert _section(whole, "dormant-shops").count("<tr>") == 13
    assert "Show fewer rows" in _section(whole, "dormant-shops")
    assert _section(whole, "signups-by-week").count("<tr>") == 11  # the others stay cut
    csv = office.get("/curation/dashboard/dormant-shops.csv").get_data(as_text=True)
    assert csv.count("Commerce") == 12


def test_a_table_by_week_keeps_its_latest_weeks():
    weeks = Table(
        "w", "Weeks", [Column("week", "Week")], [[n] for n in range(14)], chronological=True
    )
    names = Table("n", "Names", [Column("name", "Name")], [[n] for n in range(14)])
    assert weeks.top(10).rows == [[n] for n in range(4, 14)]
    assert names.top(10).rows == [[n] for n in range(10)]
    assert names.top(20) is names
