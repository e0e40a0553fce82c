"""The sample deployment files are valid: systemd parses every unit and timer, and every flask
command a unit runs exists."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

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
