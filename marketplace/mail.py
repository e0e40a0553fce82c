"""Sending emails: through SMTP when MAIL_SERVER is set, else written to the outbox folder."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message

from marketplace.extensions import mail


def send_email(to: str, subject: str, template: str, locale: str | None = None, **context) -> None:
    """Render `template` (.txt and .html) in the recipient's language and send it to `to`."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
        subject = str(subject)
    message = Message(subject=subject, recipients=[to], body=text, html=html)
    if current_app.config.get("MAIL_SERVER"):
        mail.send(message)
        return
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    safe_to = re.sub(r"[^A-Za-z0-9@._-]", "_", to)
    (outbox / f"{uuid.uuid4().hex}-{safe_to}.eml").write_bytes(message.as_bytes())
