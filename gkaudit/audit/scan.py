"""A county's submissions in, a ranked inspection out: paths, parallel audit, ranking,
accepted deviations and the rectification baseline (整改复查)."""

from __future__ import annotations

import contextlib
import gc
import glob
import hashlib
import json
import os
import pickle
import re
import selectors
import signal
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast, overload

from gkaudit.audit.config import Config
from gkaudit.audit.engine import Audit, Engine, display_path, in_line_order
from gkaudit.audit.figures import table_figures
from gkaudit.base.errors import GkauditError, ReadError
from gkaudit.base.spool import Spool
from gkaudit.check.findings import RANK, Finding, Severity

if TYPE_CHECKING:
    from gkaudit.check.digest import DigestStore, PackedDigest, PlacedDigest, ReportDigest

REPORT_SUFFIXES = {".txt", ".text", ".md"}  # a folder scan's default; engines pass their readers'
TEMP_SUFFIX = ".gkaudit-tmp"  # an unfinished --output file
EXCERPT_CONTEXT = 2  # source lines kept on each side of a finding, for the HTML report


@dataclass
class ReportResult:
    """One report's place in the scan: who, its findings, its score and rank."""

    path: str
    unit: str | None
    year: int | None
    unit_type: str
    findings: list[Finding]
    errors: list[str] = field(default_factory=list)
    excerpts: dict[int, str] = field(default_factory=dict)
    score: float = 0.0
    rank: int = 0  # 0 for a file that is not ranked (unreadable, or not a report)
    readable: bool = True  # False: unreadable (GK901) or not a report (GK902), never ranked
    hidden: list[Finding] = field(default_factory=list)  # below --min-severity: counted, not shown
    figures: list[Any] = field(default_factory=list)  # table cells, see figures.figure_columns
    comparison: Any = None  # with the unit's previous report: a compare.YearOnYear, or None

    @property
    def counted(self) -> list[Finding]:
        """Findings that count, shown or hidden by --min-severity: not accepted deviations."""
        return [finding for finding in [*self.findings, *self.hidden] if not finding.accepted]

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.counted if finding.severity.value == severity)

    @property
    def subject(self) -> str:
        return self.unit or Path(self.path).stem


class Counted:
    """A finding reduced to what an exit code needs: its severity."""

    __slots__ = ("severity",)

    def __init__(self, severity: Severity) -> None:
        self.severity = severity


# A report's findings in short, for the summaries: ((code, severity, accepted, status), count).
Tally = tuple[tuple[tuple[str, str, bool, str | None], int], ...]


def tally_of(result: ReportResult) -> Tally:
    return tuple(sorted(_tallied([*result.findings, *result.hidden]).items()))


def _tallied(findings: Iterable[Finding]) -> Counter:
    return Counter(
        (finding.code, finding.severity.value, bool(finding.accepted), finding.status)
        for finding in findings
    )


class Entry:
    """What the scan keeps in memory of one report: enough to rank it, count its findings and
    find it again in the spill file. Everything else stays on disk."""

    __slots__ = (  # noqa: RUF023 (in the order of header_of)
        "offset", "serial", "path", "subject", "unit", "year", "unit_type", "readable",
        "score", "counts", "tally", "errors", "rank", "extra", "spill",
    )  # fmt: skip

    def __init__(self, offset: int, serial: int, header: tuple, spill: Spill | None = None) -> None:
        self.offset, self.serial = offset, serial
        self.spill = spill  # where the result lies: a worker's spill (None: the batch's own)
        (self.path, self.subject, self.unit, self.year, self.unit_type, self.readable,
         self.score, self.counts, self.tally, self.errors) = header  # fmt: skip
        self.rank = 0
        self.extra = -1  # where its batch findings are spilled apart (-1: none)

    def rank_key(self) -> tuple:
        return (not self.readable, -self.score, -self.counts[0], self.subject, self.path)


def header_of(result: ReportResult) -> tuple:
    """The in-memory part of a settled result (see Entry)."""
    return (
        result.path, result.subject, result.unit, result.year, result.unit_type,
        result.readable, result.score, severity_counts(result.counted),
        tally_of(result), tuple(result.errors),
    )  # fmt: skip


def severity_counts(counted: Iterable[Finding]) -> tuple[int, int, int]:
    """How many findings count at each severity: (error, warning, info)."""
    by_severity = Counter(finding.severity.value for finding in counted)
    return by_severity["error"], by_severity["warning"], by_severity["info"]


def pack(result: ReportResult) -> tuple[tuple, bytes]:
    """A settled result as the parent stores it: its header and its pickled self."""
    return header_of(result), pickle.dumps(result, pickle.HIGHEST_PROTOCOL)


class Spill(Spool):
    """Results on disk: length-prefixed pickles in an anonymous temporary file."""

    def __init__(self) -> None:
        super().__init__("gkaudit-spill-")

    def write(self, blob: bytes) -> int:
        offset, _size = self.put(len(blob).to_bytes(8, "little") + blob)
        return offset

    def read(self, offset: int) -> Any:
        size = int.from_bytes(self.get(offset, 8), "little")
        return pickle.loads(self.get(offset + 8, size))


