"""Each test makes a new app, and werkzeug compiles every URL rule's builder for it with `ast`
and `compile`: 120 of the 140 ms that create_app took, times ~2,000 tests on each database.

A builder is a function of the rule's text, its parsed parts, its defaults and whether unknown
arguments are appended, and takes the rule itself as its first argument (bound per rule by
werkzeug), so the same function serves the same rule of every app. Kept per test process.
"""

from __future__ import annotations

from werkzeug.routing.rules import Rule


def share_url_builders() -> None:
    """Compile each distinct rule's URL builder once per process instead of once per app."""
    original = Rule._compile_builder
    if getattr(original, "shared", False):
        return
    builders: dict[tuple, object] = {}

    def compile_builder(self, append_unknown: bool = True):
        defaults = repr(sorted((self.defaults or {}).items()))
        key = (self.rule, tuple(self._trace), defaults, append_unknown)
        found = builders.get(key)
        if found is None:
            found = builders[key] = original(self, append_unknown)
        return found

    compile_builder.shared = True  # type: ignore[attr-defined]
    Rule._compile_builder = compile_builder  # type: ignore[method-assign,assignment]
