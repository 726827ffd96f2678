"""Running the rules: reports in, findings out. One bad file never stops a batch."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gkaudit.config import Config
from gkaudit.errors import FileTimeout, GkauditError, ReadError
from gkaudit.findings import Finding
from gkaudit.model import Report
from gkaudit.parse import parse_document
from gkaudit.plugins import collect_readers, collect_rules, plugin_manager
from gkaudit.read import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Reader, read_document
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
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        self.config = config
        self.timeout = timeout
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
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> Engine:
        """Load every plugin (entry points, configured and given rule folders) and check codes."""
        manager = plugin_manager([*config.rules_dirs, *rules_dirs])
        rules = collect_rules(manager)
        config.check_codes(set(rules))
        return cls(config, rules, max_bytes, collect_readers(manager) or [TextReader()], timeout)

    @property
    def suffixes(self) -> set[str]:
        """File name endings a folder scan picks up: those some reader takes."""
        return {suffix for reader in self.readers for suffix in reader.suffixes if suffix} - {
            ".csv"
        }

    def audit_file(self, path: str | Path) -> Audit:
        """One file, isolated: whatever goes wrong reading, parsing or auditing it (a reader's
        or the grammar's exception, memory, the time budget) becomes its GK901 finding."""
        name = display_path(path)
        try:
            with deadline(self.timeout):
                document = read_document(path, self.readers, self.max_bytes)
                report = parse_document(document, name)
                return self.audit_report(report)
        except GkauditError as error:
            error.path = name
            return self.audit_unreadable(name, error)
        except FileTimeout:
            seconds = f"{self.timeout:g}"
            error = ReadError(
                f"took longer than {seconds} s", reason="timeout", params={"seconds": seconds}
            )
        except MemoryError:
            error = ReadError("out of memory", reason="out-of-memory")
        except Exception as crash:  # RecursionError, a library's bug on a malformed file, ...
            kind = type(crash).__name__
            error = ReadError(f"internal error ({kind})", reason="internal", params={"kind": kind})
        error.path = name
        return self.audit_unreadable(name, error)

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
            try:
                audit.findings.extend(
                    rule().run_unreadable(path, error, self._context(code, "unknown"))
                )
            except Exception as crash:
                audit.errors.append(f"rule {code} failed: {type(crash).__name__}: {crash}")
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


def display_path(path: str | Path) -> str:
    """A file name every output can carry: bytes that are not UTF-8 shown escaped (\\xff)."""
    name = str(path)
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that came from no file-name byte
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise FileTimeout in this thread after ``seconds`` of wall time (main thread only: the
    scan's workers; elsewhere the worker pool's hard limit stops a file)."""
    usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not seconds or not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
