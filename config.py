"""Configuration classes, read from the environment when the app is created (never at import)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent


class ConfigError(RuntimeError):
    """The environment does not allow the app to start safely."""


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class BaseConfig:
    """Settings shared by every environment; each value can be overridden by a variable."""

    def __init__(self, instance_path: Path) -> None:
        env = os.environ.get
        self.INSTANCE_PATH = str(instance_path)
        self.SECRET_KEY = env("SECRET_KEY")
        self.SQLALCHEMY_DATABASE_URI = (
            env("DATABASE_URL") or f"sqlite:///{instance_path / 'vitrine.db'}"
        )
        # pool_pre_ping: a connection killed by a database restart is replaced, not used
        # (PGCONNECT_TIMEOUT in the environment bounds the wait for a new one: see operations.md).
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        # gunicorn's threads per worker (gunicorn.conf.py): the page-stamp pool keeps a
        # connection for each (marketplace/public/stamps.py).
        self.THREADS_PER_WORKER = int(env("GUNICORN_THREADS", "1"))
        # Old keys still accepted to read sessions and emailed links while a new one rolls out.
        self.SECRET_KEY_FALLBACKS = [k for k in env("SECRET_KEY_FALLBACKS", "").split(",") if k]
        self.TIMEZONE = env("TIMEZONE", "Europe/Paris")
        self.BABEL_DEFAULT_LOCALE = "fr"
        self.BABEL_DEFAULT_TIMEZONE = self.TIMEZONE
        self.BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "marketplace" / "translations")
        self.LANGUAGES = ("fr", "en")
        self.TOWN_NAME = env("TOWN_NAME", "Paris 11e")
        # The town as payer on campaign statements (marketplace/campaigns/settlement.py).
        self.TOWN_LEGAL_NAME = env("TOWN_LEGAL_NAME", "Ville de Paris, mairie du 11e")
        self.TOWN_SIRET = env("TOWN_SIRET", "21750001600019")
        self.TOWN_ADDRESS = env("TOWN_ADDRESS", "12 place Léon Blum, 75011 Paris")
        self.BASE_URL = env("BASE_URL", "http://127.0.0.1:5000")
        self.UPLOAD_DIR = env("UPLOAD_DIR") or str(instance_path / "uploads")
        self.SEARCH_INDEX_DIR = env("SEARCH_INDEX_DIR") or str(instance_path / "search-index")
        self.MAIL_OUTBOX_DIR = env("MAIL_OUTBOX_DIR") or str(instance_path / "outbox")
        self.MAIL_SERVER = env("MAIL_SERVER")  # unset: emails are written to MAIL_OUTBOX_DIR
        self.MAIL_PORT = int(env("MAIL_PORT", "25"))
        self.MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
        self.MAIL_USERNAME = env("MAIL_USERNAME")
        self.MAIL_PASSWORD = env("MAIL_PASSWORD")
        self.MAIL_DEFAULT_SENDER = env(
            "MAIL_DEFAULT_SENDER", "Vitrine <no-reply@vitrine.localhost>"
        )
        self.RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "memory://")
        # Several towns (or test runs) may share one Redis: each counts under its own prefix.
        self.RATELIMIT_KEY_PREFIX = env("RATELIMIT_KEY_PREFIX", "vitrine")
        self.RATELIMIT_HEADERS_ENABLED = True
        self.LOGIN_RATE_LIMIT = env("LOGIN_RATE_LIMIT", "10 per minute")
        # Failed logins per account (any address, any worker, any server: counted in
        # RATELIMIT_STORAGE_URI); unknown emails count the same, so a lock tells nothing.
        self.LOGIN_ACCOUNT_LIMIT = env("LOGIN_ACCOUNT_LIMIT", "10 per 15 minutes")
        # Per client address (X-Forwarded-For through TRUSTED_PROXIES): enough for a person,
        # too little for a script hammering search or trying cards at the checkout.
        self.SEARCH_RATE_LIMIT = env("SEARCH_RATE_LIMIT", "120 per minute")
        self.SUGGEST_RATE_LIMIT = env("SUGGEST_RATE_LIMIT", "600 per minute")  # one per keystroke
        self.CHECKOUT_RATE_LIMIT = env("CHECKOUT_RATE_LIMIT", "20 per minute")
        # Unknown voucher codes per account, per address and per shop's counter (all workers).
        self.VOUCHER_GUESS_LIMIT = env("VOUCHER_GUESS_LIMIT", "10 per hour")
        # Per account: a catalogue of 5 photos x 20 products fits in an hour; a decode flood does not.
        self.PHOTO_UPLOAD_RATE_LIMIT = env("PHOTO_UPLOAD_RATE_LIMIT", "30 per 10 minutes")
        # /api/v1: one budget per client address, and one per API token on top.
        self.API_RATE_LIMIT_PER_IP = env("API_RATE_LIMIT_PER_IP", "300 per minute")
        self.API_RATE_LIMIT_PER_TOKEN = env("API_RATE_LIMIT_PER_TOKEN", "120 per minute")
        # Whole request bodies: a 5 MB CSV or a few photos fit; a single photo is capped lower
        # by the upload validator so the user gets a form error instead of a bare 413.
        self.MAX_CONTENT_LENGTH = int(env("MAX_CONTENT_LENGTH", str(48 * 1024 * 1024)))
        self.MAX_PHOTO_BYTES = int(env("MAX_PHOTO_BYTES", str(10 * 1024 * 1024)))
        self.MAX_CSV_BYTES = int(env("MAX_CSV_BYTES", str(20 * 1024 * 1024)))
        # Photo files no row names are removed once this old (shops/orphan_photos.py): long
        # enough that an upload whose row is being committed is never taken for an orphan.
        self.ORPHAN_PHOTO_GRACE_HOURS = float(env("ORPHAN_PHOTO_GRACE_HOURS", "24"))
        # Catalogue imports (shops/imports.py): a request checks rows for IMPORT_CHECK_SECONDS
        # at most and imports a file of up to IMPORT_INLINE_ROWS rows itself; a bigger one goes
        # to a job. Beyond IMPORT_MAX_ROWS rows a file is refused (split it).
        self.IMPORT_MAX_ROWS = int(env("IMPORT_MAX_ROWS", "50000"))
        self.IMPORT_CHECK_SECONDS = float(env("IMPORT_CHECK_SECONDS", "3"))
        self.IMPORT_INLINE_ROWS = int(env("IMPORT_INLINE_ROWS", "1000"))
        # The office's bulk onboarding page (marketplace/curation/onboarding.py) checks and imports
        # the town's shops CSV within the request: a town's list of shops, not a catalogue
        # (300 lines imported in 5.7 s on SQLite, 10.7 s on PostgreSQL, on a 2-core machine
        # under a load of 10; the preview of 1,000 lines in 0.5 s). Bigger lists are split.
        self.SHOP_IMPORT_MAX_BYTES = int(env("SHOP_IMPORT_MAX_BYTES", str(1024 * 1024)))
        self.SHOP_IMPORT_MAX_ROWS = int(env("SHOP_IMPORT_MAX_ROWS", "300"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.PERMANENT_SESSION_LIFETIME = int(env("SESSION_LIFETIME_SECONDS", str(14 * 24 * 3600)))
        # "Remember me" lasts as long as a session, not Flask-Login's default year.
        self.REMEMBER_COOKIE_DURATION = self.PERMANENT_SESSION_LIFETIME
        self.WTF_CSRF_TIME_LIMIT = None  # tied to the session, which already expires
        self.PASSWORD_RESET_MAX_AGE = int(env("PASSWORD_RESET_MAX_AGE", str(2 * 3600)))
        self.INVITATION_MAX_AGE = int(env("INVITATION_MAX_AGE", str(14 * 24 * 3600)))
        self.EMAIL_CONFIRMATION_MAX_AGE = int(env("EMAIL_CONFIRMATION_MAX_AGE", str(3 * 24 * 3600)))
        # The signed link to a guest's order in each email to them opens it for this long.
        self.GUEST_ORDER_LINK_MAX_AGE = int(env("GUEST_ORDER_LINK_MAX_AGE", str(30 * 24 * 3600)))
        # A guest's email, phone and name are erased this many days after the order once it is
        # over (collected, cancelled, expired): long enough for a refund or a card dispute.
        self.GUEST_DATA_RETENTION_DAYS = int(env("GUEST_DATA_RETENTION_DAYS", "180"))
        # Privacy (marketplace/privacy): who answers for the personal data, and the retention
        # periods the daily job applies; the privacy notice (/privacy) reads these same values.
        self.PRIVACY_CONTACT = env("PRIVACY_CONTACT", "dpo@vitrine.localhost")
        # A resident's account with no login and no order for this long is warned, then deleted
        # RETENTION_WARNING_DAYS later unless they log in (CNIL: 3 years after the last contact).
        self.RETENTION_INACTIVE_DAYS = int(env("RETENTION_INACTIVE_DAYS", str(3 * 365)))
        self.RETENTION_WARNING_DAYS = int(env("RETENTION_WARNING_DAYS", "30"))
        # Search logs are counted per day and query, then the rows (with their filters) purged.
        self.RETENTION_SEARCH_LOG_DAYS = int(env("RETENTION_SEARCH_LOG_DAYS", "90"))
        # Orders are accounting records, kept 10 years (Code de commerce, art. L123-22); the
        # people in them are cut off 3 years after the pickup: past the limitation period of a
        # consumer's claim on a sale (2 years) and any card dispute, with a margin.
        self.RETENTION_ORDER_YEARS = int(env("RETENTION_ORDER_YEARS", "10"))
        self.RETENTION_ORDER_PERSONAL_DAYS = int(env("RETENTION_ORDER_PERSONAL_DAYS", str(3 * 365)))
        # A shops CSV sent on the office's bulk onboarding page holds the owners' emails: a file
        # previewed but never imported is erased this long after it was sent (an import erases
        # it at once).
        self.RETENTION_SHOP_IMPORT_DAYS = int(env("RETENTION_SHOP_IMPORT_DAYS", "30"))
        # Server logs (IP addresses, journald) are kept by the system, not the app: set
        # journald's MaxRetentionSec to this (docs/operations.md); the notice states it.
        self.RETENTION_SECURITY_LOG_DAYS = int(env("RETENTION_SECURITY_LOG_DAYS", "180"))
        self.PLATFORM_FEE_BPS = int(env("PLATFORM_FEE_BPS", "0"))
        # Who bears Stripe's processing fee: the shop (pro rata) or the platform (the town).
        self.STRIPE_FEES_PAID_BY = env("STRIPE_FEES_PAID_BY", "shop")
        self.STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY")
        self.STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY")
        self.STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET")
        self.STRIPE_API_BASE = env("STRIPE_API_BASE")  # the offline emulator, in development
        # A Stripe call, its network retries and the pauses between them, in all, take at most
        # STRIPE_TIME_BUDGET_SECONDS: well under gunicorn's worker timeout (30 s), so a hung
        # Stripe gives a fast "payment service unavailable", not a killed worker.
        self.STRIPE_TIME_BUDGET_SECONDS = float(env("STRIPE_TIME_BUDGET_SECONDS", "8"))
        self.STRIPE_MAX_NETWORK_RETRIES = int(env("STRIPE_MAX_NETWORK_RETRIES", "1"))
        # The longest one attempt may wait for Stripe's answer (the budget usually decides).
        self.STRIPE_TIMEOUT_SECONDS = float(env("STRIPE_TIMEOUT_SECONDS", "10"))
        # Prefix of every Stripe idempotency key (payments/keys.py): environments sharing a
        # Stripe account must not collide. Default: "vitrine-" + DEPLOYMENT_ID, or an id kept
        # in instance/.
        self.STRIPE_IDEMPOTENCY_PREFIX = env("STRIPE_IDEMPOTENCY_PREFIX")
        self.DEPLOYMENT_ID = env("DEPLOYMENT_ID")
        self.PAYMENT_RESERVATION_MINUTES = int(env("PAYMENT_RESERVATION_MINUTES", "35"))
        # The page a resident comes back to after paying waits this long for Stripe's webhook.
        self.PAYMENT_RETURN_WAIT_SECONDS = float(env("PAYMENT_RETURN_WAIT_SECONDS", "2"))
        # ... after reading the payment from Stripe itself, at most this often per checkout (the
        # waiting page refreshes itself every 3 s; beyond this budget it only waits). Empty: never.
        self.PAYMENT_RETURN_STRIPE_READS = env("PAYMENT_RETURN_STRIPE_READS", "30 per minute")
        # Anonymous shop and product pages kept per process (marketplace/public/page_cache.py);
        # 0 turns the cache off. A page is 10-40 kB.
        self.PAGE_CACHE_SIZE = int(env("PAGE_CACHE_SIZE", "2048"))
        # Shop and product page views are written at most this often (marketplace/public/visits.py).
        self.VISIT_FLUSH_SECONDS = float(env("VISIT_FLUSH_SECONDS", "1"))
        # Search logs are written in batches, at most this often (search/log_writer.py).
        self.SEARCH_LOG_FLUSH_SECONDS = float(env("SEARCH_LOG_FLUSH_SECONDS", "1"))
        # The shop map (marketplace/public/map_views.py): tiles loaded by the visitor's browser. The tile
        # server's origin is allowed in the Content-Security-Policy (marketplace/security_headers.py).
        self.MAP_TILE_URL = env("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
        self.MAP_TILE_ATTRIBUTION = env(
            "MAP_TILE_ATTRIBUTION",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>',
        )
        # Where a new shop's pin starts on the map when its address cannot be found (town centre).
        self.TOWN_LAT = float(env("TOWN_LAT", "48.8589"))
        self.TOWN_LON = float(env("TOWN_LON", "2.3785"))
        # National registers (shops/registers): Sirene through the "API Recherche d'entreprises"
        # and the BAN address geocoder, both public and keyless. Offline, a lookup says it is
        # unavailable after at most REGISTER_TIMEOUT_SECONDS; answers are cached in the process.
        self.SIRENE_API_URL = env("SIRENE_API_URL", "https://recherche-entreprises.api.gouv.fr")
        self.BAN_API_URL = env("BAN_API_URL", "https://api-adresse.data.gouv.fr")
        self.REGISTER_TIMEOUT_SECONDS = float(env("REGISTER_TIMEOUT_SECONDS", "3"))
        self.REGISTER_CACHE_SECONDS = float(env("REGISTER_CACHE_SECONDS", "3600"))
        # Open data (marketplace/curation/open_data.py): the licence line of every published file.
        self.OPEN_DATA_LICENCE = env("OPEN_DATA_LICENCE", "Licence Ouverte / Open Licence 2.0")
        self.OPEN_DATA_LICENCE_URL = env(
            "OPEN_DATA_LICENCE_URL", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
        )
        self.HSTS_SECONDS = 0  # Strict-Transport-Security: production only (HTTPS for sure)
        # Where people report an accessibility problem (the accessibility statement, /accessibility).
        self.ACCESSIBILITY_CONTACT = env("ACCESSIBILITY_CONTACT", "accessibilite@vitrine.localhost")
        # The town office's address for payment alerts (disputes); unset: every curator is told.
        self.OFFICE_EMAIL = env("OFFICE_EMAIL")
        # Serving (marketplace/serving.py): JSON logs, proxies in front, readiness probe.
        self.LOG_FORMAT = env("LOG_FORMAT", "text")  # "json": one JSON object per line
        self.LOG_LEVEL = env("LOG_LEVEL", "INFO")
        self.TRUSTED_PROXIES = int(env("TRUSTED_PROXIES", "0"))  # 1 behind nginx
        self.READINESS_TIMEOUT_SECONDS = float(env("READINESS_TIMEOUT_SECONDS", "2"))
        # Background jobs (marketplace/jobs): huey on Redis when REDIS_URL is set (any number of
        # `flask jobs worker` machines), else on a SQLite file in instance/ (one machine).
        self.REDIS_URL = env("REDIS_URL")
        self.JOBS_BACKEND = env("JOBS_BACKEND") or ("redis" if self.REDIS_URL else "sqlite")
        self.JOBS_SQLITE_PATH = env("JOBS_SQLITE_PATH") or str(instance_path / "jobs.db")
        self.JOBS_QUEUE_NAME = env("JOBS_QUEUE_NAME", "vitrine")  # towns sharing one Redis
        # Immediate: a job runs inside the call that enqueues it (the tests' default).
        self.JOBS_IMMEDIATE = _env_bool("JOBS_IMMEDIATE")
        # `make run`: the web process also runs a consumer thread (scripts/dev_server.py).
        self.JOBS_CONSUMER_THREAD = _env_bool("JOBS_CONSUMER_THREAD")
        self.JOBS_RETENTION_DAYS = int(env("JOBS_RETENTION_DAYS", "90"))
        self.SEARCH_OUTBOX_RETENTION_DAYS = int(env("SEARCH_OUTBOX_RETENTION_DAYS", "30"))
        # Outbound webhooks (marketplace/webhooks): HTTPS to public addresses only, unless
        # WEBHOOK_ALLOW_LOCAL (development, tests: a receiver on this machine over HTTP; never
        # in production).
        self.WEBHOOK_ALLOW_LOCAL = _env_bool("WEBHOOK_ALLOW_LOCAL")
        self.WEBHOOK_TIMEOUT_SECONDS = float(env("WEBHOOK_TIMEOUT_SECONDS", "10"))
        # Attempts of one event (retried after 1, 3, 9, 27 ... minutes), and how many failed
        # attempts in a row disable an endpoint (its shopkeeper is emailed).
        self.WEBHOOK_MAX_ATTEMPTS = int(env("WEBHOOK_MAX_ATTEMPTS", "8"))
        self.WEBHOOK_DISABLE_AFTER_FAILURES = int(env("WEBHOOK_DISABLE_AFTER_FAILURES", "20"))

    def finalize(self) -> None:
        """Check the settings once they are complete; raise ConfigError when unsafe."""


class DevelopmentConfig(BaseConfig):
    """Local development: SQLite in instance/, a secret generated once and kept there."""

    def __init__(self, instance_path: Path) -> None:
        super().__init__(instance_path)
        self.WEBHOOK_ALLOW_LOCAL = _env_bool("WEBHOOK_ALLOW_LOCAL", True)  # a local test receiver

    def finalize(self) -> None:
        if not self.SECRET_KEY:
            path = Path(self.INSTANCE_PATH) / "secret_key"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(secrets.token_urlsafe(48))
                path.chmod(0o600)
            self.SECRET_KEY = path.read_text().strip()


class TestingConfig(BaseConfig):
    """The test suite: fast hashing, CSRF on (tests prove it), database from TEST_DATABASE_URL."""

    def __init__(self, instance_path: Path) -> None:
        super().__init__(instance_path)
        self.TESTING = True
        self.SECRET_KEY = "test-secret-not-for-production"  # noqa: S105
        self.SQLALCHEMY_DATABASE_URI = (
            os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance_path / 'test.db'}"
        )
        self.SERVER_NAME = None
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - tests hash hundreds of passwords
        self.PAYMENT_RETURN_WAIT_SECONDS = 0.0  # tests that wait for a webhook say so themselves
        self.VISIT_FLUSH_SECONDS = 0.0  # each page view written at once (tests/sales count them)
        self.SEARCH_LOG_FLUSH_SECONDS = 0.0  # each search logged at once (tests read the log)
        # Suites send thousands of API calls from one address; tests/api sets tight limits itself.
        self.API_RATE_LIMIT_PER_IP = "1000000 per minute"
        self.API_RATE_LIMIT_PER_TOKEN = "1000000 per minute"  # noqa: S105 - a rate, not a secret
        # Likewise for searches and checkouts; tests/security sets tight limits itself.
        self.SEARCH_RATE_LIMIT = self.SUGGEST_RATE_LIMIT = "1000000 per minute"
        self.CHECKOUT_RATE_LIMIT = "1000000 per minute"
        # Jobs run inside the request that queues them, unless a test drains the queue itself
        # (tests/jobs); JOBS_IMMEDIATE=0 runs the suite against the queue.
        self.JOBS_IMMEDIATE = _env_bool("JOBS_IMMEDIATE", True)
        self.PHOTO_UPLOAD_RATE_LIMIT = "1000000 per minute"
        # Webhook tests send to a receiver on 127.0.0.1 over HTTP; tests of the guard turn it off.
        self.WEBHOOK_ALLOW_LOCAL = True
        # No test reaches the real registers: a closed port answers "unavailable" at once;
        # tests/shops/registers point these at their fake servers.
        self.SIRENE_API_URL = "http://127.0.0.1:9"
        self.BAN_API_URL = "http://127.0.0.1:9"


class ProductionConfig(BaseConfig):
    """Production: secrets and database must come from the environment."""

    def __init__(self, instance_path: Path) -> None:
        super().__init__(instance_path)
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True
        self.PREFERRED_URL_SCHEME = "https"
        self.HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
        self.LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
        # A shopkeeper's webhook never reaches into the servers' own network (SSRF).
        self.WEBHOOK_ALLOW_LOCAL = False

    def finalize(self) -> None:
        if not self.SECRET_KEY:
            raise ConfigError("SECRET_KEY must be set in production.")
        if self.SQLALCHEMY_DATABASE_URI.startswith("sqlite") and not _env_bool(
            "ALLOW_SQLITE_IN_PRODUCTION"
        ):
            raise ConfigError(
                "Production needs PostgreSQL (DATABASE_URL=postgresql+psycopg://...);"
                " set ALLOW_SQLITE_IN_PRODUCTION=1 to run on SQLite anyway."
            )
        if self.STRIPE_API_BASE:
            raise ConfigError(
                "STRIPE_API_BASE sends payments to an emulator: unset it in production."
            )
        if self.STRIPE_SECRET_KEY and not self.STRIPE_WEBHOOK_SECRET:
            raise ConfigError(
                "STRIPE_SECRET_KEY is set without STRIPE_WEBHOOK_SECRET: no payment would ever"
                " be confirmed. Set the webhook endpoint's signing secret."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None, instance_path: Path) -> BaseConfig:
    """Build the configuration named by `name` or VITRINE_ENV (default: development)."""
    name = name or os.environ.get("VITRINE_ENV", "development")
    if name not in CONFIGS:
        raise ConfigError(f"Unknown configuration {name!r}; use one of {', '.join(CONFIGS)}.")
    config = CONFIGS[name](instance_path)
    config.finalize()
    return config