@dataclass(slots=True)
class Outcome:
    """A stand-in for a spilled result while batch rules run (``Engine.add_batch_findings``):
    the batch findings and the year-on-year comparison it receives are merged into the stored
    result afterwards."""

    path: str
    unit_type: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    comparison: Any = None  # a compare.YearOnYear, when the unit's previous report is known
    stored: Callable[[], list[Finding]] | None = None  # its own findings, loaded (the archive's)


SHARED_PARTS = {4, 7, 8, 9}  # unit type, counts, tally, errors: mostly equal across reports


class Batch:
    """A scan's results: pickled to a spill file as they arrive, a small Entry each in memory.
    Iterating loads them back one at a time, in the order of the scanned paths."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.spill = Spill()
        self.kept: list[Spill] = []  # the workers' spills, which their results lie in
        self.entries: list[Entry] = []
        self._shared: dict[Any, Any] = {}  # equal tallies and strings stored once
        self.batch_cpu = 0.0  # CPU seconds of the batch rules' stage here (after the audit)
        self.batch_wall = 0.0  # its wall seconds (with --jobs > 1 its rules are spread)

    @classmethod
    def of(cls, results: Iterable[ReportResult], config: Config) -> Batch:
        batch = cls(config)
        for result in results:
            batch.add(settle(result, config))
        return batch

    def add(self, result: ReportResult) -> None:
        self.store(*pack(result))

    def store(
        self,
        header: tuple,
        blob: bytes | int,
        serial: int | None = None,
        spill: Spill | None = None,
    ) -> None:
        """A packed result, or the offset of one a worker wrote to its ``spill`` (kept with
        ``keep``); ``serial``: its position among the scanned paths."""
        header = tuple(
            self._shared.setdefault(part, part) if position in SHARED_PARTS else part
            for position, part in enumerate(header)
        )
        serial = len(self.entries) if serial is None else serial
        if isinstance(blob, bytes):
            blob, spill = self.spill.write(blob), None
        self.entries.append(Entry(blob, serial, header, spill))

    def keep(self, spill: Spill) -> None:
        """A worker's spill, closed with this batch."""
        self.kept.append(spill)

    def put_in_order(self) -> None:
        self.entries.sort(key=lambda entry: entry.serial)
        for serial, entry in enumerate(self.entries):
            entry.serial = serial

    def load(self, entry: Entry) -> ReportResult:
        """The stored result, with the batch findings filed apart (``merge_one``) in place."""
        result: ReportResult = (entry.spill or self.spill).read(entry.offset)
        if entry.extra >= 0:
            extra: list[Finding] = self.spill.read(entry.extra)
            result.findings = in_line_order(result.findings, extra)
            result.score = entry.score
        return result

    def replace(self, entry: Entry, result: ReportResult, resettle: bool = True) -> None:
        """Store a changed result in the place of the entry's: settled again (accepted
        findings, score) unless ``resettle`` is False (it is only to be scored again)."""
        if resettle:
            settle(result, self.config)
        else:
            result.score = score_of(result.counted, self.config)
        header, blob = pack(result)
        fresh = Entry(self.spill.write(blob), entry.serial, header)
        for name in Entry.__slots__:
            setattr(entry, name, getattr(fresh, name))

    def rename(self, old: str, new: str) -> None:
        """A path shown otherwise (standard input saved to a file is shown as ``-``)."""
        for entry in self.entries:
            if entry.path == old:
                result = self.load(entry)
                result.path = new
                self.replace(entry, result)

    def outcomes(self, full: bool) -> list[Any]:
        """What batch rules file their findings with: small stand-ins, which load the stored
        result's findings when ``full`` (the archive records them) asks for them."""
        if full:
            return [
                Outcome(entry.path, entry.unit_type, stored=self._findings_of(entry))
                for entry in self.entries
            ]
        return [Outcome(entry.path, entry.unit_type) for entry in self.entries]

    def _findings_of(self, entry: Entry) -> Callable[[], list[Finding]]:
        return lambda: self.load(entry).findings

    def merge(self, outcomes: list[Any]) -> None:
        """Batch findings and rule failures filed with ``outcomes`` into the stored results."""
        if len(outcomes) != len(self.entries):
            raise ValueError("one outcome per entry")
        for index, outcome in enumerate(outcomes):
            self.merge_one(index, outcome)

    def merge_one(self, index: int, outcome: Any) -> None:
        """The batch findings, rule failures and comparison filed with the outcome of the
        ``index``-th entry, into its stored result; the outcome then holds none of them.
        Batch findings alone are spilled apart, settled on their own (acceptance is per
        finding, the score a sum), and merged in when the result is loaded: the stored result
        is not read and written again."""
        entry = self.entries[index]
        if isinstance(outcome, ReportResult):
            self.replace(entry, outcome)
        elif outcome.errors or outcome.comparison:
            result = self.load(entry)
            result.findings = in_line_order(result.findings, outcome.findings)
            result.errors.extend(outcome.errors)
            result.comparison = outcome.comparison
            self.replace(entry, result)
            outcome.findings, outcome.errors, outcome.comparison = [], [], None
        elif outcome.findings:
            self._file_apart(entry, outcome.findings)
            outcome.findings = []

    def _file_apart(self, entry: Entry, findings: list[Finding]) -> None:
        assert entry.extra < 0, "batch findings are filed once"
        findings = marked_accepted(findings, entry.path, entry.unit, self.config)
        counted = [finding for finding in findings if not finding.accepted]
        added = severity_counts(counted)
        counts = tuple(had + more for had, more in zip(entry.counts, added, strict=True))
        tally = tuple(sorted((Counter(dict(entry.tally)) + _tallied(findings)).items()))
        entry.counts = self._shared.setdefault(counts, counts)
        entry.tally = self._shared.setdefault(tally, tally)
        entry.score = round(entry.score + score_of(counted, self.config), SCORE_DIGITS)
        entry.extra = self.spill.write(pickle.dumps(findings, pickle.HIGHEST_PROTOCOL))

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[ReportResult]:
        return (self.load(entry) for entry in self.entries)

    def close(self) -> None:
        for spill in self.kept:
            spill.close()
        self.spill.close()


