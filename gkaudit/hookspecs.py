"""The hooks a gkaudit plugin can implement. Built-in rules use exactly these."""

from __future__ import annotations

from collections.abc import Callable

import pluggy

hookspec = pluggy.HookspecMarker("gkaudit")
hookimpl = pluggy.HookimplMarker("gkaudit")


@hookspec
def register_rules(register: Callable[[type], None]) -> None:
    """Call ``register(RuleClass)`` for each rule (a ``gkaudit.Rule`` or ``BatchRule`` subclass).

    A ``Rule.check(report, context)`` gets one parsed ``Report``. A ``BatchRule.check_batch(
    reports, context)`` gets the whole batch as ``gkaudit.check.digest.ReportDigest`` objects (path,
    unit, year, title line, the tables' cells, the prose lines, the masked text, hashes: see
    that module), with ``context.roster``, ``context.history`` and ``context.shared``.
    """


@hookspec
def register_readers(register: Callable[[type], None]) -> None:
    """Call ``register(ReaderClass)`` for each reader of a file format (a ``gkaudit.Reader``)."""
