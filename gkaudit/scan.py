"""A county's submissions in, a ranked inspection out: paths, parallel audit, ranking,
accepted deviations and the rectification baseline (整改复查)."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import multiprocessing
import os
import pickle
import re
import signal
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkaudit.config import Config
from gkaudit.engine import Audit, Engine, display_path
from gkaudit.errors import GkauditError, ReadError
from gkaudit.figures import table_figures
from gkaudit.findings import Finding, Severity

if TYPE_CHECKING:
    from gkaudit.digest import ReportDigest

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


@dataclass
class ScanResult:
    reports: list[ReportResult]
    weights: dict[str, float]
    fixed: list[dict[str, Any]] = field(default_factory=list)  # baseline entries now gone
    baseline: str | None = None
    rules: dict[str, Any] = field(default_factory=dict)  # code -> rule class: titles, advice
    deadline: date | None = None  # 整改期限 of this scan's rectification list and notices
    office: dict[str, dict[str, Any]] = field(default_factory=dict)  # fingerprint -> xlsx row

    def office_entry(self, report: ReportResult, finding: Finding) -> dict[str, Any]:
        """What the office wrote about this finding in an xlsx baseline (状态, 整改情况)."""
        return self.office.get(fingerprint(report, finding), {})

    @property
    def findings(self) -> Iterator[tuple[ReportResult, Finding]]:
        for report in self.reports:
            for finding in report.findings:
                yield report, finding

    @property
    def ranked(self) -> list[ReportResult]:
        """The reports in rank order: files that could not be audited are not among them."""
        return [report for report in self.reports if report.readable]

    @property
    def unread(self) -> list[ReportResult]:
        """Unreadable files (GK901) and files that are not reports (GK902)."""
        return [report for report in self.reports if not report.readable]

    def by_code(self) -> dict[str, dict[str, Any]]:
        """Shown findings per rule: how many at each severity they actually have (a rule's
        severity can differ per finding or by configuration), the worst, and in how many files."""
        summary: dict[str, dict[str, Any]] = {}
        for report, finding in self.findings:
            if finding.accepted:
                continue
            entry = summary.setdefault(
                finding.code,
                {
                    "severity": finding.severity.value,
                    "count": 0,
                    "reports": set(),
                    "by_severity": {"error": 0, "warning": 0, "info": 0},
                },
            )
            entry["count"] += 1
            entry["by_severity"][finding.severity.value] += 1
            entry["reports"].add(report.path)
            if finding.severity.rank > Severity(entry["severity"]).rank:
                entry["severity"] = finding.severity.value  # the worst it reached
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


def summarise(audit: Audit) -> ReportResult:
    """What a scan keeps of an audit: no parsed report, only findings and nearby lines."""
    report = audit.report
    excerpts: dict[int, str] = {}
    if report is not None:
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


Pair = tuple[ReportResult, "ReportDigest | None"]


def audit_paths(
    engine: Engine,
    paths: list[Path],
    jobs: int,
    rules_dirs: tuple[str, ...] = (),
    progress: Callable[[int], None] | None = None,
) -> list[ReportResult]:
    """Audit every path in ``jobs`` worker processes; results in the order of ``paths``.

    Each file is audited in a worker: one that dies (killed, out of memory, crashed) or hangs
    past the time budget costs only its own file, reported as GK901, and is replaced.
    Workers send back small summaries; when a batch rule (cross-unit, cross-year) or the archive
    is active, each also sends a compact digest of its report (gkaudit.digest), never the whole
    parsed report, and the batch rules run here over the digests.
    """
    names = [str(path) for path in paths]
    keep = engine.wants_reports  # batch rules or the archive need the reports' digests
    pairs = _WorkerPool(engine, rules_dirs, keep).run(names, jobs, progress) if names else []
    results = [result for result, _ in pairs]
    if keep:
        engine.add_batch_findings(results, [report for _, report in pairs if report])
        results.extend(orphan_results(engine.orphans))
    return results


def _audit_one(engine: Engine, path: str, keep: bool) -> Pair:
    audit = engine.audit_file(path)
    return summarise(audit), engine.batch_digest(audit) if keep else None


def _worker_main(connection: Any, engine: Engine | None, setup: tuple, keep: bool) -> None:
    """A worker: audit the paths the parent sends, one at a time, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    _limit_memory(WORKER_MEMORY)
    if engine is None:  # started by spawn: load the plugins again
        engine = Engine.load(*setup)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        pair = _audit_one(engine, path, keep)
        try:
            try:
                connection.send((index, pair))
            except (pickle.PicklingError, TypeError, AttributeError):  # a rule's odd evidence
                connection.send((index, (pair[0], None)))
        except OSError:  # the parent is gone
            return


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
    task: tuple[int, str] | None = None
    started: float = 0.0


