"""The hooks a gkaudit plugin can implement. Built-in rules use exactly these."""

from __future__ import annotations

from collections.abc import Callable

import pluggy

hookspec = pluggy.HookspecMarker("gkaudit")
hookimpl = pluggy.HookimplMarker("gkaudit")


@hookspec
def register_rules(register: Callable[[type], None]) -> None:
    """Call ``register(RuleClass)`` for each rule (a ``gkaudit.Rule`` or ``BatchRule`` subclass)."""


@hookspec
def register_readers(register: Callable[[type], None]) -> None:
    """Call ``register(ReaderClass)`` for each reader of a file format (a ``gkaudit.Reader``)."""
