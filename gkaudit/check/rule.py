"""The base classes every rule derives from, built-in or plugin.

A rule is a class: its ``code`` (``GK301``), default ``severity``, one-line ``title``,
``source`` (the article of the Regulation or the national format it enforces), its
docstring (the user documentation shown by ``gkaudit explain``), and one ``messages`` table
with a Chinese and an English template per message key. ``check`` is stateless: it yields
results made with ``self.finding(key, ...)`` (key, location, facts); ``run`` makes each
finding in one place, so both languages come from the same table.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from gkaudit.base.errors import GkauditError
from gkaudit.check.findings import Finding, Severity
from gkaudit.model.report import Report

if TYPE_CHECKING:
    from gkaudit.audit.archive import History
    from gkaudit.audit.config import Config
    from gkaudit.check.digest import ReportDigest
    from gkaudit.check.roster import Roster


@dataclass
class Context:
    """What a rule may know beyond the report: configuration and the unit's type."""

    config: Config
    unit_type: str = "unknown"  # "township", "county", "department" or "unknown"
    severity: Severity | None = None  # per-rule override from configuration
    extra: dict[str, Any] = field(default_factory=dict)
    # For batch rules: the county's roster (None without one), earlier reports by (unit, year)
    # from the archive or --previous (None without either), and views computed once per batch
    # and shared by every batch rule (see gkaudit.check.roster.batch_view).
    roster: Roster | None = None
    history: History | None = None
    shared: dict[str, Any] = field(default_factory=dict)
    # The rule's options as configured ([rules.GK402] in gkaudit.toml), checked against the
    # rule's ``options``; a rule reads them with ``self.option(context, name)``.
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Option:
    """A setting a rule declares: its default, a JSON Schema fragment its value must match,
    and what it means in both languages (shown by ``gkaudit explain`` and in the config schema).
    """

    default: Any
    schema: dict[str, Any]
    description: dict[str, str]  # {"zh": ..., "en": ...}

    def json_schema(self) -> dict[str, Any]:
        """The option's schema with its default and (English) description, for the config."""
        return {**self.schema, "default": self.default, "description": self.description["en"]}


GENERIC_ADVICE = {
    "zh": "对照《政府信息公开条例》和国办公开办函〔2021〕30号格式要求核实、改正，"
    "并重新发布年度报告。",
    "en": "Check against the Regulation and the national format (国办公开办函〔2021〕30号), "
    "correct, and republish the annual report.",
}


@dataclass(frozen=True)
class Result:
    """What a rule's ``check`` yields: the message key, where, and the facts behind it.

    The finding (path, unit, severity, both languages, page) is made from it in one place,
    ``Rule.make_finding``. A batch rule names the ``report`` each result belongs to.
    """

    key: str
    line: int | None
    section: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None  # when the rule is less sure than its default
    report: Report | ReportDigest | None = None
    # A batch result that belongs to no report (a roster unit without one): where it is.
    path: str | None = None
    unit: str | None = None


