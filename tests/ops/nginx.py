"""Run deploy/nginx-vitrine.conf for a test: in a temp folder, on local ports, without root."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from tests.ops.server import ROOT, free_port, get

SITE = ROOT / "deploy" / "nginx-vitrine.conf"
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
)
INSTALL_HINT = (
    "nginx is not installed: `sudo apt-get install nginx` (or `make e2e-deps` as root) runs the"
    " slow-client test of the deployment"
)


def render_site(upstream_port: int, port: int, redirect_port: int, tmp: Path) -> str:
    """The deployment's site file with TLS swapped for a plain local port and paths in `tmp`.

    Every other line (buffering, timeouts, limits, the proxy) is the file's own. Each swap must
    apply, so that a change to the file cannot leave the test running something else.
    """
    text = SITE.read_text()
    swaps = [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{port};"),
        ("listen [::]:443 ssl http2;", ""),
        ("listen 80;", f"listen 127.0.0.1:{redirect_port};"),
        ("listen [::]:80;", ""),
        ("/srv/vitrine/app/static/", f"{ROOT / 'static'}/"),
        ("/var/log/nginx/", f"{tmp}/"),
        ("/var/cache/nginx/vitrine", f"{tmp}/cache"),
        ("/var/www/html", str(tmp)),
    ]
    for old, new in swaps:
        assert old in text, f"{SITE.name} no longer has {old!r}: update tests/ops/nginx.py"
        text = text.replace(old, new)
    # The certificate lines go with TLS.
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith("ssl_"))


def main_config(tmp: Path, site: Path) -> str:
    """An nginx.conf that keeps its pid, logs and temporary files in `tmp`."""
    # Run as root (a container, CI), nginx would switch its workers to "nobody", who cannot
    # write the temporary files in a private temp folder: keep them as root.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(
        f"    {kind}_temp_path {tmp / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'error.log'} info;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"{temp_paths}    access_log {tmp / 'access.log'};\n    include {site};\n}}\n"
    )


class Nginx:
    """An nginx process in front of an upstream, and its URL."""

    def __init__(self, process: subprocess.Popen, port: int, tmp: Path) -> None:
        self.process, self.port, self.tmp = process, port, tmp
        self.url = f"http://127.0.0.1:{port}"

    def error_log(self) -> str:
        """nginx's error log so far."""
        return (self.tmp / "error.log").read_text(errors="replace")


@contextlib.contextmanager
def nginx_in_front(upstream_port: int, tmp: Path):
    """Start nginx with the deployment's site config in front of 127.0.0.1:`upstream_port`."""
    assert NGINX is not None, INSTALL_HINT
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    site = tmp / "vitrine.conf"
    site.write_text(render_site(upstream_port, port, free_port(), tmp))
    conf = tmp / "nginx.conf"
    conf.write_text(main_config(tmp, site))
    base = [NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")]
    checked = subprocess.run([*base, "-t"], capture_output=True, text=True, check=False)  # noqa: S603
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(base, start_new_session=True)  # noqa: S603 - our nginx, our files
    server = Nginx(process, port, tmp)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, server.error_log()[-3000:]
            with contextlib.suppress(OSError):
                if get(server.url + "/healthz", timeout=2)[0] == 200:
                    break
            assert time.monotonic() < deadline, server.error_log()[-3000:]
            time.sleep(0.05)  # polling the port until it answers, not waiting for an outcome
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # nginx: fast shutdown
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
