"""The deployment's nginx micro-caches the pages of visitors without a session, and only those.

Real gunicorn and real nginx running deploy/nginx-vitrine.conf, as tests/ops/test_slow_bodies.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ops.nginx import INSTALL_HINT, NGINX, nginx_in_front
from tests.ops.server import get, gunicorn

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(NGINX is None, reason=INSTALL_HINT),
    pytest.mark.one_database("sqlite"),  # nginx's cache and headers: any database shows it
]


def test_anonymous_pages_are_shared_for_a_second_and_sessions_pass_by(
    app, database_url, tmp_path: Path
):
    with (
        gunicorn(database_url, tmp_path / "app", workers=1) as server,
        nginx_in_front(int(server.url.rsplit(":", 1)[1]), tmp_path / "nginx") as front,
    ):
        # Two visitors without cookies: the second gets the first one's page from nginx (a
        # second apart at most: the two requests follow each other at once).
        statuses = [get(front.url + "/shops")[1].get("X-Cache") for _ in range(2)]
        assert statuses == ["MISS", "HIT"]
        status, headers, _body = get(front.url + "/shops")
        assert status == 200 and "Set-Cookie" not in headers
        assert "X-Accel-Expires" not in headers  # for nginx only
        # Someone with a session is never served from, nor stored in, the shared cache.
        with_cookie = get(front.url + "/shops", headers={"Cookie": "session=x"})[1]
        assert with_cookie["X-Cache"] == "BYPASS"
        # Pages not marked public (the login form sets a session) are not stored.
        assert [get(front.url + "/account/login")[1].get("X-Cache") for _ in range(2)] == [
            "MISS",
            "MISS",
        ]
        # Another language is another entry.
        english = get(front.url + "/shops", headers={"Accept-Language": "en"})
        assert english[1]["X-Cache"] in ("MISS", "EXPIRED") and b'lang="en"' in english[2]
