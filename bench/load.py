"""Saturday-morning load test: locust, headless, bounded, on 127.0.0.1 only.

    .venv/bin/python bench/seed_scaled.py      # once: the 500-shop, 100,000-product town
    .venv/bin/python bench/load.py             # 3 runs of 20 s + 60 s, medians, docs/benchmarks.md

It starts gunicorn -w 2 (gunicorn.conf.py, as `make serve`) on PostgreSQL with the offline Stripe
emulator (bench/server.py), runs the mix three times against the same server (each run: 20 s of
warm-up while everyone arrives and logs in, left out, then 60 s measured), prints requests/s,
p50/p95/p99 per endpoint and the errors of each run, and writes the medians to its section of
docs/benchmarks.md (--no-write to leave it alone; --url to use a server already running).

The mix, per simulated person (weights in brackets):
  visitors (6): home, directory, shop pages, product pages (popular products more often: Zipf),
                search, suggestions, add to cart (anonymous)
  residents (2): log in, browse, search, add to cart, check out and pay online in the emulator
                 (card 4242), come back to the order page
  shopkeepers (1): log in, read today's pickup board
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from gevent import monkey

monkey.patch_all()

import gevent  # noqa: E402
from locust import HttpUser, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_report import write_section  # noqa: E402
from bench.seed_scaled import DEFAULT_URL, RESIDENTS  # noqa: E402

PASSWORD = "vitrine-demo"  # noqa: S105 - the demo town's published password
CSRF_RE = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
SLOT_RE = re.compile(r'<select id="slot-(\d+)" name="slot-\d+"[^>]*>\s*<option value="([^"]+)"')
QUERIES = (
    "pain", "baguette", "fromage", "comté", "chocolat", "vin rouge", "confiture", "miel",
    "café", "thé vert", "bio", "jambon", "tomates", "croissant", "biere", "livre enfant",
    "bouquet", "savon", "pates", "huile d'olive", "yaourt", "gateau", "chevre", "saucisson",
)  # fmt: skip
TOWN: dict = {}


def load_town(database_url: str, seed: int = 7) -> None:
    """Read the URLs the simulated people visit from the benchmark database."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        TOWN["shops"] = conn.scalars(
            text("SELECT slug FROM shops WHERE status = 'published' ORDER BY id")
        ).all()
        rows = conn.execute(
            text(
                "SELECT s.slug, p.id, p.slug, s.payouts_enabled AND (p.stock IS NULL OR p.stock > 20)"
                " FROM products p JOIN shops s ON s.id = p.shop_id WHERE s.status = 'published'"
                " AND p.is_active AND p.hidden_reason IS NULL ORDER BY p.id"
            )
        ).all()
        TOWN["board"] = conn.scalar(
            text(
                "SELECT s.slug FROM shops s JOIN users u ON u.id = s.owner_id WHERE u.email ="
                " 'shopkeeper@demo.vitrine.localhost' AND s.status = 'published' LIMIT 1"
            )
        )
    engine.dispose()
    rng = random.Random(seed)
    rng.shuffle(rows)
    TOWN["products"] = [f"/shops/{shop}/products/{pid}-{slug}" for shop, pid, slug, _ in rows]
    # Zipf (s = 1): a few products are wanted by everyone on a Saturday morning.
    TOWN["weights"] = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(rows))))
    TOWN["buyable"] = [
        (f"/shops/{shop}/products/{pid}-{slug}", pid) for shop, pid, slug, ok in rows if ok
    ][:3000]
    TOWN["residents"] = itertools.count()


def popular_product() -> str:
    """A product page URL, the popular ones more often."""
    return random.choices(TOWN["products"], cum_weights=TOWN["weights"])[0]


