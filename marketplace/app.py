"""The application factory: create_app assembles config, extensions, blueprints and commands."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import ROOT, load_config


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Create and configure a Vitrine application."""
    instance_path = Path((overrides or {}).get("INSTANCE_PATH") or ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(load_config(config_name, instance_path))
    if overrides:
        app.config.update(overrides)
    instance_path.mkdir(parents=True, exist_ok=True)
    register_extensions(app)
    register_input_bounds(app)
    register_blueprints(app)
    register_payments(app)
    register_errorhandlers(app)
    register_serving(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions created in marketplace.extensions to this app."""
    from marketplace import i18n
    from marketplace.accounts import auth
    from marketplace.db import configure_engine
    from marketplace.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from search import sync as search_sync

    import_models()
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    auth.init_login(app, login_manager)
    search_sync.init_app(app)  # outbox listeners + start-up catch-up of the search index


def register_input_bounds(app: Flask) -> None:
    """Bounded integer converters (before any URL rule) and NUL refusal in query strings."""
    from marketplace import bounded

    bounded.register(app)


def import_models() -> None:
    """Import every model module so that metadata (and Alembic) know every table."""
    import marketplace.accounts.models
    import marketplace.api.models
    import marketplace.audit
    import marketplace.cart.models
    import marketplace.curation.models
    import marketplace.orders.models  # noqa: F401
    import payments.models  # noqa: F401
    import search.models  # noqa: F401
    import shops.models
    import shops.versioning  # noqa: F401 - the shop version stamp's flush hook


def register_blueprints(app: Flask) -> None:
    """Attach the URL rules of every domain."""
    from marketplace.accounts.personal_data_views import bp as personal_data_bp
    from marketplace.accounts.views import bp as accounts_bp
    from marketplace.api.blueprints import api_bp, api_tokens_bp
    from marketplace.cart.views import bp as cart_bp
    from marketplace.curation.views import BLUEPRINTS as curation_bps
    from marketplace.i18n import bp as i18n_bp
    from marketplace.orders.board import bp as board_bp
    from marketplace.orders.views import bp as orders_bp
    from marketplace.public.map import bp as map_bp
    from marketplace.public.views import bp as public_bp
    from search.views import bp as search_bp
    from shops.media import bp as media_bp
    from shops.merchant_views import bp as merchant_bp
    from shops.product_views import bp as products_bp

    for bp in (
        public_bp,
        map_bp,
        accounts_bp,
        i18n_bp,
        merchant_bp,
        products_bp,
        media_bp,
        cart_bp,
        orders_bp,
        board_bp,
        search_bp,
        api_bp,  # /api/v1, with search's JSON API nested in it
        api_tokens_bp,
        personal_data_bp,
        *curation_bps,
    ):
        app.register_blueprint(bp)


def register_payments(app: Flask) -> None:
    """Plug in online payment (payments/ is the only package that talks to Stripe)."""
    from payments.setup import init_payments

    init_payments(app)


def register_serving(app: Flask) -> None:
    """JSON logs with request ids, /healthz and /readyz, proxy headers, the 503 page."""
    from marketplace.serving import init_serving

    init_serving(app)


def register_errorhandlers(app: Flask) -> None:
    """Render errors as pages in the user's language (JSON under /api/)."""
    from marketplace.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    """Expose formatting helpers (money, dates, categories) to the templates."""
    from marketplace.templating import register

    register(app)


def register_security_headers(app: Flask) -> None:
    """Send the Content-Security-Policy and the other security headers on every response."""
    from marketplace.security_headers import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    """Add the `flask users`, `flask shops` and `flask demo` command groups."""
    from marketplace.accounts.commands import users_cli
    from marketplace.demo import demo_cli
    from marketplace.orders.commands import orders_cli
    from search.commands import search_cli
    from shops.commands import shops_cli

    for group in (users_cli, shops_cli, demo_cli, orders_cli, search_cli):
        app.cli.add_command(group)
