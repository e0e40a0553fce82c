"""Sending emails: through SMTP when MAIL_SERVER is set, else written to the outbox folder."""

from __future__ import annotations

import re
import uuid
from email.header import Header, decode_header, make_header
from pathlib import Path

from blinker import Namespace
from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message

from marketplace.extensions import mail

# Sent with to=, subject= once an email has left (SMTP) or is in the outbox folder: tests follow
# the emails that jobs and concurrent requests send, instead of guessing when they are written.
mail_delivered = Namespace().signal("mail-delivered")


def send_email(to: str, subject: str, template: str, locale: str | None = None, **context) -> None:
    """Render `template` (.txt and .html) in the recipient's language and send it to `to`."""
    _deliver(_compose(to, subject, template, locale, context), to)


def send_news_email(
    to: str, subject: str, template: str, locale: str | None, stop_url: str, **context
) -> None:
    """Send a newsletter-like email whose `stop_url` mail clients offer as one-click unsubscribe.

    RFC 8058: the client POSTs "List-Unsubscribe=One-Click" to the URL, with no cookie.
    """
    message = _compose(to, subject, template, locale, context)
    message.extra_headers = {
        "List-Unsubscribe": f"<{stop_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    _deliver(message, to)


def _compose(to: str, subject: str, template: str, locale: str | None, context: dict) -> Message:
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
        subject = str(subject)
    return Message(subject=encode_subject(subject), recipients=[to], body=text, html=html)


def _deliver(message: Message, to: str) -> None:
    if current_app.config.get("MAIL_SERVER"):
        mail.send(message)
    else:
        outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        safe_to = re.sub(r"[^A-Za-z0-9@._-]", "_", to)
        (outbox / f"{uuid.uuid4().hex}-{safe_to}.eml").write_bytes(message.as_bytes())
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask
    mail_delivered.send(app, to=to, subject=str(make_header(decode_header(message.subject))))


# An encoded word may be at most 75 characters (RFC 2047); a header line at most 78.
_MAX_WORD_TEXT = 40


def encode_subject(subject: str) -> str:
    """Encode a non-ASCII subject as encoded words that each end at a space, one per line.

    The standard library cuts encoded words wherever the line is full, even inside a word,
    and several mail clients then show "confirm ée". Cutting at spaces ourselves keeps words whole.
    """
    # Only ASCII white space folds: str.split() would also take the no-break spaces of French
    # ("Aujourd'hui :"), which must stay glued to the sign after them.
    subject = " ".join(re.split(r"[ \t\r\n]+", subject.strip(" \t\r\n")))
    if subject.isascii():
        return subject
    chunks: list[str] = []
    for word in subject.split(" "):
        if chunks and len((chunks[-1] + " " + word).encode()) <= _MAX_WORD_TEXT:
            chunks[-1] += " " + word
        else:
            chunks.append(word)
    # The space between two chunks travels inside the first encoded word: the folding
    # whitespace between encoded words is dropped when they are decoded.
    texts = [chunk + " " for chunk in chunks[:-1]] + chunks[-1:]
    return "\n ".join(Header(text, "utf-8").encode(maxlinelen=998) for text in texts)