def settle(result: ReportResult, config: Config) -> ReportResult:
    """Mark the findings configuration accepts and score the report (hidden findings count:
    --min-severity only hides). Run again after any change to the findings."""
    findings = marked_accepted([*result.findings, *result.hidden], result.path, result.unit, config)
    result.findings, result.hidden = findings, []
    result.score = score_of(result.counted, config)
    return result


# Scores are sums of the weights, rounded to this many decimals: the order of the additions (a
# result's own findings, then its batch findings filed apart) never shows, whatever the weights.
SCORE_DIGITS = 9


def score_of(counted: Iterable[Finding], config: Config) -> float:
    return round(sum(config.weights[finding.severity.value] for finding in counted), SCORE_DIGITS)


def marked_accepted(
    findings: list[Finding], path: str, unit: str | None, config: Config
) -> list[Finding]:
    """The findings, each marked as the configuration accepts it or not (once any is)."""
    if not config.accept and not any(finding.accepted for finding in findings):
        return findings
    return [
        replace(
            finding, accepted=config.acceptance(path, unit, finding.code, finding.message("zh"))
        )
        for finding in findings
    ]


class Reports(Sequence[ReportResult]):
    """A scan's reports in rank order, loaded from the spill file one at a time."""

    def __init__(self, batch: Batch, entries: list[Entry], floor: int) -> None:
        self.batch, self.entries, self.floor = batch, entries, floor

    def __len__(self) -> int:
        return len(self.entries)

    @overload
    def __getitem__(self, index: int) -> ReportResult: ...

    @overload
    def __getitem__(self, index: slice) -> Reports: ...

    def __getitem__(self, index: int | slice) -> ReportResult | Reports:
        if isinstance(index, slice):
            return Reports(self.batch, self.entries[index], self.floor)
        return self._load(self.entries[index])

    def __iter__(self) -> Iterator[ReportResult]:
        return (self._load(entry) for entry in self.entries)

    def _load(self, entry: Entry) -> ReportResult:
        result = self.batch.load(entry)
        result.rank = entry.rank
        result.hidden = [f for f in result.findings if f.severity.rank < self.floor]
        result.findings = [f for f in result.findings if f.severity.rank >= self.floor]
        return result

    def part(self, readable: bool) -> Reports:
        return Reports(self.batch, [e for e in self.entries if e.readable == readable], self.floor)