class _WorkerPool:
    def __init__(self, engine: Engine, rules_dirs: tuple[str, ...], keep: bool) -> None:
        self.engine = engine
        self.keep = keep
        methods = multiprocessing.get_all_start_methods()
        self.context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.inherit = self.context.get_start_method() == "fork"
        self.setup = (engine.config, rules_dirs, engine.max_bytes, engine.timeout)
        self.hard_limit = engine.timeout + GRACE if engine.timeout else None

    def run(
        self, names: list[str], jobs: int, progress: Callable[[int], None] | None
    ) -> list[Pair]:
        outcomes: list[Pair | None] = [None] * len(names)
        queue = deque(enumerate(names))
        workers = [self._spawn() for _ in range(max(1, min(jobs, len(names))))]
        try:
            while queue or any(worker.task for worker in workers):
                for position, worker in enumerate(workers):
                    if worker.task is None and queue:
                        workers[position] = worker = self._assign(worker, queue.popleft())
                busy = [worker for worker in workers if worker.task]
                waitables = [w.connection for w in busy] + [w.process.sentinel for w in busy]
                if waitables:
                    wait(waitables, timeout=POLL)
                for position, worker in enumerate(workers):
                    if worker.task is None:
                        continue
                    index = worker.task[0]
                    pair = self._collect(worker)
                    if pair is None:
                        continue
                    outcomes[index], worker.task = pair, None
                    if progress:
                        progress(1)
                    if not worker.process.is_alive():  # it died or was killed: replace it
                        self._stop(worker)
                        workers[position] = self._spawn()
        finally:
            for worker in workers:
                self._stop(worker)
        return [pair for pair in outcomes if pair is not None]

    def _spawn(self) -> _Worker:
        parent, child = self.context.Pipe()
        engine = self.engine if self.inherit else None
        process = self.context.Process(
            target=_worker_main, args=(child, engine, self.setup, self.keep), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _assign(self, worker: _Worker, task: tuple[int, str]) -> _Worker:
        try:
            worker.connection.send(task)
        except OSError:  # the worker died before it took a file: the file goes to a new one
            self._stop(worker)
            worker = self._spawn()
            worker.connection.send(task)
        worker.task, worker.started = task, time.monotonic()
        return worker

    def _collect(self, worker: _Worker) -> Pair | None:
        """The worker's result when it has one; a GK901 pair when it died or hung; else None."""
        assert worker.task is not None
        path = worker.task[1]
        try:
            if worker.connection.poll():
                _index, pair = worker.connection.recv()
                return pair
        except (EOFError, OSError, pickle.UnpicklingError):
            pass  # it died while sending
        else:
            if worker.process.is_alive():
                if self.hard_limit and time.monotonic() - worker.started > self.hard_limit:
                    self._stop(worker, kill=True)
                    seconds = f"{self.engine.timeout:g}"
                    return self._lost(path, ReadError(
                        f"took longer than {seconds} s", reason="timeout",
                        params={"seconds": seconds},
                    ))  # fmt: skip
                return None
        worker.process.join(1)
        return self._lost(path, _died(worker.process.exitcode))

    def _lost(self, path: str, error: ReadError) -> Pair:
        name = display_path(path)
        error.path = name
        return summarise(self.engine.audit_unreadable(name, error)), None

    @staticmethod
    def _stop(worker: _Worker, kill: bool = False) -> None:
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
    results: list[ReportResult],
    config: Config,
    min_severity: str = "info",
    baseline: dict[str, Any] | None = None,
    baseline_name: str | None = None,
) -> ScanResult:
    """Mark accepted findings, compare with a baseline, score and rank the readable reports,
    then hide findings below ``min_severity`` (hidden findings still score: hiding only hides).

    Unreadable files and non-reports keep rank 0 and come after the ranked reports.
    """
    for result in results:
        result.findings = [
            replace(
                finding,
                accepted=config.acceptance(
                    result.path, result.unit, finding.code, finding.message("zh")
                ),
            )
            for finding in [*result.findings, *result.hidden]
        ]
        result.hidden = []
    scan = ScanResult(results, dict(config.weights), baseline=baseline_name)
    scan.deadline = date.today() + timedelta(days=config.rectification_days)
    if baseline is not None:
        scan.office = {
            entry["fingerprint"]: entry for entry in baseline["findings"] if entry.get("office")
        }
        scan.fixed = _compare(results, baseline)
    for result in results:
        result.score = sum(config.weights[finding.severity.value] for finding in result.counted)
    results.sort(
        key=lambda r: (not r.readable, -r.score, -r.count("error"), r.subject, r.path)
    )
    for position, result in enumerate(scan.ranked, start=1):
        result.rank = position
    for result in scan.unread:
        result.rank = 0
    floor = Severity(min_severity).rank
    for result in results:
        result.hidden = [f for f in result.findings if f.severity.rank < floor]
        result.findings = [f for f in result.findings if f.severity.rank >= floor]
    return scan


def fingerprint(result: ReportResult, finding: Finding) -> str:
    """Identity of a finding across scans: report, code and content — not its line number."""
    content = re.sub(r"第\d+行|line \d+", "", finding.message("zh"))
    key = f"{result.subject}|{result.year}|{finding.code}|{content}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def baseline_data(results: list[ReportResult]) -> dict[str, Any]:
    return {
        "tool": "gkaudit",
        "format": 1,
        "findings": [
            {
                "fingerprint": fingerprint(result, finding),
                "unit": result.subject,
                "year": result.year,
                "path": result.path,
                "code": finding.code,
                "message": finding.message("zh"),
            }
            for result in results
            for finding in [*result.findings, *result.hidden]  # hidden ones too: they count
            if not finding.accepted
        ],
    }


def load_baseline(path: str) -> dict[str, Any]:
    """A JSON baseline (--write-baseline), or a rectification list (整改清单.xlsx) with the
    office's statuses and notes (``office``) read back."""
    if Path(path).suffix.lower() == ".xlsx":
        from gkaudit.rectification import read_rectification_list

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


def _compare(results: list[ReportResult], baseline: dict[str, Any]) -> list[dict[str, Any]]:
    remaining = Counter(entry["fingerprint"] for entry in baseline["findings"])
    office = {entry["fingerprint"]: entry for entry in baseline["findings"] if entry.get("office")}
    for result in results:
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
    fixed = []
    for entry in baseline["findings"]:
        if remaining[entry["fingerprint"]] > 0:
            remaining[entry["fingerprint"]] -= 1
            fixed.append(entry)
    return fixed


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write the whole file or nothing: a hidden temporary file beside it, then a rename.

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
            handle.write(data)
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
