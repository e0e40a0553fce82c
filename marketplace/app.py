"""The application factory: create_app assembles config, extensions, blueprints, commands, hooks."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event

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
    register_jobs(app)
    register_errorhandlers(app)
    register_commands(app)
    register_hooks(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions created in marketplace.extensions to this app."""
    from marketplace import anon_csrf, i18n
    from marketplace.accounts import auth
    from marketplace.db import configure_engine
    from marketplace.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from marketplace.serving import init_serving
    from search import sync as search_sync

    init_serving(app)  # JSON logs first, then proxy headers
    import_models()
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    anon_csrf.init_app(app, csrf)  # CSRFProtect, and a token for visitors without a session
    mail.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    auth.init_login(app, login_manager)
    search_sync.init_app(app)  # its settings; the outbox listeners are in register_hooks


def register_input_bounds(app: Flask) -> None:
    """Bounded integer converters (before any URL rule) and NUL refusal in query strings."""
    from marketplace import bounded

    bounded.register(app)


def import_models() -> None:
    """Import every model module so that metadata (and Alembic) know every table."""
    import marketplace.accounts.models
    import marketplace.api.models
    import marketplace.audit
    import marketplace.campaigns.models
    import marketplace.campaigns.statement_models
    import marketplace.cart.models
    import marketplace.curation.models
    import marketplace.follows.models
    import marketplace.jobs.models
    import marketplace.orders.models
    import marketplace.sales.models
    import marketplace.webhooks.models  # noqa: F401
    import payments.models  # noqa: F401
    import search.models  # noqa: F401
    import shops.import_models
    import shops.models
    import shops.photo_models
    import shops.registers.models  # noqa: F401


def register_blueprints(app: Flask) -> None:
    """Attach the URL rules of every domain."""
    from marketplace.accounts.views import bp as accounts_bp
    from marketplace.api.blueprints import api_bp, api_tokens_bp
    from marketplace.campaigns.settle_routes import BLUEPRINTS as settle_bps
    from marketplace.campaigns.shop_views import bp as shop_campaigns_bp
    from marketplace.cart.views import bp as cart_bp
    from marketplace.curation.views import BLUEPRINTS as curation_bps
    from marketplace.follows.views import bp as follows_bp
    from marketplace.health import bp as health_bp
    from marketplace.i18n import bp as i18n_bp
    from marketplace.jobs.views import bp as jobs_admin_bp
    from marketplace.orders.board_views import bp as board_bp
    from marketplace.orders.counter_views import bp as counter_bp
    from marketplace.orders.guest_views import bp as guest_bp
    from marketplace.orders.ticket_views import bp as tickets_bp
    from marketplace.orders.views import bp as orders_bp
    from marketplace.privacy.guest_views import bp as guest_privacy_bp
    from marketplace.privacy.notice_views import bp as privacy_notice_bp
    from marketplace.privacy.views import bp as privacy_bp
    from marketplace.public.map_views import bp as map_bp
    from marketplace.public.views import bp as public_bp
    from marketplace.sales.views import bp as sales_bp
    from marketplace.webhooks.views import bp as webhooks_bp
    from payments.connect import bp as connect_bp
    from payments.refund_views import bp as refunds_bp
    from payments.statement_views import bp as statement_bp
    from payments.views import bp as payments_bp
    from search.views import bp as search_bp
    from shops.import_views import bp as imports_bp
    from shops.media import bp as media_bp
    from shops.merchant_views import bp as merchant_bp
    from shops.product_views import bp as products_bp

    for bp in (
        health_bp,  # /healthz and /readyz
        public_bp,
        map_bp,
        accounts_bp,
        i18n_bp,
        merchant_bp,
        products_bp,
        imports_bp,
        media_bp,
        cart_bp,
        orders_bp,
        guest_bp,  # checkout without an account, the signed link to a guest's order
        board_bp,
        counter_bp,
        tickets_bp,
        search_bp,
        api_bp,  # /api/v1, with search's JSON API nested in it
        api_tokens_bp,
        privacy_bp,
        follows_bp,  # follow a shop; the news emails' stop links
        guest_privacy_bp,  # a guest's data, once a mailed link proved the address
        privacy_notice_bp,  # /privacy: the privacy notice
        jobs_admin_bp,
        payments_bp,  # pay, return from Stripe, webhooks
        connect_bp,
        refunds_bp,
        statement_bp,  # the shop's payments and monthly statement
        sales_bp,  # the shop's sales and audience
        webhooks_bp,  # the shop's webhook endpoints and their delivery log
        shop_campaigns_bp,  # a shop joins or leaves a town campaign
        *curation_bps,
        *settle_bps,  # campaign statements, measured effect, review list
    ):
        app.register_blueprint(bp)