@dataclass
class ScanResult:
    reports: Sequence[ReportResult]  # in rank order; a Reports view of the spill after finalise
    weights: dict[str, float]
    fixed: list[dict[str, Any]] = field(default_factory=list)  # baseline entries now gone
    baseline: str | None = None
    rules: dict[str, Any] = field(default_factory=dict)  # code -> rule class: titles, advice
    deadline: date | None = None  # 整改期限 of this scan's rectification list and notices
    office: dict[str, dict[str, Any]] = field(default_factory=dict)  # fingerprint -> xlsx row
    floor: int = 1  # the rank of --min-severity: findings below it are hidden

    def office_entry(self, report: ReportResult, finding: Finding) -> dict[str, Any]:
        """What the office wrote about this finding in an xlsx baseline (状态, 整改情况)."""
        return self.office.get(fingerprint(report, finding), {})

    @property
    def findings(self) -> Iterator[tuple[ReportResult, Finding]]:
        for report in self.reports:
            for finding in report.findings:
                yield report, finding

    @property
    def ranked(self) -> Sequence[ReportResult]:
        """The reports in rank order: files that could not be audited are not among them."""
        if isinstance(self.reports, Reports):
            return self.reports.part(readable=True)
        return [report for report in self.reports if report.readable]

    @property
    def unread(self) -> Sequence[ReportResult]:
        """Unreadable files (GK901) and files that are not reports (GK902)."""
        if isinstance(self.reports, Reports):
            return self.reports.part(readable=False)
        return [report for report in self.reports if not report.readable]

    def ranked_by_name(self) -> Sequence[ReportResult]:
        """The ranked reports by unit, year and file (数据汇总's order)."""
        ranked = self.ranked
        if isinstance(ranked, Reports):
            entries = sorted(ranked.entries, key=lambda e: (e.subject, e.year or 0, e.path))
            return Reports(ranked.batch, entries, ranked.floor)
        return sorted(ranked, key=lambda r: (r.subject, r.year or 0, r.path))

    def materialised(self) -> ScanResult:
        """The same scan with every report loaded once: for outputs that need them all at once
        (the HTML page, the notices)."""
        return replace(self, reports=list(self.reports))

    def tallies(self) -> Iterator[tuple[str, str, str, bool, str | None, int]]:
        """Shown findings in short: (path, code, severity, accepted, status, count)."""
        return (row[1:] for row in self._numbered_tallies())

    def _numbered_tallies(self) -> Iterator[tuple[int, str, str, str, bool, str | None, int]]:
        """``tallies`` with each report's number first (a roster's units without a report are
        reports of their own under the roster file's path)."""
        if isinstance(self.reports, Reports):
            pairs = ((e.path, e.tally) for e in self.reports.entries)
        else:
            pairs = ((r.path, tally_of(r)) for r in self.reports)
        for number, (path, tally) in enumerate(pairs):
            for (code, severity, accepted, status), count in tally:
                if RANK[severity] >= self.floor:
                    yield number, path, code, severity, accepted, status, count

    @property
    def shown(self) -> int:
        """How many findings the outputs show (accepted deviations among them)."""
        return sum(tally[-1] for tally in self.tallies())

    @property
    def with_status(self) -> bool:
        """Whether findings have a status to show: a re-check, or accepted deviations."""
        return self.baseline is not None or any(tally[3] for tally in self.tallies())

    def totals(self) -> dict[str, Any]:
        """Shown findings that count, accepted ones, and counted ones by severity and status."""
        totals: dict[str, Any] = {"findings": 0, "accepted": 0, "new": 0, "remaining": 0,
                                  "by_severity": {"error": 0, "warning": 0, "info": 0}}  # fmt: skip
        for _path, _code, severity, accepted, status, count in self.tallies():
            if accepted:
                totals["accepted"] += count
                continue
            totals["findings"] += count
            totals["by_severity"][severity] += count
            if status in ("new", "remaining"):
                totals[status] += count
        return totals

    def exit_outcomes(self) -> list[tuple[str, list[str], list[Counted]]]:
        """Per report: its path, rule failures and counted findings' severities, for the exit
        code."""
        if not isinstance(self.reports, Reports):
            return [(r.path, r.errors, [Counted(f.severity) for f in r.counted]) for r in self.reports]  # noqa: E501  # fmt: skip
        levels = (Severity.ERROR, Severity.WARNING, Severity.INFO)
        return [
            (entry.path, list(entry.errors),
             [Counted(level) for level, n in zip(levels, entry.counts, strict=True) if n])
            for entry in self.reports.entries
        ]  # fmt: skip

    def by_code(self) -> dict[str, dict[str, Any]]:
        """Shown findings per rule: how many at each severity they actually have (a rule's
        severity can differ per finding or by configuration), the worst, and in how many files."""
        summary: dict[str, dict[str, Any]] = {}
        for number, _path, code, severity, accepted, _status, count in self._numbered_tallies():
            if accepted:
                continue
            entry = summary.setdefault(
                code,
                {
                    "severity": severity,
                    "count": 0,
                    "reports": set(),
                    "by_severity": {"error": 0, "warning": 0, "info": 0},
                },
            )
            entry["count"] += count
            entry["by_severity"][severity] += count
            entry["reports"].add(number)
            if RANK[severity] > RANK[entry["severity"]]:
                entry["severity"] = severity  # the worst it reached
        return {
            code: {**entry, "reports": len(entry["reports"])}
            for code, entry in sorted(summary.items())
        }


def collect_paths(patterns: Iterable[str], suffixes: set[str] = REPORT_SUFFIXES) -> list[Path]:
    """Files as given; folders searched recursively for report files; glob patterns expanded."""
    found: dict[Path, None] = {}
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if _listed(file) and file.suffix.lower() in suffixes and not _hidden(file, path):
                    found[file] = None
        elif os.path.lexists(path):  # a file, or a link, FIFO, device: GK901 says what it is
            found[path] = None
        else:
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                raise GkauditError(f"no such file, folder or match: {pattern}")
            for match in matches:
                found.update(dict.fromkeys(collect_paths([match], suffixes)))
    return list(found)


def _listed(file: Path) -> bool:
    """Anything but a folder is an input: a dangling link or a FIFO named like a report is
    listed (and reported unreadable), not silently skipped."""
    try:
        return not file.is_dir()
    except OSError:
        return True


def _hidden(file: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in file.relative_to(root).parts)


# --- auditing, in isolated worker processes ---------------------------------------------

WORKER_MEMORY = 2 * 1024**3  # bytes of address space a worker may map (RLIMIT_AS)
GRACE = 10.0  # seconds past --timeout-per-file before a worker that ignored its alarm is killed
POLL = 0.5  # seconds between checks for a hung worker
PIPELINE = 2  # files sent to a worker ahead of its results: it never waits between two
# A worker's young-generation GC threshold: an audit makes few reference cycles, and collecting
# every 700 allocations cost ~10% of its CPU (benchmarks/scan_throughput.py's profile).
WORKER_GC_THRESHOLDS = (20_000, 20, 20)


