"""The French catalogue is complete and well-formed, and the compiled catalogue is what the app uses.

The .po files are the source of truth: the messages are extracted from the current code and
templates (with babel.cfg, like `make extract-messages`) and each one must have a French
translation in marketplace/translations/fr/LC_MESSAGES/messages.po. To fix a failure here:

    make extract-messages      # or the pybabel extract + update commands it runs
    # translate the new entries in fr/LC_MESSAGES/messages.po (no "fuzzy" left)
    make translations          # compile the .mo files
"""

from __future__ import annotations

import fnmatch
import os
import re
import tempfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
BABEL_CFG = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "marketplace" / "translations"
FRENCH_PO = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po"

# The Makefile extracts with `-k _l`; the modules import `lazy_gettext as _l`.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}

# %(name)s, %(num)d, %(pct).1f ... (a literal percent sign is written %%)
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def msgid_text(msgid: str | tuple[str, ...]) -> str:
    return " | ".join(msgid) if isinstance(msgid, tuple) else msgid


def forms(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """The msgid or msgstr as a tuple of strings (one per plural form)."""
    if value is None:
        return ()
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


@pytest.fixture(scope="module")
def french() -> Catalog:
    return read_catalog(FRENCH_PO)


@pytest.fixture(scope="module")
def extracted() -> dict[tuple, list[str]]:
    """Every message marked for translation in the code and templates now: {(msgid, context): [where]}."""
    with BABEL_CFG.open() as f:
        method_map, options_map = parse_mapping_cfg(f, str(BABEL_CFG))
    messages: dict[tuple, list[str]] = {}
    for filename, lineno, msgid, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        if not msgid or not forms(msgid)[0]:
            continue
        messages.setdefault((msgid, context), []).append(f"{filename}:{lineno}")
    return messages


def test_the_extraction_finds_the_messages(extracted):
    assert len(extracted) > 100, "babel.cfg no longer matches the code and templates"


def test_every_message_of_the_code_and_templates_is_translated_into_french(extracted, french):
    missing, untranslated, fuzzy = [], [], []
    for (msgid, context), where in sorted(extracted.items(), key=lambda item: item[1][0]):
        line = f"  {msgid_text(msgid)!r}  ({', '.join(where[:3])})"
        message = french.get(msgid, context)
        if message is None:
            missing.append(line)
        elif not all(forms(message.string)) or len(forms(message.string)) < len(forms(msgid)):
            untranslated.append(line)
        elif message.fuzzy:
            fuzzy.append(line)
    problems = [
        (f"{len(missing)} message(s) missing from {FRENCH_PO.relative_to(ROOT)}:", missing),
        ("French translation empty (or a plural form empty):", untranslated),
        ("French translation marked fuzzy (to check, then remove the flag):", fuzzy),
    ]
    report = "\n".join(f"{title}\n" + "\n".join(lines) for title, lines in problems if lines)
    assert not report, (
        f"{report}\nRun `make extract-messages`, translate the entries in French, "
        "then `make translations`."
    )


def test_the_french_catalogue_has_no_fuzzy_entry_and_every_plural_form(french):
    assert not french.fuzzy, "the header of the French catalogue is marked fuzzy"
    fuzzy = [msgid_text(m.id) for m in french if m.id and m.fuzzy]
    assert not fuzzy, "fuzzy entries in the French catalogue:\n" + "\n".join(fuzzy)
    wrong = [
        msgid_text(m.id)
        for m in french
        if m.id and m.pluralizable and len(forms(m.string)) != french.num_plurals
    ]
    assert not wrong, f"entries without {french.num_plurals} plural forms:\n" + "\n".join(wrong)


def test_every_placeholder_is_kept_in_french(french):
    problems = []
    for message in french:
        if not message.id:
            continue
        expected = {name for text in forms(message.id) for name in PLACEHOLDER.findall(text)}
        for index, text in enumerate(forms(message.string)):
            if not text:
                continue  # reported as untranslated by the test above
            found = set(PLACEHOLDER.findall(text))
            # A plural form may leave out the number ("un résultat"), never a name.
            needed = expected - ({"num"} if message.pluralizable else set())
            if needed - found or found - expected:
                problems.append(
                    f"  {msgid_text(message.id)!r} -> {text!r} (form {index}): "
                    f"missing {sorted(needed - found)}, unknown {sorted(found - expected)}"
                )
    assert not problems, "placeholders differ between English and French:\n" + "\n".join(problems)


class _Values(dict):
    """Any placeholder name formats as 1 (fits %s and %d alike)."""

    def __missing__(self, key):
        return 1


def test_french_strings_format_wherever_the_english_does(french):
    """Templates always apply `%` (Jinja's newstyle gettext): a stray % must be written %%."""
    broken = []
    for message in french:
        if not message.id:
            continue
        try:
            for text in forms(message.id):
                text % _Values()
        except (ValueError, TypeError):
            continue  # the English is not a format string either (no variables are passed)
        for text in filter(None, forms(message.string)):
            try:
                text % _Values()
            except (ValueError, TypeError) as error:
                broken.append(f"  {text!r}: {error}")
    assert not broken, "French strings that cannot be formatted:\n" + "\n".join(broken)


def test_babel_cfg_covers_every_module_that_uses_flask_babel():
    with BABEL_CFG.open() as f:
        method_map, _options = parse_mapping_cfg(f, str(BABEL_CFG))
    python_patterns = [pattern for pattern, method in method_map if method == "python"]
    uncovered = []
    for folder, subfolders, files in os.walk(ROOT):
        # Skip .venv, .git, caches, node_modules, the tests and the instance data.
        subfolders[:] = [
            name
            for name in subfolders
            if not name.startswith((".", "_"))
            and name not in {"node_modules", "tests", "instance", "data"}
        ]
        for name in files:
            if not name.endswith(".py"):
                continue
            path = Path(folder, name)
            if "flask_babel" not in path.read_text(encoding="utf-8", errors="replace"):
                continue
            relative = path.relative_to(ROOT).as_posix()
            if not any(_matches(relative, pattern) for pattern in python_patterns):
                uncovered.append(relative)
    assert not uncovered, f"add these to babel.cfg so their messages are extracted: {uncovered}"


def _matches(path: str, pattern: str) -> bool:
    """babel.cfg patterns: `dir/**.py` is any .py file under dir/."""
    if "**" in pattern:
        prefix, suffix = pattern.split("**", 1)
        return path.startswith(prefix) and path.endswith(suffix)
    return fnmatch.fnmatch(path, pattern)


@pytest.fixture(scope="session")
def compiled_catalogues() -> None:
    """Compile each .po whose .mo is missing or older, as `make translations` does."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalog = read_catalog(po_path)
        fd, tmp_name = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                write_mo(f, catalog, use_fuzzy=True)  # like `pybabel compile -f`
            os.replace(tmp_name, mo_path)  # atomic: a parallel worker never reads half a file
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)


def test_the_login_page_is_in_french_or_english_as_the_browser_asks(
    compiled_catalogues, french, client
):
    log_in = french.get("Log in").string
    assert log_in and log_in != "Log in"

    page = client.get("/account/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="fr">' in html
    assert f"<h1>{log_in}</h1>" in html
    assert "Log in" not in html

    page = client.get("/account/login", headers={"Accept-Language": "en-GB,en;q=0.8"})
    html = page.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert log_in not in html
