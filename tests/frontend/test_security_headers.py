"""Every response carries a Content-Security-Policy without 'unsafe-inline', and the templates
give it nothing inline to forbid: no <script> body, no style="" and no on*="" handler."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marketplace.app import create_app
from marketplace.security_headers import content_security_policy, origin_of

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"


def directives(policy: str) -> dict[str, list[str]]:
    """Split a CSP header into {directive: [sources]}."""
    result = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        result[name] = sources
    return result


@pytest.mark.parametrize("path", ["/", "/shops", "/map", "/account/login", "/accessibility"])
def test_pages_send_a_strict_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"][0] == "'self'"
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # not in testing


def test_errors_and_static_files_carry_the_headers_too(client):
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "script-src 'self'" in missing.headers["Content-Security-Policy"]
    css = client.get("/static/css/app.css")
    assert css.headers["X-Content-Type-Options"] == "nosniff"


def test_production_adds_hsts(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    app = create_app("production", {"INSTANCE_PATH": str(tmp_path / "instance")})
    response = app.test_client().get("/static/css/app.css")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_tile_server_and_the_payment_pages_are_the_only_outside_origins():
    config = {
        "MAP_TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
        "STRIPE_API_BASE": "http://127.0.0.1:12111",
    }
    policy = directives(content_security_policy(config))
    assert policy["img-src"] == ["'self'", "data:", "https://*.tiles.example.org"]
    # Paying is a form posted to the app that redirects to the payment page: form-action counts it.
    assert policy["form-action"] == ["'self'", "http://127.0.0.1:12111"]
    real_stripe = directives(content_security_policy({"STRIPE_SECRET_KEY": "sk_live_x"}))
    assert real_stripe["form-action"] == [
        "'self'",
        "https://checkout.stripe.com",
        "https://connect.stripe.com",
    ]
    assert directives(content_security_policy({}))["img-src"] == ["'self'", "data:"]
    assert origin_of("not a url") is None


INLINE = [
    # A data block (JSON-LD) is never run, so the CSP leaves it alone; any other body is code.
    (
        re.compile(r"<script\b(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json\"))[^>]*>", re.I),
        "inline <script>",
    ),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), 'style="" attribute'),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if "emails" in path.parts:
            continue  # emails are read in mail clients, which need inline styles; no CSP there
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not problems, "the CSP forbids these; move them to static/:\n" + "\n".join(problems)


def test_no_page_loads_anything_from_a_cdn():
    """Front-end packages are vendored under static/vendor/ (make vendor), never fetched from a CDN."""
    cdn = re.compile(
        r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*\s(?:src|href)\s*=\s*[\"'](?:https?:)?//"
        r"|url\(\s*[\"']?(?:https?:)?//|@import\s+[\"']?(?:url\()?(?:https?:)?//"
        r"|unpkg\.com|jsdelivr|cdnjs|googleapis\.com|gstatic\.com|bootstrapcdn",
        re.I,
    )
    problems = []
    for folder in (TEMPLATES, ROOT / "static"):
        for path in sorted(folder.rglob("*")):
            if path.suffix not in {".html", ".css", ".js", ".txt"} or "emails" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for match in cdn.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    assert not problems, "references to outside hosts:\n" + "\n".join(problems)