def summarise(audit: Audit, with_excerpts: bool = True) -> ReportResult:
    """What a scan keeps of an audit: no parsed report, only findings and, for the outputs
    that show them (HTML), the lines around each finding."""
    report = audit.report
    excerpts: dict[int, str] = {}
    if report is not None and with_excerpts:
        wanted = {
            number
            for finding in audit.findings
            if finding.line
            for number in range(finding.line - EXCERPT_CONTEXT, finding.line + EXCERPT_CONTEXT + 1)
        }
        excerpts = {line.number: line.text for line in report.lines if line.number in wanted}
    return ReportResult(
        path=audit.path,
        unit=report.unit if report else None,
        year=report.year if report else None,
        unit_type=audit.unit_type,
        findings=audit.findings,
        errors=audit.errors,
        excerpts=excerpts,
        readable=report is not None,
        figures=table_figures(report) if report is not None else [],
    )


Packed = tuple[tuple, bytes]  # a settled result's header and pickle (see pack)
Pair = tuple[Packed, "PackedDigest | None"]
# As a worker with files of its own sends it: the pickle's offset in its spill, the digest placed.
Placed = tuple[tuple[tuple, int], "PlacedDigest | None"]


def audit_paths(
    engine: Engine,
    paths: list[Path],
    jobs: int,
    rules_dirs: tuple[str, ...] = (),
    progress: Callable[[int], None] | None = None,
    excerpts: bool = True,
    meanwhile: Callable[[], object] | None = None,
) -> Batch:
    """Audit every path in ``jobs`` worker processes; results in the order of ``paths``.

    Each file is audited in a worker: one that dies (killed, out of memory, crashed) or hangs
    past the time budget costs only its own file, reported as GK901, and is replaced.
    Workers send back settled, pickled summaries, which go straight to the batch's spill
    file; when a batch rule (cross-unit, cross-year) or the archive is active, each also sends
    a compact digest of its report (gkaudit.check.digest), never the whole parsed report, and the
    batch rules run here over the digests. ``excerpts``: keep the lines around each finding
    (only the HTML report shows them). ``meanwhile`` is called once the workers have their
    first files (e.g. to import the output's libraries while they work).
    """
    from gkaudit.check.digest import DigestStore

    names = [str(path) for path in paths]
    keep = engine.wants_digests(len(names))  # for the batch rules or the archive
    batch = Batch(engine.config)
    store = DigestStore(engine.roster)  # the digests, spilled as they arrive
    try:
        if names:
            pool = _WorkerPool(engine, rules_dirs, keep, excerpts)
            pool.sketch = len(names) > 1 or engine.history is not None  # anything to compare
            pool.run(names, jobs, progress, batch, store, meanwhile)
        batch.put_in_order()
        store.put_in_order()
        audited, audited_wall = time.process_time(), time.perf_counter()
        if keep:
            outcomes = batch.outcomes(full=engine.archive is not None)
            reports = cast("list[ReportDigest]", store.refs)  # each loads its digest on use
            engine.add_batch_findings(outcomes, reports, excerpts, batch.merge_one, jobs)
            for orphan in orphan_results(engine.orphans):
                batch.add(settle(orphan, engine.config))
        batch.batch_cpu = time.process_time() - audited  # this process's, after the workers
        batch.batch_wall = time.perf_counter() - audited_wall
    finally:
        store.close()
    return batch


def _audit_one(engine: Engine, path: str, keep: bool, excerpts: bool, sketch: bool = True) -> Pair:
    """``sketch``: make the digest's copying sketch (when there is anything to compare)."""
    from gkaudit.check.digest import pack_digest

    audit = engine.audit_file(path)
    summary = pack(settle(summarise(audit, excerpts), engine.config))
    digest = engine.batch_digest(audit) if keep else None
    return summary, pack_digest(digest, sketch) if digest is not None else None


def _worker_main(
    connection: Any,
    engine: Engine | None,
    setup: tuple,
    keep: bool,
    excerpts: bool,
    sketch: bool = True,
    spill: Spill | None = None,
    spool: Spool | None = None,
) -> None:
    """A worker: audit the paths the parent sends, one at a time, until told to stop. Given
    a ``spill`` and a ``spool`` of its own (opened by the parent before the fork), it writes
    each result and digest there and sends only their places and the digest's head."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    _limit_memory(WORKER_MEMORY)
    if engine is None:  # started by spawn: load the plugins again
        engine = Engine.load(*setup)
    gc.freeze()  # the engine, rules and grammar: never collected, never traversed again
    gc.set_threshold(*WORKER_GC_THRESHOLDS)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        pair = _audit_one(engine, path, keep, excerpts, sketch)
        sent: Pair | Placed = pair
        if spill is not None and spool is not None:
            sent = _placed(pair, spill, spool)
        try:
            try:
                connection.send((index, sent))
            except (pickle.PicklingError, TypeError, AttributeError):  # a rule's odd evidence
                connection.send((index, (sent[0], None)))
        except OSError:  # the parent is gone
            return


def _placed(pair: Pair, spill: Spill, spool: Spool) -> Pair | Placed:
    """The pair written to the worker's own files: (header, offset), and a PlacedDigest."""
    (header, blob), digest = pair
    try:
        offset = spill.write(blob)
        return (header, offset), digest.place(spool) if digest is not None else None
    except OSError:  # its disk is full: the bytes go through the pipe, as without files
        return pair


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the scan's main process dies (even by SIGKILL)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere the worker ends at its next read from the closed pipe


