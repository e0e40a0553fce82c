"""Security headers on every response: a Content-Security-Policy without 'unsafe-inline', and friends.

Every script and style is a file under static/ (no inline <script>, style="" or on*= handler), so
the policy allows 'self' only. Two outside origins are named, each for a reason:
- img-src: the map's tile server (config MAP_TILE_URL), whose tiles the map page loads;
- form-action: Stripe's hosted pages (or the offline emulator). Paying and connecting a Stripe
  account are forms posted to the app that answer with a redirect to Stripe, and browsers check
  form-action against the redirect's target too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response

# Stripe's hosted Checkout and Connect onboarding pages, when the real Stripe is used.
STRIPE_PAGES = ("https://checkout.stripe.com", "https://connect.stripe.com")


def origin_of(url: str | None) -> str | None:
    """Return scheme://host[:port] of a URL (a {s} subdomain placeholder becomes *), or None."""
    if not url:
        return None
    parts = urlsplit(url.replace("{s}.", "*."))
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def payment_page_origins(config) -> list[str]:
    """Return the origins the browser is sent to for paying or onboarding (emulator or Stripe)."""
    if config.get("STRIPE_API_BASE"):
        emulator = origin_of(config["STRIPE_API_BASE"])
        return [emulator] if emulator else []
    return list(STRIPE_PAGES) if config.get("STRIPE_SECRET_KEY") else []


def content_security_policy(config) -> str:
    """Build the Content-Security-Policy header value for this configuration."""
    tiles = origin_of(config.get("MAP_TILE_URL"))
    directives = {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", *([tiles] if tiles else [])],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "form-action": ["'self'", *payment_page_origins(config)],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def init_app(app: Flask) -> None:
    """Add the security headers to every response of `app`."""
    policy = content_security_policy(app.config)
    # HSTS only where the site is served over HTTPS for sure: ProductionConfig sets HSTS_SECONDS.
    hsts = app.config.get("HSTS_SECONDS") or 0

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if hsts:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={int(hsts)}; includeSubDomains"
            )
        return response
