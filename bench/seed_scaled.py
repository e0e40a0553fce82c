"""Build the scaled demo town the load benchmarks run against: 500 shops, 100,000 products.

    .venv/bin/python bench/seed_scaled.py            # PostgreSQL database vitrine_bench
    .venv/bin/python bench/seed_scaled.py --fresh    # drop it first

It reuses `flask demo load` (marketplace/demo/): the real Paris shops of 75011, then 75015 and
75012 until 500 shops, and catalogues scaled to 100,000 products. The committed Open Food
Facts pool holds ~14,000 products, so the rest are the loader's deterministic variants of the
real ones ("lot de 2", "format familial"...): same seed, same town. The search index is then
rebuilt from the database in a folder of its own (never instance/search-index). Never the
`test` database the test suite uses.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Index, uploads and outbox of the benchmark town (bench/serve.sh uses the same folder).
BENCH_DIR = Path(
    os.environ.get("VITRINE_BENCH_DIR") or Path(tempfile.gettempdir()) / "vitrine-bench"
)
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/vitrine_bench"
POSTCODES = "75011,75015,75012"
RESIDENTS = 40  # bench-resident-0..39@bench.vitrine.localhost, password vitrine-demo
ONLINE_SHOPS = 60  # shops with a (fake) Connect account, so that checkouts can pay online


def prepare_bench_accounts(residents: int = RESIDENTS, online_shops: int = ONLINE_SHOPS) -> None:
    """Create the load test's residents and let some food shops take online payment."""
    from sqlalchemy import select

    from marketplace.accounts import services as accounts
    from marketplace.demo.accounts import PASSWORD
    from marketplace.extensions import db
    from shops.models import PUBLISHED, Shop

    for n in range(residents):
        email = f"bench-resident-{n}@bench.vitrine.localhost"
        if accounts.find_user_by_email(email) is None:
            user = accounts.register_user(email, None, f"Résident {n}")
            accounts.set_password(user, PASSWORD)
            accounts.confirm_email(user)
    # The emulator creates the Connect accounts' money flows at payment time; the checkout only
    # needs the shop to say it can be paid out (as `account.updated` sets it after onboarding).
    shops = db.session.scalars(
        select(Shop).where(Shop.status == PUBLISHED).order_by(Shop.id).limit(online_shops)
    )
    for shop in shops:
        shop.stripe_account_id = shop.stripe_account_id or f"acct_bench{shop.id:06d}"
        shop.payouts_enabled = True
    db.session.commit()


def ensure_database(url: str, fresh: bool) -> None:
    """Create the PostgreSQL database of `url` (dropping it first when `fresh`)."""
    target = make_url(url)
    if target.database in {"test", "postgres"}:
        raise SystemExit(f"refusing to seed the {target.database!r} database")
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        )
        if exists and fresh:
            conn.execute(text(f'DROP DATABASE "{target.database}" WITH (FORCE)'))
        if not exists or fresh:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def bench_overrides(url: str) -> dict:
    """The app settings of the benchmark town (same as bench/serve.sh passes by environment)."""
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SEARCH_INDEX_DIR": str(BENCH_DIR / "search-index"),
        "UPLOAD_DIR": str(BENCH_DIR / "uploads"),
        "MAIL_OUTBOX_DIR": str(BENCH_DIR / "outbox"),
        # The index is rebuilt once at the end: indexing shop by shop would double the time.
        "SEARCH_SYNC_AFTER_COMMIT": False,
        "SEARCH_SYNC_ON_START": False,
    }


def main() -> None:
    """Create, migrate and fill the benchmark database, then build its search index."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--shops", type=int, default=500)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--postcodes", default=POSTCODES)
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument(
        "--accounts-only", action="store_true", help="only (re)create the load test's accounts"
    )
    args = parser.parse_args()
    if not args.accounts_only:
        ensure_database(args.database_url, args.fresh)

    from flask_migrate import upgrade

    from marketplace.app import create_app
    from marketplace.demo.loading import load_town
    from marketplace.extensions import db
    from search import indexer

    app = create_app("development", bench_overrides(args.database_url))
    with app.app_context():
        upgrade()
        if args.accounts_only:
            prepare_bench_accounts()
            return
        started = time.perf_counter()
        load_town(args.postcodes, args.products, 42, args.shops)
        prepare_bench_accounts()
        print(f"town loaded in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        count = indexer.rebuild(app.config["SEARCH_INDEX_DIR"], db.engine, procs=2)
        print(f"{count} documents indexed in {time.perf_counter() - started:.0f} s")
        shops, products = db.session.execute(
            text("SELECT (SELECT count(*) FROM shops), (SELECT count(*) FROM products)")
        ).one()
        print(f"benchmark town: {shops} shops, {products} products ({args.database_url})")
    # Fresh planner statistics: without them PostgreSQL plans the 100,000 rows as an empty table.
    with create_engine(args.database_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))


if __name__ == "__main__":
    main()
