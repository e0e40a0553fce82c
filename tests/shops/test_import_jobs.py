"""A big catalogue goes in the background: the page follows it, all rows or none, then an email."""

import io
import re

import pytest
from sqlalchemy import event, func, select, text

from marketplace.extensions import db
from marketplace.jobs.models import JobFailure
from shops.import_models import CHECKING, DONE, FAILED, INDEXING, PREPARING, SAVING
from shops.import_models import CatalogueImport as Import
from shops.imports import ProgressLog
from shops.models import Product
from tests.conftest import alerts, drain_jobs, english_client, outbox, page_text, post_form
from tests.factories import login, make_product, make_shop, shop_state

PROGRESS = re.compile(r'<progress id="import-progress" max="100" value="(\d+)"')
# While it runs, the page asks again for its state (static/js/poll-page.js), never by a timed
# reload (axe's meta-refresh rule, WCAG 2.2.1); "Refresh now" serves browsers without JavaScript.
REFRESH = 'data-poll-every="3"'
META_REFRESH = 'http-equiv="refresh"'


@pytest.fixture
def client(app):
    return english_client(app)


@pytest.fixture
def shop(app, client):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    shop.owner.locale = "en"
    db.session.commit()
    login(client, shop.owner)
    return shop


def catalogue_file(rows: int, bad_line: int | None = None, named: dict | None = None) -> bytes:
    """A French spreadsheet of `rows` cheeses; `bad_line` gets a negative price."""
    lines = ["sku;nom;prix;quantité;catégorie"]
    for n in range(1, rows + 1):
        name = (named or {}).get(n, f"Fromage n°{n}")
        price = "-3,00" if n + 1 == bad_line else f"{n % 90 + 1},{n % 100:02d}"
        lines.append(f"REF-{n:06d};{name};{price};{n % 50};Fromages")
    return "\r\n".join(lines).encode()


def upload(client, shop, data: bytes):
    return post_form(
        client,
        f"/merchant/shops/{shop.slug}/products/import",
        {"file": (io.BytesIO(data), "catalogue.csv")},
        token_from=f"/merchant/shops/{shop.slug}/products/",
    )


def product_count(shop) -> int:
    db.session.expire_all()
    query = select(func.count()).select_from(Product).where(Product.shop_id == shop.id)
    return db.session.scalar(query)


def the_import() -> Import:
    db.session.expire_all()
    return db.session.scalars(select(Import).order_by(Import.id.desc())).first()


@pytest.fixture
def progress_writes(app):
    """Every UPDATE of an import row, as the values it set (the job's progress, in order)."""
    writes: list[dict] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE CATALOGUE_IMPORTS"):
            values = context.compiled_parameters[0]
            writes.append({k: values[k] for k in ("phase", "rows_done") if k in values})

    event.listen(db.engine, "after_cursor_execute", seen)
    yield writes
    event.remove(db.engine, "after_cursor_execute", seen)


def test_a_big_file_waits_for_the_job_and_its_page_asks_again_for_its_state(
    app, client, shop, queued_jobs
):
    response = upload(client, shop, catalogue_file(2500))
    assert response.status_code == 302
    assert re.search(r"/products/imports/\d+$", response.headers["Location"])
    assert product_count(shop) == 0  # the request only checked the file and queued the job
    page = client.get(response.headers["Location"])
    html = page_text(page)
    assert REFRESH in html and PROGRESS.search(html).group(1) == "0"
    assert META_REFRESH not in html and ">Refresh now</a>" in html
    assert "Waiting for its turn…" in html
    assert "we will email you when it is done" in html

    assert drain_jobs(app) == 2  # the import, then its email
    html = page_text(client.get(response.headers["Location"]))
    assert REFRESH not in html
    assert ("success", "Import done: 2500 added, 0 updated, 0 unchanged.") in alerts(
        client.get(response.headers["Location"])
    )
    assert product_count(shop) == 2500
    assert the_import().data is None  # the file is not kept once applied


def test_the_job_records_its_progress_phase_by_phase(app, client, shop, progress_writes):
    upload(client, shop, catalogue_file(2500))
    phases = [w["phase"] for w in progress_writes if "phase" in w]
    assert phases == [CHECKING, PREPARING, SAVING, INDEXING, DONE]
    at = {w.get("phase"): i for i, w in enumerate(progress_writes) if "phase" in w}
    checking = progress_writes[at[CHECKING] : at[PREPARING]]
    assert {"rows_done": 1000} in checking and {"rows_done": 2000} in checking
    preparing = progress_writes[at[PREPARING] : at[SAVING]]
    assert {"rows_done": 1000} in preparing and {"rows_done": 2000} in preparing
    indexing = progress_writes[at[INDEXING] : at[DONE]]
    assert {"rows_done": 2000} in indexing  # the search index's first batch


def test_the_page_shows_the_progress_the_job_recorded(app, client, shop, queued_jobs):
    location = upload(client, shop, catalogue_file(2000)).headers["Location"]
    log = ProgressLog(the_import().id)
    log.start(CHECKING)
    log.rows(1000)  # what the job writes while it checks, seen from another process
    html = page_text(client.get(location))
    assert "Checking the rows…" in html and "1000 of 2000 rows" in html
    assert 0 < int(PROGRESS.search(html).group(1)) < 100
    assert REFRESH in html


