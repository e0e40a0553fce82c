"""docs/webhooks.md's receiver example accepts our real deliveries and refuses forged or old ones."""

from __future__ import annotations

import re
from pathlib import Path

from config import ROOT
from marketplace.extensions import db
from marketplace.webhooks.services import send_test_event

DOC = Path(ROOT) / "docs" / "webhooks.md"


def documented_verify(secret: str, monkeypatch):
    """The `verify` function of the documented receiver, run as written."""
    [code] = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    monkeypatch.setenv("VITRINE_WEBHOOK_SECRET", secret)
    namespace: dict = {"__name__": "receiver_example"}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace["verify"]


def test_the_documented_receiver_verifies_a_real_delivery(app, endpoint, receiver, monkeypatch):
    send_test_event(endpoint)
    db.session.commit()
    [request] = receiver.received
    header, body = request.headers["Vitrine-Signature"], request.body
    sent_at = int(header.split(",")[0].removeprefix("t="))
    verify = documented_verify(endpoint.secret, monkeypatch)

    assert verify(header, body, now=sent_at + 10)
    assert not verify(header, body.replace(b"ping", b"pong"), now=sent_at)  # tampered
    assert not verify(header, body, now=sent_at + 301)  # replayed after the tolerance
    assert not verify("t=abc,v1=00", body, now=sent_at)
    assert not documented_verify("whsec_other", monkeypatch)(header, body, now=sent_at)