def register_jobs(app: Flask) -> None:
    """Build the background job queue (huey) from the configuration, with every declared job."""
    from marketplace.jobs.queue import init_jobs

    init_jobs(app)


def register_errorhandlers(app: Flask) -> None:
    """Render errors as pages in the user's language (JSON under /api/); 503 if the database left."""
    from marketplace.errors import register
    from marketplace.serving import register_database_errors

    register(app)
    register_database_errors(app)


def register_commands(app: Flask) -> None:
    """Add the `flask users`, `shops`, `demo`, `orders`, `search`, `jobs`, `payments`, `privacy` groups."""
    from marketplace.accounts.commands import users_cli
    from marketplace.demo.commands import demo_cli
    from marketplace.jobs.commands import jobs_cli
    from marketplace.orders.commands import orders_cli
    from marketplace.privacy.commands import privacy_cli
    from payments.commands import payments_cli
    from search.commands import search_cli
    from shops.commands import shops_cli

    groups = (users_cli, shops_cli, demo_cli, orders_cli, search_cli, jobs_cli, payments_cli)
    for group in (*groups, privacy_cli):
        app.cli.add_command(group)


def register_hooks(app: Flask) -> None:
    """Connect everything that runs without being called: listeners, receivers, template helpers.

    This is the one list of them: no module registers a hook when it is imported. (SQLite's
    per-connection pragmas are part of building the engine: marketplace.db.configure_engine.)
    """
    from flask_login import user_logged_in, user_logged_out
    from sqlalchemy.orm import Session

    from marketplace import security_headers, serving, stored_files, templating
    from marketplace.audit import refuse_audit_changes
    from marketplace.campaigns.display import town_share
    from marketplace.campaigns.participation import shop_campaigns
    from marketplace.campaigns.statement_models import refuse_statement_changes
    from marketplace.cart.views import merge_cart_at_login
    from marketplace.curation.agent import inject_agent_shop, log_agent_changes
    from marketplace.curation.review_views import inject_pending_count
    from marketplace.follows.services import follower_count
    from marketplace.follows.views import followed_shop_ids
    from marketplace.orders.guest_access import (
        claim_guest_orders_at_login,
        forget_guest_access_at_logout,
    )
    from marketplace.orders.money_emails import send_receipt_at_collection
    from marketplace.orders.payment import online_payment_available
    from marketplace.orders.signals import (
        order_cancelled,
        order_collected,
        order_transitioned,
        orders_placed,
    )
    from marketplace.orders.tickets import first_name as buyer_first_name
    from marketplace.orders.views import inject_counts
    from marketplace.privacy.notice_views import duration_in_words
    from marketplace.privacy.retention import note_activity, note_login
    from marketplace.public import http_cache
    from marketplace.webhooks import events as webhook_events
    from payments import hooks as payment_hooks
    from payments.refund_views import new_refund_token
    from payments.setup import init_payments
    from search import sync as search_sync
    from shops import stock_alerts
    from shops.indexing import register_index_catch_up
    from shops.merchant_views import inject_review_helpers
    from shops.register_checks import latest_register_checks
    from shops.versioning import bump_shop_versions

    # SQLAlchemy listeners on every Session (process-wide, so installed once per process).
    _listen_once(Session, "before_flush", refuse_audit_changes)  # audit rows are append-only
    _listen_once(Session, "before_flush", refuse_statement_changes)  # issued statements: frozen
    _listen_once(Session, "before_flush", bump_shop_versions)  # public page cache keys
    search_sync.connect(app)  # search outbox rows at flush, applied after commit; first request
    _listen_once(Session, "after_flush", log_agent_changes)  # agent mode: one audit row a change
    # Uploaded files live or die with the transaction that names them.
    _listen_once(Session, "after_commit", stored_files.settle_after_commit)
    _listen_once(Session, "after_transaction_end", stored_files.settle_after_transaction)
    # Low-stock alerts: products whose stock changed are checked just before the commit.
    _listen_once(Session, "after_flush", stock_alerts.note_changed_products)
    _listen_once(Session, "do_orm_execute", stock_alerts.note_bulk_update)
    _listen_once(Session, "before_commit", stock_alerts.check_before_commit)
    _listen_once(Session, "after_commit", stock_alerts.email_after_commit)
    _listen_once(Session, "after_rollback", stock_alerts.forget_after_rollback)
    # Webhook deliveries written in a transaction are queued once it commits.
    _listen_once(Session, "after_commit", webhook_events.queue_after_commit)
    _listen_once(Session, "after_rollback", webhook_events.forget_after_rollback)

    # Blinker signal receivers, for this app's signals.
    user_logged_in.connect(merge_cart_at_login, app)  # the visitor's cart joins the resident's
    user_logged_in.connect(claim_guest_orders_at_login, app)  # guest orders this browser proves
    user_logged_in.connect(note_login, app)  # the last login; it cancels a deletion warning
    app.before_request(note_activity)  # a resident kept logged in is active too (daily)
    user_logged_out.connect(forget_guest_access_at_logout, app)  # a shared computer
    order_collected.connect(payment_hooks.on_order_collected, app)  # transfer the shop's share
    order_cancelled.connect(payment_hooks.on_order_cancelled, app)  # refund a paid order
    order_collected.connect(send_receipt_at_collection, app)  # the resident's itemised receipt
    orders_placed.connect(webhook_events.on_orders_placed, app)  # order.created
    order_transitioned.connect(webhook_events.on_order_transitioned, app)  # order.paid ...
    stock_alerts.product_low_stock.connect(webhook_events.on_product_low_stock, app)

    # The online-payment seam (marketplace/orders/payment.py): payments offers its starter.
    init_payments(app)
    # The search seam (shops/indexing.py): a catalogue import's job waits for the index.
    register_index_catch_up(app, search_sync.sync_now)

    # Template filters, globals and context processors.
    templating.register(app)  # money, dates, categories, locale, town name
    app.add_template_global(new_refund_token, "new_refund_token")
    app.add_template_global(town_share, "town_share")  # the town's part of an order (campaigns)
    app.add_template_global(buyer_first_name, "buyer_first_name")  # counter cards, tickets
    app.add_template_global(duration_in_words, "duration_in_words")  # retention periods
    app.add_template_global(stock_alerts.low_stock_count, "low_stock_count")  # the badge
    app.add_template_global(followed_shop_ids, "followed_shop_ids")  # Follow / Following buttons
    app.add_template_global(follower_count, "follower_count")  # a shopkeeper sees a count only
    # Whether shops that are onboarded can be paid by card (shop pages, checkout).
    app.add_template_global(online_payment_available, "online_payment_available")
    app.add_template_global(latest_register_checks, "register_checks_of")  # the shop file
    app.add_template_global(shop_campaigns, "shop_campaigns")  # the dashboard's campaign panel
    for processor in (
        inject_counts,
        inject_review_helpers,
        inject_pending_count,
        inject_agent_shop,
    ):
        app.context_processor(processor)

    # Request hooks: request ids and access log, closing the session, security headers.
    serving.connect_request_hooks(app)
    security_headers.init_app(app)
    http_cache.init_app(app)  # public pages: shared (nginx micro-cache) or private


def _listen_once(target, identifier: str, fn) -> None:
    """Listen for a SQLAlchemy event unless `fn` already does (each create_app calls this)."""
    if not event.contains(target, identifier, fn):
        event.listen(target, identifier, fn)
