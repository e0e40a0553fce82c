"""The Saturday-morning mix of bench/load.py: who visits, what they do, how often.

visitors (6): home, directory, shop and product pages (popular ones more often: Zipf), search,
suggestions, add to cart (anonymous); residents (2): log in, browse, search, add to cart, check
out and pay online in the Stripe emulator (card 4242), come back to the order page;
shopkeepers (1): log in, read today's pickup board. Imported after gevent's monkey-patching.
"""

from __future__ import annotations

import itertools
import random
import re
from urllib.parse import urlsplit

from locust import HttpUser, between, task
from sqlalchemy import create_engine, text

from bench.seed_scaled import RESIDENTS

PASSWORD = "vitrine-demo"  # noqa: S105 - the demo town's published password
CSRF_RE = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
SELECT_RE = re.compile(r'<select id="slot-(\d+)" name="slot-\d+"[^>]*>(.*?)</select>', re.S)
OPTION_RE = re.compile(r'<option value="([^"]+)"')
CHECKOUT_TOKEN_RE = re.compile(r'name="checkout_token" value="([^"]+)"')
CACHE_COUNTS: dict[str, int] = {}
# Per endpoint, (total ms, ms waited on Stripe) of each answer that said so in Server-Timing:
# the checkout's time apart from the payment service's (marketplace/outside_time.py).
OUTSIDE_WAITS: dict[str, list[tuple[float, float]]] = {}
SERVER_TIMING_RE = re.compile(r"([\w-]+);dur=([\d.]+)")
QUERIES = (
    "pain", "baguette", "fromage", "comté", "chocolat", "vin rouge", "confiture", "miel",
    "café", "thé vert", "bio", "jambon", "tomates", "croissant", "biere", "livre enfant",
    "bouquet", "savon", "pates", "huile d'olive", "yaourt", "gateau", "chevre", "saucisson",
)  # fmt: skip
TOWN: dict = {}
BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def note_outside_wait(name: str, response) -> None:
    """Keep how much of this answer's time was spent waiting on Stripe (its Server-Timing)."""
    waits = SERVER_TIMING_RE.findall(response.headers.get("Server-Timing", ""))
    total_ms = response.elapsed.total_seconds() * 1000
    waited = sum(float(ms) for _name, ms in waits)
    OUTSIDE_WAITS.setdefault(name, []).append((total_ms, waited))


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
    # Shops too: the busiest bakeries and cheese shops see most of the morning's visitors.
    TOWN["shop_weights"] = list(
        itertools.accumulate(1 / (rank + 1) for rank in range(len(TOWN["shops"])))
    )
    rng.shuffle(TOWN["shops"])


def popular_product() -> str:
    """A product page URL, the popular ones more often."""
    return random.choices(TOWN["products"], cum_weights=TOWN["weights"])[0]


class Browsing:
    """What every person does on the public pages."""

    def on_start(self):
        # A browser's name: page views by scripts (python-requests) are not counted, and the
        # mix must pay for the visit counters as residents' browsers do.
        self.client.headers["User-Agent"] = BROWSER_AGENT

    def home(self):
        self.client.get("/", name="/")

    def directory(self):
        page = random.randint(1, 20)
        self.client.get(f"/shops?page={page}", name="/shops")

    def count_cache(self, response, page: str) -> None:
        """Tally the page cache's answers (X-Page-Cache) for the report."""
        state = response.headers.get("X-Page-Cache", "none")
        CACHE_COUNTS[f"{page} {state}"] = CACHE_COUNTS.get(f"{page} {state}", 0) + 1

    def shop(self):
        shop = random.choices(TOWN["shops"], cum_weights=TOWN["shop_weights"])[0]
        self.count_cache(self.client.get(f"/shops/{shop}", name="/shops/[slug]"), "shop")

    def product(self):
        response = self.client.get(popular_product(), name="/shops/[slug]/products/[id]")
        self.count_cache(response, "product")

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
        super().on_start()
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
        selects, token = SELECT_RE.findall(page.text or ""), CSRF_RE.search(page.text or "")
        if not selects or token is None:
            return
        data = {"csrf_token": token.group(1), "method": "online"}
        # The form's own token (one checkout per form, issue 13): without it, a 400 "expired".
        form_token = CHECKOUT_TOKEN_RE.search(page.text or "")
        if form_token is not None:
            data["checkout_token"] = form_token.group(1)
        for shop_id, options in selects:
            # Any free slot of the morning, not everyone the first one (it fills up).
            keys = OPTION_RE.findall(options)[:12]
            if not keys:
                return
            data[f"slot-{shop_id}"] = random.choice(keys)
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
            note_outside_wait("/checkout (POST)", placed)
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
        back = self.client.get(paid.headers["Location"], name="/checkout/[id]/return")
        note_outside_wait("/checkout/[id]/return", back)


class Shopkeeper(HttpUser):
    """The demo bakery's shopkeeper watching today's pickups."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        log_in(self, "shopkeeper@demo.vitrine.localhost")

    @task
    def board(self):
        self.client.get(f"/merchant/shops/{TOWN['board']}/orders/", name="/merchant/…/orders/")
