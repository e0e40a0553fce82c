"""Plugging payments into the app: routes, order signals, commands, the online-payment starter."""

from __future__ import annotations

from flask import Flask


def init_payments(app: Flask) -> None:
    """Register the payments blueprints and commands; enable online payment when keys are set."""
    from payments.commands import payments_cli
    from payments.connect import bp as connect_bp
    from payments.hooks import connect_signals
    from payments.refund_views import bp as refunds_bp
    from payments.refund_views import new_refund_token
    from payments.sessions import start_checkout_payment
    from payments.statement_views import bp as statement_bp
    from payments.views import bp as payments_bp

    app.register_blueprint(payments_bp)
    app.register_blueprint(connect_bp)
    app.register_blueprint(refunds_bp)
    app.jinja_env.globals["new_refund_token"] = new_refund_token
    app.register_blueprint(statement_bp)
    app.cli.add_command(payments_cli)
    connect_signals(app)
    if app.config.get("STRIPE_SECRET_KEY"):
        app.extensions["vitrine.start_online_payment"] = start_checkout_payment
