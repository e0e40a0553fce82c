"""Slow request bodies cannot starve gunicorn's sync workers behind the deployment's nginx.

The attack from issue 19: clients that send their request headers, then the body one byte at a
time. Real gunicorn (two sync workers) and real nginx running deploy/nginx-vitrine.conf; the
proof is that ordinary requests are answered while the slow clients are still sending. The same
slow clients sent straight to gunicorn do stop it, which shows the test would see the problem.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from tests.ops.nginx import INSTALL_HINT, NGINX, nginx_in_front
from tests.ops.server import get, gunicorn

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(NGINX is None, reason=INSTALL_HINT),
    pytest.mark.one_database("sqlite"),  # the HTTP servers' behaviour: any database shows it
]

SLOW_CLIENTS = 12  # the attack used 8; gunicorn runs 2 workers here
DRIBBLE_SECONDS = 1.0  # the attack's pace: one byte per client per second (it used 2 s)
DEADLINE = 30  # seconds: only stops a stuck test, never a measure
BODY_BYTES = 4096


class SlowClient:
    """A login POST whose body comes one byte at a time."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
        head = (
            "POST /account/login HTTP/1.1\r\nHost: vitrine.example.fr\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {BODY_BYTES}\r\n\r\n"
        )
        self.sock.sendall(head.encode() + b"e")

    def dribble(self) -> None:
        """Send one more byte of the body."""
        self.sock.sendall(b"m")

    def answered(self) -> bool:
        """Whether the server answered or closed the connection (the body is far from sent)."""
        self.sock.setblocking(False)
        try:
            self.sock.recv(1, socket.MSG_PEEK)
            return True
        except BlockingIOError:
            return False
        finally:
            self.sock.setblocking(True)

    def close(self) -> None:
        self.sock.close()


class Attack:
    """SLOW_CLIENTS slow clients on `port`, dribbling in a thread until stopped."""

    def __init__(self, port: int) -> None:
        self.clients = [SlowClient(port) for _ in range(SLOW_CLIENTS)]
        self.rounds = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._dribble, daemon=True)

    def _dribble(self) -> None:
        while not self.stopped.wait(DRIBBLE_SECONDS):  # the attack's own pace
            for client in self.clients:
                client.dribble()
            self.rounds += 1

    def __enter__(self) -> Attack:
        self.thread.start()
        deadline = time.monotonic() + DEADLINE
        while self.rounds < 2:  # the servers are reading bodies by now
            assert time.monotonic() < deadline
            self.stopped.wait(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(DEADLINE)
        for client in self.clients:
            client.close()


def test_slow_bodies_behind_nginx_leave_the_workers_free(app, database_url, tmp_path: Path):
    with (
        gunicorn(database_url, tmp_path / "app", workers=2) as server,
        nginx_in_front(int(server.url.rsplit(":", 1)[1]), tmp_path / "nginx") as front,
        Attack(front.port) as attack,
    ):
        served = []
        for path in ["/healthz", "/account/login", "/"] * 4:
            status, _headers, body = get(front.url + path, timeout=DEADLINE)
            assert status == 200, body[:300]
            served.append(path)
        rounds_meanwhile = attack.rounds
        assert not any(client.answered() for client in attack.clients)  # still dribbling
    assert len(served) == 12 and rounds_meanwhile >= 2
    print(f"{len(served)} requests served during {rounds_meanwhile} rounds of dribbling")


def test_the_same_slow_bodies_straight_at_gunicorn_stop_it(app, database_url, tmp_path: Path):
    with gunicorn(database_url, tmp_path / "app", workers=2) as server:
        port = int(server.url.rsplit(":", 1)[1])
        answer: list[int] = []
        waiting = threading.Thread(
            target=lambda: answer.append(get(server.url + "/healthz", timeout=DEADLINE)[0])
        )
        with Attack(port) as attack:
            waiting.start()
            rounds = attack.rounds
            while attack.rounds < rounds + 3:  # three more bytes from each slow client ...
                attack.stopped.wait(0.05)
            assert answer == []  # ... and the ordinary request is still not served
        waiting.join(DEADLINE)  # the slow clients hung up: the workers are free again
        assert answer == [200]