class Browsing:
    """What every person does on the public pages."""

    def home(self):
        self.client.get("/", name="/")

    def directory(self):
        page = random.randint(1, 20)
        self.client.get(f"/shops?page={page}", name="/shops")

    def shop(self):
        self.client.get(f"/shops/{random.choice(TOWN['shops'])}", name="/shops/[slug]")

    def product(self):
        return self.client.get(popular_product(), name="/shops/[slug]/products/[id]")

    def search(self):
        query = random.choice(QUERIES)
        self.client.get("/search", params={"q": query}, name="/search?q=")

    def suggest(self):
        query = random.choice(QUERIES)[:3]
        self.client.get("/search/suggest", params={"q": query}, name="/search/suggest?q=")

    def add_to_cart(self, url: str | None = None, product_id: int | None = None) -> bool:
        page = self.client.get(url or popular_product(), name="/shops/[slug]/products/[id]")
        token = CSRF_RE.search(page.text or "")
        if token is None:
            return False
        product_id = product_id or int(urlsplit(page.url).path.rsplit("/", 1)[1].split("-")[0])
        data = {"csrf_token": token.group(1), "product_id": product_id, "quantity": 1}
        with self.client.post(
            "/cart/add", data=data, name="/cart/add", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code not in (302, 303):
                response.failure(f"HTTP {response.status_code}")
                return False
        return True


class Visitor(Browsing, HttpUser):
    """A resident browsing without an account."""

    weight = 6
    wait_time = between(0.5, 2.5)

    @task(2)
    def t_home(self):
        self.home()

    @task(2)
    def t_directory(self):
        self.directory()

    @task(6)
    def t_shop(self):
        self.shop()

    @task(8)
    def t_product(self):
        self.product()

    @task(4)
    def t_search(self):
        self.search()

    @task(2)
    def t_suggest(self):
        self.suggest()

    @task(1)
    def t_cart(self):
        if self.add_to_cart():
            self.client.get("/cart/", name="/cart/")


def log_in(user: HttpUser, email: str) -> None:
    """Log `user` in through the login form."""
    page = user.client.get("/account/login", name="/account/login")
    token = CSRF_RE.search(page.text).group(1)
    with user.client.post(
        "/account/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        name="/account/login (POST)",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code not in (302, 303):
            response.failure(f"login refused for {email}: HTTP {response.status_code}")


class Resident(Browsing, HttpUser):
    """A resident with an account who buys and pays online."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        n = next(TOWN["residents"]) % RESIDENTS
        log_in(self, f"bench-resident-{n}@bench.vitrine.localhost")

    @task(3)
    def t_shop(self):
        self.shop()

    @task(4)
    def t_product(self):
        self.product()

    @task(2)
    def t_search(self):
        self.search()

    @task(1)
    def t_checkout(self):
        url, product_id = random.choice(TOWN["buyable"])
        if not self.add_to_cart(url, product_id):
            return
        self.check_out()

    def check_out(self):
        page = self.client.get("/checkout", name="/checkout")
        slots, token = SLOT_RE.findall(page.text or ""), CSRF_RE.search(page.text or "")
        if not slots or token is None:
            return
        data = {"csrf_token": token.group(1), "method": "online"}
        data.update({f"slot-{shop_id}": key for shop_id, key in slots})
        with self.client.post(
            "/checkout",
            data=data,
            name="/checkout (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as placed:
            if placed.status_code != 303:
                placed.failure(f"checkout not placed: HTTP {placed.status_code}")
                return
        pay_url = placed.headers["Location"]
        self.client.get(pay_url, name="emulator: payment page")
        with self.client.post(
            pay_url,
            data={"cardnumber": "4242 4242 4242 4242", "expiry": "12 / 34", "cvc": "123"},
            name="emulator: pay",
            allow_redirects=False,
            catch_response=True,
        ) as paid:
            if paid.status_code != 303:
                paid.failure(f"payment refused: HTTP {paid.status_code}")
                return
        self.client.get(paid.headers["Location"], name="/checkout/[id]/return")


class Shopkeeper(HttpUser):
    """The demo bakery's shopkeeper watching today's pickups."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        log_in(self, "shopkeeper@demo.vitrine.localhost")

    @task
    def board(self):
        self.client.get(f"/merchant/shops/{TOWN['board']}/orders/", name="/merchant/…/orders/")


def run_once(url: str, users: int, seconds: int, warmup: int) -> dict:
    """One bounded run; return its stats per endpoint (counted after the warm-up)."""
    env = Environment(user_classes=[Visitor, Resident, Shopkeeper], host=url, events=events)
    runner = env.create_local_runner()
    # Everyone arrives within 10 s; logins (deliberately slow password hashing) and the
    # first pages of each worker are left out of the figures with the warm-up.
    runner.start(users, spawn_rate=max(users / 10, 1))
    gevent.sleep(warmup)
    env.stats.reset_all()
    gevent.sleep(seconds)
    runner.quit()
    total = env.stats.total
    rows = {
        name: {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / seconds,
            "p50": entry.get_response_time_percentile(0.50),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
        }
        for (name, _method), entry in sorted(env.stats.entries.items())
    }
    errors = {f"{e.method} {e.name}: {e.error}": e.occurrences for e in env.stats.errors.values()}
    return {
        "rows": rows,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.num_requests / seconds,
        "p50": total.get_response_time_percentile(0.50),
        "p95": total.get_response_time_percentile(0.95),
        "p99": total.get_response_time_percentile(0.99),
        "errors": errors,
    }


def print_run(n: int, result: dict) -> None:
    """Print one run's table."""
    print(f"\n== run {n}: {result['requests']} requests, {result['rps']:.1f} req/s, "
          f"{result['failures']} errors, p95 {result['p95']:.0f} ms")  # fmt: skip
    print(f"{'endpoint':<34}{'req':>7}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'err':>5}")
    for name, r in result["rows"].items():
        print(f"{name:<34}{r['requests']:>7}{r['rps']:>8.1f}{r['p50']:>7.0f}{r['p95']:>7.0f}"
              f"{r['p99']:>7.0f}{r['failures']:>5}")  # fmt: skip
    for error, count in result["errors"].items():
        print(f"  error x{count}: {error}")


def medians(results: list[dict]) -> dict:
    """Median of each figure over the runs, per endpoint and in total."""
    keys = ("requests", "failures", "rps", "p50", "p95", "p99")
    names = sorted(set().union(*(r["rows"] for r in results)))
    rows = {
        name: {
            k: statistics.median(r["rows"].get(name, {}).get(k, 0) for r in results) for k in keys
        }
        for name in names
    }
    total = {k: statistics.median(r[k] for r in results) for k in keys}
    return {"rows": rows, **total, "failures_all": sum(r["failures"] for r in results)}


def main() -> None:
    """Run the load test three times and report the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=20, help="seconds left out of each run")
    parser.add_argument("--url", help="a server already running (default: start one)")
    parser.add_argument("--no-write", action="store_true", help="leave docs/benchmarks.md alone")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    load_town(database_url)
    server = None
    if args.url is None:
        from bench.server import BenchServer

        server = BenchServer()
        args.url = server.start()
    if urlsplit(args.url).hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit("bench/load.py only runs against a server on this machine (loopback)")
    loads, results = [], []
    try:
        for n in range(1, args.runs + 1):
            loads.append(os.getloadavg()[0])
            started = time.perf_counter()
            result = run_once(args.url, args.users, args.seconds, args.warmup)
            result["load_before"] = loads[-1]
            result["load_after"] = os.getloadavg()[0]
            result["took"] = time.perf_counter() - started
            results.append(result)
            print_run(n, result)
    finally:
        if server is not None:
            server.stop()
    summary = medians(results)
    print(f"\n== medians of {len(results)} runs")
    print_run(0, {**summary, "errors": {}})
    if not args.no_write:
        write_section(ROOT / "docs" / "benchmarks.md", args, summary, results)
        print("docs/benchmarks.md updated (load section).")


if __name__ == "__main__":
    main()