def _limit_memory(limit: int) -> None:
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass  # no rlimits here: the parent still survives a worker the kernel kills


@dataclass
class _Worker:
    process: Any
    connection: Any
    tasks: deque[tuple[int, str]] = field(default_factory=deque)  # sent; the first is running
    started: float = 0.0  # when the first of ``tasks`` started
    refused: bool = False  # a file sent to it failed: it is gone, its end is yet to be seen
    spill: Spill | None = None  # its own files (fork only): its results ...
    spool: int = 0  # ... and its digests (their key in the scan's DigestStore)

    @property
    def task(self) -> tuple[int, str] | None:
        return self.tasks[0] if self.tasks else None


class _WorkerPool:
    def __init__(
        self, engine: Engine, rules_dirs: tuple[str, ...], keep: bool, excerpts: bool
    ) -> None:
        self.engine = engine
        self.keep, self.excerpts = keep, excerpts
        self.sketch = True  # digests with their copying sketch (numpy) for the batch rules
        import multiprocessing  # not on import: only a scan starts workers

        methods = multiprocessing.get_all_start_methods()
        self.context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.inherit = self.context.get_start_method() == "fork"
        self.setup = (engine.config, rules_dirs, engine.max_bytes, engine.timeout)
        self.hard_limit = engine.timeout + GRACE if engine.timeout else None
        self.readiness = _Readiness()
        self.batch: Batch | None = None  # set by run: where workers' files are kept
        self.store: DigestStore | None = None

    def run(
        self,
        names: list[str],
        jobs: int,
        progress: Callable[[int], None] | None,
        batch: Batch,
        reports: DigestStore,
        meanwhile: Callable[[], object] | None = None,
    ) -> None:
        """Results into ``batch`` as they come; report digests (when kept) into ``reports``.

        Each worker holds up to PIPELINE files: the one it audits and the next, so it never
        waits for this process between two files."""
        queue = deque(enumerate(names))
        self.batch, self.store = batch, reports  # where a new worker's files are kept
        workers = [self._spawn() for _ in range(max(1, min(jobs, len(names))))]
        try:
            while queue or any(worker.tasks for worker in workers):
                for position, worker in enumerate(workers):
                    while queue and len(worker.tasks) < PIPELINE and not worker.refused:
                        workers[position] = worker = self._assign(worker, queue)
                if meanwhile is not None:
                    meanwhile()
                    meanwhile = None
                ready = self.readiness.ready(POLL)
                for position, worker in enumerate(workers):
                    if not worker.tasks:
                        if worker.refused:  # it refused a file, yet finished the others
                            self._stop(worker)
                            workers[position] = self._spawn()
                        elif worker.process.sentinel in ready:  # it ended idle: nothing to wait for
                            self.readiness.forget(worker)
                        continue
                    collected = self._collect(worker, ready)
                    if collected is None:
                        continue
                    pair, lost = collected
                    index, _path = worker.tasks.popleft()
                    worker.started = time.monotonic()
                    (header, blob), report = pair
                    batch.store(header, blob, serial=index, spill=worker.spill)
                    if report is not None:
                        reports.add(report, serial=index, spool=worker.spool)
                    if progress:
                        progress(1)
                    if lost:  # it died or was killed: its next files go to a new worker
                        queue.extendleft(reversed(worker.tasks))
                        self._stop(worker)
                        workers[position] = self._spawn()
        finally:
            for worker in workers:
                self._stop(worker)
            self.readiness.close()

    def _spawn(self) -> _Worker:
        """A new worker; forked, with files of its own for its results and digests."""
        parent, child = self.context.Pipe()
        engine = self.engine if self.inherit else None
        spill, spool = (Spill(), Spool("gkaudit-digests-")) if self.inherit else (None, None)
        process = self.context.Process(
            target=_worker_main,
            args=(child, engine, self.setup, self.keep, self.excerpts, self.sketch, spill, spool),
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if spill is not None and spool is not None:
            assert self.batch is not None and self.store is not None
            self.batch.keep(spill)
            worker.spill, worker.spool = spill, self.store.adopt(spool)
        self.readiness.watch(worker)
        return worker

    def _assign(self, worker: _Worker, queue: deque[tuple[int, str]]) -> _Worker:
        """The next file of the queue to the worker (a new one if it died idle)."""
        task = queue.popleft()
        try:
            worker.connection.send(task)
        except OSError:
            if worker.tasks:  # it died holding files: _collect reports the one it was auditing
                queue.appendleft(task)
                worker.refused = True
                return worker
            self._stop(worker)  # it died before it took a file: the file goes to a new one
            worker = self._spawn()
            worker.connection.send(task)
        if not worker.tasks:
            worker.started = time.monotonic()
        worker.tasks.append(task)
        return worker

    def _collect(self, worker: _Worker, ready: set[Any]) -> tuple[Pair, bool] | None:
        """The result of the file the worker is auditing, when it has one (its pipe is among
        the ``ready``), and whether the worker was lost on it: a GK901 pair when it died (its
        sentinel is ready, its pipe empty) or hung; else None (still at work)."""
        assert worker.task is not None
        path = worker.task[1]
        try:
            if worker.connection in ready:
                _index, pair = worker.connection.recv()
                return pair, False
        except (EOFError, OSError, pickle.UnpicklingError):
            pass  # it died while sending
        else:
            if worker.process.sentinel not in ready:
                if self.hard_limit and time.monotonic() - worker.started > self.hard_limit:
                    self._stop(worker, kill=True)
                    seconds = f"{self.engine.timeout:g}"
                    return self._lost(path, ReadError(
                        f"took longer than {seconds} s", reason="timeout",
                        params={"seconds": seconds},
                    )), True  # fmt: skip
                return None
        worker.process.join(1)
        return self._lost(path, _died(worker.process.exitcode)), True

    def _lost(self, path: str, error: ReadError) -> Pair:
        name = display_path(path)
        error.path = name
        result = summarise(self.engine.audit_unreadable(name, error))
        return pack(settle(result, self.engine.config)), None

    def _stop(self, worker: _Worker, kill: bool = False) -> None:
        self.readiness.forget(worker)
        if kill:
            worker.process.kill()
        else:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        worker.process.join(2)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(2)
        worker.connection.close()


class _Readiness:
    """The workers' pipes and process sentinels, waited on together: one selector for the
    whole scan where pipes can be selected (POSIX), else multiprocessing's wait, which makes
    one at each call (Windows)."""

    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector() if os.name == "posix" else None
        self.watched: dict[Any, None] = {}  # a set in insertion order

    def watch(self, worker: _Worker) -> None:
        for source in (worker.connection, worker.process.sentinel):
            self.watched[source] = None
            if self.selector is not None:
                self.selector.register(source, selectors.EVENT_READ)

    def forget(self, worker: _Worker) -> None:
        for source in (worker.connection, worker.process.sentinel):
            if source in self.watched:
                del self.watched[source]
                if self.selector is not None:
                    self.selector.unregister(source)

    def ready(self, timeout: float) -> set[Any]:
        """The watched pipes with something to read and sentinels of ended processes."""
        if self.selector is None:
            from multiprocessing.connection import wait

            return set(wait(list(self.watched), timeout)) if self.watched else set()
        if not self.watched:
            return set()
        return {key.fileobj for key, _events in self.selector.select(timeout)}

    def close(self) -> None:
        if self.selector is not None:
            self.selector.close()


def _died(exitcode: int | None) -> ReadError:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        how = {"zh": f"被信号 {name} 终止", "en": f"killed by {name}"}
        if name == "SIGKILL":
            how = {
                "zh": "被强制终止（SIGKILL，常因内存耗尽）",
                "en": "killed (SIGKILL, often out of memory)",
            }
    else:
        how = {"zh": f"退出码 {exitcode}", "en": f"exit code {exitcode}"}
    return ReadError(
        f"worker process died ({how['en']})", reason="worker-died", params={"how": how}
    )


def orphan_results(findings: list[Finding]) -> list[ReportResult]:
    """An entry per (file, unit) for batch findings of no scanned file: a roster unit without a
    report (GK607), located in the roster file."""
    grouped: dict[tuple[str, str | None], list[Finding]] = {}
    for finding in findings:
        grouped.setdefault((finding.path or "", finding.unit), []).append(finding)
    return [
        ReportResult(path, unit, None, "unknown", sorted(group, key=lambda f: f.line or 0))
        for (path, unit), group in grouped.items()
    ]


# --- ranking, acceptance, baseline ------------------------------------------------------


def finalise(
    results: Batch | Iterable[ReportResult],
    config: Config,
    min_severity: str = "info",
    baseline: dict[str, Any] | None = None,
    baseline_name: str | None = None,
) -> ScanResult:
    """Compare with a baseline, then rank the readable reports by score; findings below
    ``min_severity`` are hidden from the outputs (hidden findings still score: hiding only
    hides). Findings are accepted and scored when a result is settled (``settle``).

    Unreadable files and non-reports keep rank 0 and come after the ranked reports.
    """
    batch = results if isinstance(results, Batch) else Batch.of(results, config)
    scan = ScanResult([], dict(config.weights), baseline=baseline_name)
    scan.deadline = date.today() + timedelta(days=config.rectification_days)
    if baseline is not None:
        scan.office = {
            entry["fingerprint"]: entry for entry in baseline["findings"] if entry.get("office")
        }
        scan.fixed = _compare(batch, baseline)
    entries = sorted(batch.entries, key=Entry.rank_key)
    position = 0
    for entry in entries:
        position += entry.readable
        entry.rank = position if entry.readable else 0
    scan.floor = Severity(min_severity).rank
    scan.reports = Reports(batch, entries, scan.floor)
    return scan


# What may change between two scans of the same reports: line numbers, and the folders of the
# files a message names (another unit's report, last year's), e.g. a re-check in a new folder.
LINE_NUMBER = re.compile(r"第\d+行|line \d+")
FOLDERS = re.compile(
    r"(?:[^\s/\\“”\"'‘’《》（）()，,。；;：:、<>]*[/\\])+"  # folders, each ending in / or \\
    r"(?=[^\s/\\]+\.[A-Za-z]{2,8}(?![A-Za-z0-9]))"  # before a file name with its suffix
)


def fingerprint(result: ReportResult, finding: Finding) -> str:
    """Identity of a finding across scans: report, code and content — not its line number,
    nor the folders of the files its message names."""
    content = FOLDERS.sub("", LINE_NUMBER.sub("", finding.message("zh")))
    key = f"{result.subject}|{result.year}|{finding.code}|{content}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def baseline_entries(results: Iterable[ReportResult]) -> Iterator[dict[str, Any]]:
    for result in results:
        for finding in [*result.findings, *result.hidden]:  # hidden ones too: they count
            if not finding.accepted:
                yield {
                    "fingerprint": fingerprint(result, finding),
                    "unit": result.subject,
                    "year": result.year,
                    "path": result.path,
                    "code": finding.code,
                    "message": finding.message("zh"),
                }


def write_baseline_file(path: str | Path, results: Iterable[ReportResult]) -> None:
    """--write-baseline: the baseline's JSON, one finding at a time."""

    def chunks() -> Iterator[bytes]:
        yield b'{\n "tool": "gkaudit",\n "format": 1,\n "findings": ['
        separator = b"\n  "
        for entry in baseline_entries(results):
            yield separator + json.dumps(entry, ensure_ascii=False).encode("utf-8")
            separator = b",\n  "
        yield b"\n ]\n}"

    write_atomically(path, chunks())


def load_baseline(path: str) -> dict[str, Any]:
    """A JSON baseline (--write-baseline), or a rectification list (整改清单.xlsx) with the
    office's statuses and notes (``office``) read back."""
    if Path(path).suffix.lower() == ".xlsx":
        from gkaudit.audit.rectification import read_rectification_list

        return read_rectification_list(path)
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GkauditError(f"baseline {path}: cannot read: {error}") from None
    if not isinstance(data, dict) or data.get("tool") != "gkaudit" or "findings" not in data:
        raise GkauditError(
            f"baseline {path}: not a gkaudit baseline (write one with --write-baseline)"
        )
    return data


OFFICE_ACCEPTS = ("不予整改", "说明理由")  # statuses by which the office accepts a finding
OFFICE_FIXED = "已整改"


def _office_verdict(finding: Finding, entry: dict[str, Any] | None) -> Finding:
    """A finding found again, judged by what the office wrote in the rectification list:
    accepted (not scored) when it decided 不予整改 or took the unit's 说明理由; "claimed" when
    the unit said 已整改 but the finding is still there."""
    if finding.status != "remaining" or not entry or not entry.get("office"):
        return finding
    status, note = entry["office"].get("status", ""), entry["office"].get("note", "")
    if status in OFFICE_ACCEPTS:
        return replace(finding, accepted=f"{status}：{note}" if note else status)
    if status == OFFICE_FIXED:
        return replace(finding, status="claimed")
    return finding


def _compare(batch: Batch, baseline: dict[str, Any]) -> list[dict[str, Any]]:
    """Mark each counted finding new or remaining (found again); the baseline entries found
    nowhere are returned: fixed."""
    remaining = Counter(entry["fingerprint"] for entry in baseline["findings"])
    office = {entry["fingerprint"]: entry for entry in baseline["findings"] if entry.get("office")}
    for entry in batch.entries:
        result = batch.load(entry)
        marked = []
        for finding in result.findings:
            if finding.accepted:
                marked.append(finding)
                continue
            key = fingerprint(result, finding)
            status = "remaining" if remaining[key] > 0 else "new"
            remaining[key] -= status == "remaining"
            marked.append(_office_verdict(replace(finding, status=status), office.get(key)))
        result.findings = marked
        batch.replace(entry, result, resettle=False)
    fixed = []
    for entry in baseline["findings"]:
        if remaining[entry["fingerprint"]] > 0:
            remaining[entry["fingerprint"]] -= 1
            fixed.append(entry)
    return fixed


def write_atomically(
    path: str | Path, data: bytes | Iterable[bytes] | Callable[[BinaryIO], None]
) -> None:
    """Write the whole file or nothing: a hidden temporary file beside it, then a rename.

    ``data``: the bytes, or chunks of them (written as they come), or a function that writes
    into the open file.

    The temporary file is removed on any failure or interruption (SIGINT, and SIGTERM which the
    command line turns into an exception); one left by a killed run is named
    ``.NAME.*.gkaudit-tmp``, never the output's name, so it is never mistaken for output.
    """
    target = Path(path)
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
        )
    except OSError as error:
        raise GkauditError(f"cannot write {target}: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~_umask())  # as open() would create it
            if isinstance(data, bytes):
                handle.write(data)
            elif callable(data):
                data(handle)
            else:
                for chunk in data:
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise GkauditError(f"cannot write {target}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
