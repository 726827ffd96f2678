"""Running the rules: reports in, findings out. One bad file never stops a batch."""

from __future__ import annotations

import hashlib
import json
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkaudit.audit.config import Config
from gkaudit.audit.spread import spread
from gkaudit.base.errors import FileTimeout, GkauditError, ReadError
from gkaudit.base.spool import Spool
from gkaudit.check.findings import Finding
from gkaudit.check.rule import Context, Rule
from gkaudit.model.report import Report
from gkaudit.model.units import infer_unit_type
from gkaudit.parse.parser import parse_document
from gkaudit.plugins import collect_readers, collect_rules, plugin_manager
from gkaudit.read.readers.text import TextReader
from gkaudit.read.source import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Reader,
    read_bytes,
    read_document,
)

if TYPE_CHECKING:
    from gkaudit.audit.archive import Archive, History
    from gkaudit.check.digest import ReportDigest
    from gkaudit.check.roster import Roster


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
        self.readers: list[Reader] = readers if readers is not None else [TextReader()]
        # A file shown under another name than its path in every finding and output (standard
        # input, saved to a temporary file the readers can open, is shown as ``-``).
        self.shown_names: dict[str, str] = {}
        self.active = {code: rule for code, rule in rules.items() if config.enabled(code)}
        # Across documents (set by scan): the roster, the past, and the archive to write to.
        self.roster: Roster | None = None
        self.history: History | None = None
        self.archive: Archive | None = None
        self._cache: Archive | None = None  # the configured archive, read-only, for hash hits
        self.orphans: list[Finding] = []  # batch findings that belong to no file of the batch

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
        config.check_rule_options(rules)
        return cls(config, rules, max_bytes, collect_readers(manager) or [TextReader()], timeout)

    @property
    def suffixes(self) -> set[str]:
        """File name endings a folder scan picks up: those some reader takes."""
        return {suffix for reader in self.readers for suffix in reader.suffixes if suffix} - {
            ".csv"
        }

    def audit_file(self, path: str | Path) -> Audit:
        """One file, isolated: whatever goes wrong reading, parsing or auditing it (a reader's
        or the grammar's exception, memory, the time budget) becomes its GK901 finding. A file
        whose bytes the archive holds under the same rules is not parsed again."""
        name = self.shown_names.get(str(path)) or display_path(path)
        try:
            digest = self._content_hash(path)
            if digest and (cached := self._cached_audit(name, digest)):
                return cached
            with deadline(self.timeout):
                document = read_document(path, self.readers, self.max_bytes)
                report = parse_document(document, name)
                if digest:
                    report.derived["content_hash"] = digest
                return self.audit_report(report)
        except GkauditError as error:
            error.path = name
            return self.audit_unreadable(name, error)
        except (FileTimeout, MemoryError, Exception) as crash:
            failure = self._failure(crash)
            failure.path = name
            return self.audit_unreadable(name, failure)

    def _failure(self, crash: BaseException) -> ReadError:
        """What went wrong outside the readers' own errors, as the file's reason for GK901."""
        if isinstance(crash, FileTimeout):
            seconds = f"{self.timeout:g}"
            return ReadError(
                f"took longer than {seconds} s", reason="timeout", params={"seconds": seconds}
            )
        if isinstance(crash, MemoryError):
            return ReadError("out of memory", reason="out-of-memory")
        kind = type(crash).__name__  # RecursionError, a library's bug on a malformed file, ...
        return ReadError(f"internal error ({kind})", reason="internal", params={"kind": kind})

    def wants_digests(self, files: int) -> bool:
        """Whether a scan of ``files`` files needs its reports' digests: for the archive, and
        for the batch rules when they have anything to compare (two files or more, a roster, or
        earlier reports) — a lone file checked on its own needs none."""
        if self.config.archive:
            return True
        comparable = files > 1 or self.roster is not None or self.history is not None
        return comparable and bool(self.batch_rules)

    @cached_property
    def rules_fingerprint(self) -> str:
        """What per-report findings depend on: tool version, the rules as written (their source
        files or YAML definitions: a rule edited or upgraded is a new rule) and their
        configuration."""
        from gkaudit import __version__

        config = self.config
        key = [
            __version__,
            sorted(
                (code, _rule_source(rule)) for code, rule in self.active.items() if not rule.batch
            ),
            {code: severity.value for code, severity in sorted(config.severity.items())},
            config.thresholds, config.deadlines, config.unit_types, self.max_bytes,
            config.rule_options,
        ]  # fmt: skip
        return hashlib.sha1(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()

    def _content_hash(self, path: str | Path) -> str | None:
        if not self.config.archive:
            return None
        from gkaudit.audit.archive import content_hash

        try:  # within the budgets: a FIFO or a huge file is the reading's finding, not a hang
            return content_hash(read_bytes(path, self.max_bytes))
        except GkauditError:
            return None

    def _cached_audit(self, path: str, digest: str) -> Audit | None:
        """The archived audit of a file with these bytes under these rules (not parsed again)."""
        from gkaudit.audit.archive import Archive, ArchiveError

        if self._cache is None:
            if not Path(self.config.archive or "").is_file():
                return None
            try:
                self._cache = Archive(self.config.archive or "", readonly=True)
            except ArchiveError:
                return None
        hit = self._cache.cached(digest, self.rules_fingerprint)
        if hit is None:
            return None
        report, findings, unit_type = hit
        report.path = path
        return Audit(path, report, unit_type, [replace(f, path=path) for f in findings])

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
        # The rules' shared views are done with: a report sent on to the batch travels light.
        kept = {key: report.derived[key] for key in ("content_hash",) if key in report.derived}
        report.derived.clear()
        report.derived.update(kept)
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

    def batch_digest(self, audit: Audit) -> ReportDigest | None:
        """What a worker sends back of a report for the batch rules and the archive."""
        if audit.report is None:
            return None
        from gkaudit.audit.archive import batch_digest

        return batch_digest(audit.report, self.roster, audit.unit_type, bool(self.config.archive))

    def audit_batch(
        self, reports: list[ReportDigest], processes: int = 1
    ) -> tuple[BatchFindings, list[str]]:
        """Batch rules over the batch's report digests: findings by path (spilled to disk as
        the rules yield them), and rule failures. A rule that fails files no finding. With
        ``processes`` > 1 the rules are spread over forked processes, each taking the next
        rule in turn, the heaviest first (``BatchRule.cost``); findings come back in the
        rules' order whichever process ran them."""
        rules = list(self.batch_rules.items())
        costs = [getattr(rule, "cost", 1) for _code, rule in rules]
        heaviest_first = sorted(range(len(rules)), key=lambda index: -costs[index])
        shared: dict = {}  # views computed once per process and shared by its rules

        def run(turn: int, spool: Spool) -> tuple[list[Placed], str | None]:
            code, rule = rules[heaviest_first[turn]]
            context = self._context(code, "unknown")
            context.roster, context.history, context.shared = self.roster, self.history, shared
            try:
                return write_findings(spool, _batch_findings(rule(), reports, context)), None
            except Exception as error:
                return [], f"batch rule {code} failed: {type(error).__name__}: {error}"

        found = BatchFindings()
        if len(reports) < SPREAD_FROM:
            processes = 1  # a second process would cost what it saves
        ran, spools, ended = spread(run, len(rules), processes, found, self._after_fork)
        found.keep(spools)
        results = {heaviest_first[turn]: result for turn, result in ran.items()}
        errors = []
        for index, (code, _rule) in enumerate(rules):
            if index not in results:
                errors.append(f"batch rule {code} failed: its process ended ({_how(ended)})")
                continue
            spool, (placed, error) = results[index]
            found.index(placed, spool)
            if error:
                errors.append(error)
        return found, errors

    def _after_fork(self) -> None:
        """In a forked process running batch rules: its own handle on the archive."""
        if self.history is not None:
            self.history.after_fork()

    def add_batch_findings(
        self,
        outcomes: list,
        reports: list[ReportDigest],
        comparisons: bool = True,
        filed: Callable[[int, Any], None] | None = None,
        processes: int = 1,
    ) -> None:
        """Run the batch rules (over ``processes`` processes) and file their findings with
        each outcome (an Audit, or a scan's summary: anything with ``path``, ``findings`` and
        ``errors``), in line order. A scan's summary also gets its year-on-year comparison,
        when the unit's previous report is known and ``comparisons`` are wanted (only the HTML
        report shows them). ``filed(i, outcome)`` is called as each outcome is complete (a
        scan stores it and lets it go)."""
        found, errors = (
            self.audit_batch(reports, processes) if self.batch_rules else (BatchFindings(), [])
        )
        try:
            if self.archive is not None:
                self.record(outcomes, reports)
            self._attach_comparisons(outcomes, reports, comparisons)
            if errors and outcomes:
                outcomes[0].errors.extend(errors)
            for index, outcome in enumerate(outcomes):
                mine = found.pop(outcome.path)
                if mine:
                    outcome.findings = in_line_order(outcome.findings, mine)
                if filed is not None:
                    filed(index, outcome)
            # Findings of no file of the batch (a roster unit without a report: GK607, located
            # at the roster's row) are kept for the caller to show as entries of their own.
            self.orphans = found.rest()
        finally:
            found.close()

    def _attach_comparisons(
        self, outcomes: list, reports: list[ReportDigest], wanted: bool = True
    ) -> None:
        """Each scan summary's year-on-year comparison (for the HTML report, when ``wanted``);
        the digests and the history's earlier reports are then let go."""
        if wanted:
            from gkaudit.check.compare import year_on_year

            pairs = year_on_year(reports, self.roster, self.history)
            for outcome in outcomes:
                if hasattr(outcome, "comparison"):
                    outcome.comparison = pairs.get(outcome.path)
        for report in reports:
            report.lighten()
        if self.history is not None:
            self.history.release()

    def record(self, outcomes: list, reports: list[ReportDigest]) -> None:
        """Write the scan to the archive in one transaction: each report's model, content hash,
        per-report findings and (unit, year) as the roster binds it."""
        from gkaudit.audit.archive import _now, archive_entry
        from gkaudit.check.roster import bind

        assert self.archive is not None
        started = _now()
        by_path = {outcome.path: outcome for outcome in outcomes}
        rules = self.rules_fingerprint

        def entries():  # one at a time: a scan's models are never all serialised at once
            for report in reports:
                outcome = by_path.get(report.path or "")
                if outcome is None:
                    continue
                stored = getattr(outcome, "stored", None)  # a scan's result, on disk
                own = stored() if stored is not None else outcome.findings
                findings = [f for f in own if f.code not in self.batch_rules]
                binding = bind(report, self.roster)
                entry = archive_entry(report, findings, binding, rules, outcome.unit_type)
                if entry:
                    yield entry

        self.archive.record_scan(entries(), started)

    def unit_type(self, report: Report) -> str:
        return self.config.unit_type_for(report.path, report.unit) or infer_unit_type(report.unit)

    def _context(self, code: str, unit_type: str) -> Context:
        context = Context(self.config, unit_type, self.config.severity.get(code))
        rule = self.rules.get(code)
        if rule is not None and rule.options:
            context.options = self.config.options_of(rule)
        return context


def _batch_findings(rule: Rule, reports: list[ReportDigest], context: Context) -> Iterator[Finding]:
    """A batch rule's findings one at a time (a rule that overrides ``run_batch``: its list)."""
    from gkaudit.check.rule import BatchRule

    if getattr(type(rule), "run_batch", None) is not BatchRule.run_batch:
        yield from rule.run_batch(reports, context)  # type: ignore[attr-defined]
        return
    for result in rule.check_batch(reports, context):  # type: ignore[attr-defined]
        yield rule.make_finding(result, context, None, None, None)


Placed = tuple[str, int, int]  # a finding pickled in a spool: (path, offset, size)
# Batch rules are spread over processes from this many reports. Measured (--jobs 2, the batch
# stage's wall time, one process against two): 0.19 against 0.22 s for 1,000 reports (a fork,
# each process's own views, numpy loaded again), 1.31 against 0.79 s for 10,000.
SPREAD_FROM = 2000


def write_findings(spool: Spool, findings: Iterable[Finding]) -> list[Placed]:
    """Each finding pickled into ``spool`` as it is made: where each one went."""
    placed = []
    for finding in findings:
        offset, size = spool.put(pickle.dumps(finding, pickle.HIGHEST_PROTOCOL))
        placed.append((finding.path or "", offset, size))
    return placed


class BatchFindings(Spool):
    """Batch findings by path, pickled to an anonymous temporary file as they are made (or to
    the spool of the process that ran the rule): a rule finding something in most of 50,000
    reports holds none of them in memory. A rule's findings count only once it has finished
    (``write_findings``, then ``index``)."""

    def __init__(self) -> None:
        super().__init__("gkaudit-batch-")
        self.by_path: dict[str, list[tuple[Spool, int, int]]] = {}  # in order
        self.kept: list[Spool] = []  # other processes' spools, closed with this one

    def index(self, placed: list[Placed], spool: Spool | None = None) -> None:
        """Findings written to ``spool`` (this one by default) count now."""
        for path, offset, size in placed:
            self.by_path.setdefault(path, []).append((spool or self, offset, size))

    def keep(self, spools: list[Spool]) -> None:
        self.kept.extend(spools)

    def pop(self, path: str) -> list[Finding]:
        return [_load(*where) for where in self.by_path.pop(path, ())]

    def rest(self) -> list[Finding]:
        return [_load(*where) for places in self.by_path.values() for where in places]

    def close(self) -> None:
        for spool in self.kept:
            spool.close()
        super().close()


def _how(ended: list[int]) -> str:
    """How processes ended: "exit code 7", "signal 9" (as multiprocessing reports a kill)."""
    return ", ".join(f"signal {-code}" if code < 0 else f"exit code {code}" for code in ended)


def _load(spool: Spool, offset: int, size: int) -> Finding:
    finding: Finding = pickle.loads(spool.get(offset, size))
    return finding


def in_line_order(findings: list[Finding], more: list[Finding]) -> list[Finding]:
    """Two lists of a report's findings as one, in the order every output shows them."""
    return sorted([*findings, *more], key=_order)


def _order(finding: Finding) -> tuple[int, int, str]:
    return (finding.line or 0, -finding.severity.rank, finding.code)


def _rule_source(rule: type[Rule]) -> str:
    """A digest of what a rule is: its YAML definition, or the source file of its module."""
    declared = getattr(rule, "declared_as", None)
    if declared is not None:
        text = json.dumps(declared, sort_keys=True, default=str).encode("utf-8")
        return hashlib.sha1(text).hexdigest()
    file = getattr(sys.modules.get(rule.__module__), "__file__", None)
    if file:
        try:
            return hashlib.sha1(Path(file).read_bytes()).hexdigest()
        except OSError:
            pass
    return f"{rule.__module__}.{rule.__qualname__}"


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
