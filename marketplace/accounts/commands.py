"""`flask users ...`: create staff accounts."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.accounts import services
from marketplace.accounts.emails import email_invitation
from marketplace.accounts.models import ADMIN, CURATOR
from marketplace.extensions import db
from marketplace.urls import external_url

users_cli = AppGroup("users", help="Manage accounts.")


def _create(email: str, name: str, role: str, password: str | None) -> None:
    try:
        user = services.create_staff(email, name, role)
        if password:
            services.set_password(user, password)
            services.confirm_email(user)  # the admin typed the address and vouches for it
    except services.AccountError as error:
        raise click.ClickException(f"cannot create {email}: {error.code}") from error
    db.session.commit()
    if not password:
        email_invitation.delay(user.id, "staff")
        # The same link as the email's, for whoever runs the command (the mail may be slow).
        token = services.make_password_token(user, "invite")
        link = external_url("accounts.accept_invitation", token=token)
        click.echo(f"{role} {user.email} created; invitation link: {link}")
    else:
        click.echo(f"{role} {user.email} created.")


@users_cli.command("create-curator")
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@click.option("--password", default=None, help="Set a password now instead of an invitation.")
def create_curator(email: str, name: str, password: str | None) -> None:
    """Create a curator (city economic office) account."""
    _create(email, name, CURATOR, password)


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@click.option("--password", default=None, help="Set a password now instead of an invitation.")
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create an admin account."""
    _create(email, name, ADMIN, password)
