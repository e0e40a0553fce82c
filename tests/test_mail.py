"""Email headers reach mail clients whole: long French subjects fold between words, never inside one."""

import re
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

from marketplace.mail import send_email

ENCODED_WORD = re.compile(r"=\?utf-8\?([qb])\?(.*?)\?=", re.I)


def raw_subject(app) -> str:
    (path,) = Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")
    return message_from_bytes(path.read_bytes())["Subject"]


def test_a_long_french_subject_decodes_whole_and_folds_between_words(app, resident):
    subject = (
        "Votre commande n° 12345 chez Boulangerie du Marché est confirmée "
        "et prête à être retirée à l'heure choisie"
    )

    send_email(
        resident.email, subject, "password_reset", locale="fr", user=resident, link="http://x/"
    )

    raw = raw_subject(app)
    assert str(make_header(decode_header(raw))) == subject
    pieces = [
        text.decode("utf-8") if isinstance(text, bytes) else text
        for text, _ in (decode_header(word.group(0))[0] for word in ENCODED_WORD.finditer(raw))
    ]
    assert len(pieces) > 1, raw
    # Mail clients show a space where one encoded word ends: each must end with the word's end.
    assert all(piece.endswith(" ") for piece in pieces[:-1]), pieces
    assert all(len(line) <= 78 for line in raw.splitlines())


def test_an_ascii_subject_is_left_as_it_is(app, resident):
    send_email(
        resident.email, "Your order is ready", "password_reset", user=resident, link="http://x/"
    )

    assert raw_subject(app) == "Your order is ready"


def test_a_french_subject_keeps_its_narrow_no_break_space_before_the_colon(app, resident):
    subject = "Aujourd'hui\u202f: retirez votre commande chez Fromagerie du Marché Popincourt"

    send_email(
        resident.email, subject, "password_reset", locale="fr", user=resident, link="http://x/"
    )

    raw = raw_subject(app)
    assert str(make_header(decode_header(raw))) == subject  # never a plain, breakable space
