"""The register of processing activities (docs/privacy-register.md) names every retention period
the daily job applies, so that a new rule cannot be added without its entry."""

from __future__ import annotations

import re
from pathlib import Path

from marketplace.privacy import retention

REGISTER = Path(__file__).resolve().parents[2] / "docs" / "privacy-register.md"


def test_the_register_names_every_configured_retention_period():
    source = Path(retention.__file__).read_text()
    keys = set(re.findall(r'config\["([A-Z_]+)"\]', source))
    assert "RETENTION_SHOP_IMPORT_DAYS" in keys and len(keys) >= 6
    text = REGISTER.read_text()
    assert sorted(k for k in keys if f"`{k}`" not in text) == []
