"""Errors the state machines (shops, orders) raise: defined once, imported by both."""

from __future__ import annotations


class InvalidTransition(Exception):
    """A status change the table does not allow, or one that another request already made."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"{current} -> {target}")
        self.current = current
        self.target = target


class ReasonRequired(ValueError):
    """The change needs a reason (a rejection, a suspension, a shop's cancellation) and none was given."""

    def __init__(self, target: str | None = None) -> None:
        super().__init__(target or "")
        self.target = target