def test_a_bad_row_found_by_the_job_writes_nothing_and_the_page_lists_it(app, client, shop):
    make_product(shop, "Beurre doux", 450, sku="BEURRE")
    before = shop_state(shop.id)
    app.config["IMPORT_CHECK_SECONDS"] = 0  # the request checks no row: the job finds it
    response = upload(client, shop, catalogue_file(1500, bad_line=1402))
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    html = page_text(page)
    assert "Nothing was imported: 1 problem(s) to fix in the file." in html
    assert '<td class="num">1402</td><td>price</td><td>A price cannot be negative.</td>' in html
    assert REFRESH not in html
    assert shop_state(shop.id) == before
    record = the_import()
    assert (record.phase, record.data) == (FAILED, None)
    (mail,) = outbox(app)
    assert "Subject: Your catalogue import did not go through" in mail
    assert "nothing was changed" in mail and "1 problem(s)" in mail


@pytest.fixture
def failing_insert(app):
    """A database that refuses the product with SKU REF-001700, as a full disk would mid-way."""
    if db.engine.dialect.name == "postgresql":
        statements = [
            "CREATE FUNCTION refuse_ref_1700() RETURNS trigger AS $$ BEGIN "
            "IF NEW.sku = 'REF-001700' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; "
            "END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_ref_1700 BEFORE INSERT ON products "
            "FOR EACH ROW EXECUTE FUNCTION refuse_ref_1700()",
        ]
        undo = ["DROP TRIGGER refuse_ref_1700 ON products", "DROP FUNCTION refuse_ref_1700()"]
    else:
        statements = [
            "CREATE TRIGGER refuse_ref_1700 BEFORE INSERT ON products "
            "WHEN NEW.sku = 'REF-001700' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        ]
        undo = ["DROP TRIGGER refuse_ref_1700"]
    db.session.commit()  # the test's own session holds no lock on products
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    yield
    db.session.rollback()  # PostgreSQL: the test's reads must not hold up the DROP
    with db.engine.begin() as conn:
        for statement in undo:
            conn.execute(text(statement))


def test_a_failure_while_writing_leaves_nothing_half_written(app, client, shop, failing_insert):
    make_product(shop, "Beurre doux", 450, sku="BEURRE")
    before = shop_state(shop.id)
    response = upload(client, shop, catalogue_file(2500))
    html = page_text(client.get(response.headers["Location"]))
    assert "The import stopped on an unexpected error. Nothing was imported" in html
    assert shop_state(shop.id) == before  # the 1,699 rows before the failing one are gone too
    assert the_import().phase == FAILED
    failure = db.session.scalars(select(JobFailure)).one()  # the admin sees the error
    assert failure.task_name == "shops.import_jobs.run_catalogue_import"
    assert "disk full" in failure.last_error
    assert "did not go through" in outbox(app)[0]


def test_a_second_import_waits_until_the_first_has_ended(app, client, shop, queued_jobs):
    first = upload(client, shop, catalogue_file(1500))
    second = upload(client, shop, catalogue_file(10))
    assert second.status_code == 409
    assert "An import of this catalogue is still running" in page_text(second)
    assert first.headers["Location"].endswith(
        re.search(r'href="([^"]+)">Follow the running import', page_text(second)).group(1)
    )
    drain_jobs(app)
    assert upload(client, shop, catalogue_file(10)).status_code == 302


def test_a_small_file_is_imported_by_the_request_and_no_email_is_sent(
    app, client, shop, queued_jobs
):
    response = upload(client, shop, catalogue_file(20))
    assert product_count(shop) == 20
    html = page_text(client.get(response.headers["Location"]))
    assert "Import done: 20 added, 0 updated, 0 unchanged." in html and REFRESH not in html
    assert drain_jobs(app) == 0 and outbox(app) == []  # nothing was left to a job


def test_a_file_with_too_many_rows_is_refused_before_anything(app, client, shop):
    app.config["IMPORT_MAX_ROWS"] = 1200
    response = upload(client, shop, catalogue_file(1201))
    assert response.status_code == 400
    assert "This file has more than 1,200 products. Split it into several files" in page_text(
        response
    )
    assert product_count(shop) == 0 and the_import() is None


@pytest.mark.one_database("sqlite")  # bulk load: the SQLite run has more room (CI time)
@pytest.mark.slow
def test_a_100000_row_file_gets_a_clear_refusal(app, client, shop):
    response = upload(client, shop, catalogue_file(100_000))
    assert response.status_code == 400
    assert "This file has more than 50,000 products." in page_text(response)
    assert product_count(shop) == 0


@pytest.mark.one_database("sqlite")  # bulk load: the SQLite run has more room (CI time)
@pytest.mark.slow
def test_20000_rows_go_in_the_background_then_are_searchable_and_emailed(
    app, client, shop, queued_jobs
):
    data = catalogue_file(20_000, named={12_345: "Tomme des Bauges fermière"})
    assert len(data) > 800_000
    response = upload(client, shop, data)
    assert response.status_code == 302  # at once: nothing imported yet, the job is queued
    assert product_count(shop) == 0
    assert "Waiting for its turn…" in page_text(client.get(response.headers["Location"]))

    drain_jobs(app)
    assert product_count(shop) == 20_000
    page = client.get(response.headers["Location"])
    assert ("success", "Import done: 20000 added, 0 updated, 0 unchanged.") in alerts(page)
    found = page_text(client.get("/search?q=bauges"))
    assert "Tomme des Bauges fermière" in found
    (mail,) = outbox(app)
    assert "Subject: Your catalogue import is done" in mail
    assert "20000 added" in mail and response.headers["Location"] in mail


def test_the_email_is_in_the_language_of_who_sent_the_file(app, client, shop, queued_jobs):
    shop.owner.locale = None  # never chose: the town's language
    db.session.commit()
    upload(client, shop, catalogue_file(1500))
    drain_jobs(app)
    (mail,) = outbox(app)
    assert "Subject: Votre import de catalogue est terminé" in mail
    assert "1500 ajouté(s)" in mail
