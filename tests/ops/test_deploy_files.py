"""The sample deployment files are valid: systemd parses every unit and timer, every flask
command a unit runs exists, and nginx accepts the site file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.ops.nginx import INSTALL_HINT, NGINX, main_config, render_site
from tests.ops.server import free_port

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


def test_every_unit_runs_an_existing_flask_command(app):
    runner = app.test_cli_runner()
    commands = []
    for unit in UNITS.glob("*.service"):
        for line in unit.read_text().splitlines():
            if match := re.match(r"ExecStart=\S+/flask (.+)$", line):
                commands.append(match.group(1).split())
    assert len(commands) >= 2  # search sync and the jobs worker
    for words in commands:
        result = runner.invoke(args=[*words, "--help"])
        assert result.exit_code == 0, f"flask {' '.join(words)}: {result.output}"


def test_every_timer_starts_a_unit_that_exists():
    for timer in UNITS.glob("*.timer"):
        named = re.search(r"^Unit=(\S+)$", timer.read_text(), re.M)
        service = named.group(1) if named else timer.name.replace(".timer", ".service")
        assert (UNITS / service).exists(), f"{timer.name} starts {service}"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze here")
def test_systemd_accepts_the_units(tmp_path):
    venv_bin = str(ROOT / ".venv" / "bin") + "/"
    for unit in UNITS.iterdir():
        text = unit.read_text().replace("/srv/vitrine/app/.venv/bin/", venv_bin)
        text = re.sub(r"^(User|Group)=vitrine$", r"\1=root", text, flags=re.M)
        text = text.replace("EnvironmentFile=/etc", "EnvironmentFile=-/etc")
        (tmp_path / unit.name).write_text(text)
    units = sorted(str(p) for p in tmp_path.iterdir())
    result = subprocess.run(  # noqa: S603
        ["systemd-analyze", "verify", "--man=no", *units],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(NGINX is None, reason=INSTALL_HINT)
def test_nginx_accepts_the_site_file(tmp_path):
    """`nginx -t` on the deployment's file (TLS swapped for local ports, as the slow test runs it)."""
    site = tmp_path / "vitrine.conf"
    site.write_text(render_site(8000, free_port(), free_port(), tmp_path))
    conf = tmp_path / "nginx.conf"
    conf.write_text(main_config(tmp_path, site))
    checked = subprocess.run(  # noqa: S603 - our nginx on our files
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
