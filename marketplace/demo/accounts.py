"""The four demo accounts (one per role), all with the same published password."""

from __future__ import annotations

import os

import click

from marketplace.accounts import services as accounts
from marketplace.accounts.models import ADMIN, CURATOR, RESIDENT, SHOPKEEPER, User
from marketplace.extensions import db

PASSWORD = "vitrine-demo"  # noqa: S105 - printed on purpose: everyone may try the demo
ACCOUNTS = (
    ("resident@demo.vitrine.localhost", "Camille Martin", RESIDENT),
    ("shopkeeper@demo.vitrine.localhost", "Julien Moreau", SHOPKEEPER),
    ("curator@demo.vitrine.localhost", "Service du développement économique", CURATOR),
    ("admin@demo.vitrine.localhost", "Administration Vitrine", ADMIN),
)
SHOPKEEPER_EMAIL = ACCOUNTS[1][0]


def ensure_accounts() -> dict[str, User]:
    """Create (or repair) the four demo accounts; return them by role."""
    users = {}
    for email, name, role in ACCOUNTS:
        user = accounts.find_user_by_email(email) or accounts.register_user(email, None, name, role)
        user.role = role
        if accounts.authenticate(email, PASSWORD) is None:
            accounts.set_password(user, PASSWORD)
        accounts.confirm_email(user)  # the demo's published accounts open without an email
        users[role] = user
    db.session.flush()
    return users


def echo_access() -> None:
    """Print the demo accounts and the address to open."""
    click.echo(f"Demo accounts (password: {PASSWORD}):")
    for email, _name, role in ACCOUNTS:
        click.echo(f"  {role:<10} {email}")
    click.echo(f"Open http://127.0.0.1:{os.environ.get('PORT', '5000')}")
