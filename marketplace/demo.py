"""`flask demo ...`: the demo town (filled in by the demo-town work)."""

from __future__ import annotations

from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Load or rebuild the demo town.")
