"""The API is stateless: on /api/v1 no session cookie is read or set.

Its answers then depend on the URL, the token and Accept-Language only, so public reads are
cacheable by shared caches: no Set-Cookie, no `Vary: Cookie` (Flask adds it whenever anything
reads the session, the language choice for one). A signed-in browser calling the API gets the
same answer as any client.
"""

from __future__ import annotations

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

API_PATH = "/api/v1/"


class StatelessApiSessions(SecureCookieSessionInterface):
    """Cookie sessions everywhere but under /api/v1."""

    def open_session(self, app, request):
        """An empty, never saved session on the API; the cookie's one elsewhere."""
        if request.path.startswith(API_PATH):
            return SecureCookieSession()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        """Nothing to write on the API (and no Vary: Cookie)."""
        from flask import request

        if request.path.startswith(API_PATH):
            return
        super().save_session(app, session, response)


def install(state) -> None:
    """Use it on the app the API is registered on (when that app keeps the default sessions)."""
    if type(state.app.session_interface) is SecureCookieSessionInterface:
        state.app.session_interface = StatelessApiSessions()
