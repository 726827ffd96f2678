"""The base classes every rule derives from, built-in or plugin.

A rule is a class: its ``code`` (``GK301``), default ``severity``, one-line ``title``,
``source`` (the article of the Regulation or the national format it enforces), its
docstring (the user documentation shown by ``gkaudit explain``), and one ``messages`` table
with a Chinese and an English template per message key. ``check`` yields findings made with
``self.finding(key, ...)``, so both languages come from the same table.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from gkaudit.errors import GkauditError
from gkaudit.findings import Finding, Severity
from gkaudit.model import Report

if TYPE_CHECKING:
    from gkaudit.archive import History
    from gkaudit.config import Config
    from gkaudit.roster import Roster


@dataclass
class Context:
    """What a rule may know beyond the report: configuration and the unit's type."""

    config: Config
    unit_type: str = "unknown"  # "township", "county", "department" or "unknown"
    severity: Severity | None = None  # per-rule override from configuration
    extra: dict[str, Any] = field(default_factory=dict)
    # For batch rules: the county's roster (None without one), earlier reports by (unit, year)
    # from the archive or --previous (None without either), and views computed once per batch
    # and shared by every batch rule (see gkaudit.roster.batch_view).
    roster: Roster | None = None
    history: History | None = None
    shared: dict[str, Any] = field(default_factory=dict)


class Rule:
    """A check of one report. Subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[dict[str, str]]  # {"zh": ..., "en": ...}
    source: ClassVar[str]
    messages: ClassVar[dict[str, dict[str, str]]]
    batch: ClassVar[bool] = False

    def __init__(self) -> None:
        self._subject: tuple[str | None, str | None] | None = None  # (path, unit)
        self._context: Context | None = None

    def check(self, report: Report, context: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def check_unreadable(
        self, path: str, error: GkauditError, context: Context
    ) -> Iterable[Finding]:
        """Findings for a file that could not be parsed at all (default: none)."""
        return ()

    def run(self, report: Report, context: Context) -> list[Finding]:
        return self._collect(report.path, report.unit, context, lambda: self.check(report, context))

    def run_unreadable(self, path: str, error: GkauditError, context: Context) -> list[Finding]:
        return self._collect(
            path, None, context, lambda: self.check_unreadable(path, error, context)
        )

    def _collect(
        self,
        path: str | None,
        unit: str | None,
        context: Context,
        produce: Callable[[], Iterable[Finding]],
    ) -> list[Finding]:
        self._subject, self._context = (path, unit), context
        try:
            return list(produce())
        finally:
            self._subject = self._context = None

    def finding(
        self,
        key: str,
        *,
        line: int | None,
        section: str | None = None,
        evidence: dict[str, Any] | None = None,
        severity: Severity | None = None,
        params: dict[str, Any] | None = None,
        report: Report | None = None,
        **more_params: Any,
    ) -> Finding:
        """A finding of this rule for the report being checked, its message from ``messages``.

        Message parameters come as keywords, or as ``params`` when a name would clash with
        this method's own keywords (a template field called ``{section}``, say). A batch rule
        names the ``report`` each finding belongs to.
        """
        params = {**(params or {}), **more_params}
        subject, context = self._subject, self._context
        assert subject is not None and context is not None, "finding() is for use inside check()"
        templates = self.messages[key]
        return Finding(
            code=self.code,
            severity=context.severity or severity or self.severity,
            messages={
                lang: text.format(**_localised(params, lang)) for lang, text in templates.items()
            },
            path=report.path if report else subject[0],
            line=line,
            section=section,
            evidence=evidence or {},
            unit=report.unit if report else subject[1],
        )

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")


class BatchRule(Rule):
    """A check across a batch of reports (cross-unit, cross-year); implement ``check_batch``
    and give each finding the ``report`` it belongs to."""

    batch = True

    def check(self, report: Report, context: Context) -> Iterable[Finding]:
        return ()  # a batch rule sees reports only together

    def check_batch(self, reports: list[Report], context: Context) -> Iterator[Finding]:
        raise NotImplementedError

    def run_batch(self, reports: list[Report], context: Context) -> list[Finding]:
        return self._collect(None, None, context, lambda: self.check_batch(reports, context))


def _localised(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Parameters may be {"zh": ..., "en": ...} dicts: pick the message's language."""
    return {
        key: value[lang] if isinstance(value, dict) and lang in value else value
        for key, value in params.items()
    }


def section_label(report: Report, kind: int) -> str | None:
    """How a finding names the section of kind 1–6: its number and heading as written."""
    section = report.section(kind)
    return f"{section.number}、{section.heading}" if section else None