class Rule:
    """A check of one report. Subclasses set the class attributes and implement ``check``.

    Rules are stateless: ``check`` reads the report (and ``report.facts``) and yields
    ``Result``s made with ``self.finding(key, ...)``; ``run`` turns them into findings.
    """

    code: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[dict[str, str]]  # {"zh": ..., "en": ...}
    source: ClassVar[str]
    messages: ClassVar[dict[str, dict[str, str]]]
    advice: ClassVar[dict[str, str] | None] = None  # 整改建议 {"zh": ..., "en": ...}
    batch: ClassVar[bool] = False
    options: ClassVar[dict[str, Option]] = {}  # settings, configured as [rules.<code>]

    def option(self, context: Context, name: str) -> Any:
        """The value of one of this rule's ``options``: as configured, else its default."""
        if name not in self.options:
            raise KeyError(f"{self.code}: no option {name!r}")
        return context.options.get(name, self.options[name].default)

    @classmethod
    def option_values(cls, configured: dict[str, Any] | None) -> dict[str, Any]:
        """Every option of the rule: the configured values over the defaults."""
        return {
            name: (configured or {}).get(name, option.default)
            for name, option in cls.options.items()
        }

    def check(self, report: Report, context: Context) -> Iterable[Result | Finding]:
        raise NotImplementedError

    def check_unreadable(
        self, path: str, error: GkauditError, context: Context
    ) -> Iterable[Result | Finding]:
        """Findings for a file that could not be parsed at all (default: none)."""
        return ()

    def run(self, report: Report, context: Context) -> list[Finding]:
        return [
            self.make_finding(result, context, report.path, report.unit, report)
            for result in self.check(report, context)
        ]

    def run_unreadable(self, path: str, error: GkauditError, context: Context) -> list[Finding]:
        return [
            self.make_finding(result, context, path, None, None)
            for result in self.check_unreadable(path, error, context)
        ]

    def finding(
        self,
        key: str,
        *,
        line: int | None,
        section: str | None = None,
        evidence: dict[str, Any] | None = None,
        severity: Severity | None = None,
        params: dict[str, Any] | None = None,
        report: Report | ReportDigest | None = None,
        **more_params: Any,
    ) -> Result:
        """A result of this rule, its message from ``messages[key]``.

        Message parameters come as keywords, or as ``params`` when a name would clash with
        this method's own keywords (a template field called ``{section}``, say). A batch rule
        names the ``report`` each result belongs to.
        """
        if key not in self.messages:
            raise KeyError(f"{self.code}: no message {key!r}")
        return Result(
            key, line, section, evidence or {}, {**(params or {}), **more_params}, severity, report
        )

    def make_finding(
        self,
        result: Result | Finding,
        context: Context,
        path: str | None,
        unit: str | None,
        report: Report | ReportDigest | None,
    ) -> Finding:
        """The one place a finding is made: path, unit, severity, both languages, page."""
        if isinstance(result, Finding):
            return result  # a plugin written against the older API made its own
        report = result.report or report
        templates = self.messages[result.key]
        return Finding(
            code=self.code,
            severity=context.severity or result.severity or self.severity,
            messages=_messages(templates, result.params),
            path=report.path if report else (result.path or path),
            line=result.line,
            page=_page_of(report, result.line) if report else None,
            section=result.section,
            evidence=result.evidence,
            unit=report.unit if report else (result.unit or unit),
        )

    @classmethod
    def advice_text(cls, lang: str = "zh") -> str:
        """How a unit fixes a finding of this rule; a generic advice when the rule has none."""
        advice = cls.advice or GENERIC_ADVICE
        return advice.get(lang) or advice.get("zh") or GENERIC_ADVICE[lang]

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")


class BatchRule(Rule):
    """A check across a batch of reports (cross-unit, cross-year); implement ``check_batch``
    and give each result the ``report`` it belongs to. The batch is one ``ReportDigest`` per
    readable report (gkaudit/check/digest.py: figures, prose, masked text), not the parsed
    reports. In a scan each is a ``DigestRef``: path, unit, year, title line and hashes in
    memory, any other attribute read from the scan's spill file (a few kept at once) — read
    what a rule needs of each report in one pass rather than holding the digests. Batch rules
    run when there is something to compare a report with: another file of the scan, a roster,
    or earlier reports (archive, --previous); a lone file checked on its own skips them."""

    batch = True
    # How heavy the rule is on a large batch, relative to a rule making one pass over the
    # digests (1): with --jobs > 1 the batch rules are spread over processes, heaviest first,
    # so the longest does not start last. Only an order: any value gives the same findings.
    cost: ClassVar[int] = 1

    def check(self, report: Report, context: Context) -> Iterable[Result | Finding]:
        return ()  # a batch rule sees reports only together

    def check_batch(
        self, reports: list[ReportDigest], context: Context
    ) -> Iterator[Result | Finding]:
        raise NotImplementedError

    def run_batch(self, reports: list[ReportDigest], context: Context) -> list[Finding]:
        return [
            self.make_finding(result, context, None, None, None)
            for result in self.check_batch(reports, context)
        ]


def _pages_by_line(report: Report) -> dict[int, int]:
    return {line.number: line.page for line in report.lines if line.page}


def _page_of(report: Report | ReportDigest, line: int | None) -> int | None:
    if isinstance(report, Report):
        return report.memo("pages", _pages_by_line).get(line or 0)
    return report.page_of(line)  # a digest (spilled: without loading it whole)


def _messages(templates: dict[str, str], params: dict[str, Any]) -> dict[str, str]:
    """Each language's template filled in with the parameters in that language."""
    if not any(isinstance(value, dict) for value in params.values()):
        return {lang: text.format(**params) for lang, text in templates.items()}
    return {lang: text.format(**_localised(params, lang)) for lang, text in templates.items()}


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
