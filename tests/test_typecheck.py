"""`make lint` type-checks the app with mypy: it must catch a value that may be None used as a str."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WRONG_OPTIONAL = '''\
def find_name(names: dict[int, str], key: int) -> str:
    """Return the name, which may be missing: the checker must say so."""
    return names.get(key)
'''

RIGHT_OPTIONAL = '''\
def find_name(names: dict[int, str], key: int) -> str:
    """Return the name, or an empty one."""
    return names.get(key) or ""
'''


def _mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    """Run mypy with the project's configuration (pyproject.toml) on one snippet."""
    snippet = tmp_path / "snippet.py"
    snippet.write_text(source)
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            str(snippet),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_mypy_reports_an_optional_returned_where_a_str_is_expected(tmp_path):
    result = _mypy(tmp_path, WRONG_OPTIONAL)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "snippet.py:3: error: Incompatible return value type" in result.stdout
    assert '(got "str | None", expected "str")' in result.stdout


def test_mypy_accepts_the_same_function_once_the_none_is_handled(tmp_path):
    result = _mypy(tmp_path, RIGHT_OPTIONAL)
    assert result.returncode == 0, result.stdout + result.stderr
