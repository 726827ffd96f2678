"""Running the rules: reports in, findings out. One bad file never stops a batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gkaudit.config import Config
from gkaudit.errors import GkauditError
from gkaudit.findings import Finding
from gkaudit.model import Report
from gkaudit.parse import parse_document
from gkaudit.plugins import collect_readers, collect_rules, plugin_manager
from gkaudit.read import DEFAULT_MAX_BYTES, Reader, read_document
from gkaudit.readers.text import TextReader
from gkaudit.rule import Context, Rule
from gkaudit.units import infer_unit_type


@dataclass
class Audit:
    """The outcome for one file: its report (None when unreadable) and its findings."""

    path: str
    report: Report | None
    unit_type: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # rules that crashed: bugs, shown apart


class Engine:
    def __init__(
        self,
        config: Config,
        rules: dict[str, type[Rule]],
        max_bytes: int = DEFAULT_MAX_BYTES,
        readers: list[Reader] | None = None,
    ) -> None:
        self.config = config
        self.rules = rules
        self.max_bytes = max_bytes
        self.readers = readers if readers is not None else [TextReader()]
        self.active = {code: rule for code, rule in rules.items() if config.enabled(code)}

    @classmethod
    def load(
        cls,
        config: Config,
        rules_dirs: list[str] | tuple[str, ...] = (),
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Engine:
        """Load every plugin (entry points, configured and given rule folders) and check codes."""
        manager = plugin_manager([*config.rules_dirs, *rules_dirs])
        rules = collect_rules(manager)
        config.check_codes(set(rules))
        return cls(config, rules, max_bytes, collect_readers(manager) or [TextReader()])

    @property
    def suffixes(self) -> set[str]:
        """File name endings a folder scan picks up: those some reader takes."""
        return {suffix for reader in self.readers for suffix in reader.suffixes if suffix} - {
            ".csv"
        }

    def audit_file(self, path: str | Path) -> Audit:
        try:
            document = read_document(path, self.readers, self.max_bytes)
            report = parse_document(document, str(path))
        except GkauditError as error:
            return self.audit_unreadable(str(path), error)
        return self.audit_report(report)

    def audit_report(self, report: Report) -> Audit:
        unit_type = self.unit_type(report)
        audit = Audit(report.path or "", report, unit_type)
        for code, rule in self.active.items():
            if rule.batch:
                continue
            try:
                audit.findings.extend(rule().run(report, self._context(code, unit_type)))
            except Exception as error:  # a rule's bug must not cost the other rules' findings
                audit.errors.append(f"rule {code} failed: {type(error).__name__}: {error}")
        audit.findings.sort(key=_order)
        return audit

    def audit_unreadable(self, path: str, error: GkauditError) -> Audit:
        audit = Audit(path, None, "unknown")
        for code, rule in self.active.items():
            audit.findings.extend(
                rule().run_unreadable(path, error, self._context(code, "unknown"))
            )
        return audit

    @property
    def batch_rules(self) -> dict[str, type[Rule]]:
        return {code: rule for code, rule in self.active.items() if rule.batch}

    def audit_batch(self, reports: list[Report]) -> tuple[dict[str, list[Finding]], list[str]]:
        """Batch rules over the batch's reports: findings by report path, and rule failures."""
        found: dict[str, list[Finding]] = {}
        errors = []
        for code, rule in self.batch_rules.items():
            try:
                findings = rule().run_batch(reports, self._context(code, "unknown"))  # type: ignore[attr-defined]
            except Exception as error:
                errors.append(f"batch rule {code} failed: {type(error).__name__}: {error}")
                continue
            for finding in findings:
                found.setdefault(finding.path or "", []).append(finding)
        return found, errors

    def add_batch_findings(self, outcomes: list, reports: list[Report]) -> None:
        """Run the batch rules and file their findings with each outcome (an Audit, or a scan's
        summary: anything with ``path``, ``findings`` and ``errors``), in line order."""
        found, errors = self.audit_batch(reports)
        for outcome in outcomes:
            outcome.findings = sorted([*outcome.findings, *found.get(outcome.path, [])], key=_order)
        if errors and outcomes:
            outcomes[0].errors.extend(errors)

    def unit_type(self, report: Report) -> str:
        return self.config.unit_type_for(report.path, report.unit) or infer_unit_type(report.unit)

    def _context(self, code: str, unit_type: str) -> Context:
        return Context(self.config, unit_type, self.config.severity.get(code))


def _order(finding: Finding) -> tuple[int, int, str]:
    return (finding.line or 0, -finding.severity.rank, finding.code)
