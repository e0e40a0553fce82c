"""Security headers (marketplace/security_headers.py, by the front-end issue) seen from outside:
on pages, errors, JSON, probes and photos alike."""

from __future__ import annotations

import pytest

pytest.importorskip("marketplace.security_headers")

URLS = ["/", "/shops", "/search?q=pain", "/account/login", "/no-such-page", "/api/v1/search?q=x",
        "/healthz", "/readyz"]  # fmt: skip


@pytest.mark.parametrize("url", URLS)
def test_every_answer_carries_the_security_headers(client, url):
    headers = client.get(url).headers
    policy = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[-1].split(";")[0]
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy")
    assert "Strict-Transport-Security" not in headers  # not outside production (plain HTTP)
