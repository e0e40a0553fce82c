"""Visible wiring: every listener, receiver and template helper is connected by register_hooks."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from flask import Flask
from sqlalchemy.orm import Session

from config import ROOT

IMPORT_EVERYTHING = textwrap.dedent(
    """
    import importlib, pkgutil
    import marketplace, payments, search, shops
    from flask_login import user_logged_in, user_logged_out
    from sqlalchemy.orm import Session
    from marketplace.orders.signals import order_cancelled, order_collected
    from payments.signals import stripe_event_applied

    for package in (marketplace, shops, search, payments):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    session = Session()
    for name in Session.dispatch._event_names:
        for listener in getattr(session.dispatch, name):
            print("session", name, listener.__qualname__)
    for signal in (user_logged_in, user_logged_out, order_collected, order_cancelled, stripe_event_applied):
        for receiver in signal.receivers:
            print("signal", signal.name, receiver)
    """
)


def test_importing_the_code_registers_no_hook():
    done = subprocess.run(  # noqa: S603 - our interpreter on a fixed script
        [sys.executable, "-c", IMPORT_EVERYTHING],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_session_listeners_are_installed_once_however_many_apps(app):
    from marketplace.app import create_app

    create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    session = Session()
    for name in ("before_flush", "after_flush", "after_commit", "do_orm_execute"):
        listeners = [f.__qualname__ for f in getattr(session.dispatch, name)]
        assert listeners and len(listeners) == len(set(listeners)), (name, listeners)


def test_blueprints_bring_no_app_wide_template_helper(app):
    bare, host = Flask("bare"), Flask("host")
    for name, blueprint in app.blueprints.items():
        if "." not in name:  # nested blueprints come with their parent
            host.register_blueprint(blueprint)
    assert host.template_context_processors[None] == bare.template_context_processors[None]
    assert host.jinja_env.globals.keys() == bare.jinja_env.globals.keys()
    assert host.jinja_env.filters.keys() == bare.jinja_env.filters.keys()
