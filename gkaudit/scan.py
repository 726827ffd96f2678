"""A county's submissions in, a ranked inspection out: paths, parallel audit, ranking,
accepted deviations and the rectification baseline (整改复查)."""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gkaudit.archive import report_from_json, report_to_json
from gkaudit.config import Config
from gkaudit.engine import Audit, Engine
from gkaudit.errors import GkauditError
from gkaudit.findings import Finding, Severity
from gkaudit.model import Report

REPORT_SUFFIXES = {".txt", ".text", ".md"}  # a folder scan's default; engines pass their readers'
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
    rank: int = 0

    @property
    def counted(self) -> list[Finding]:
        """Findings that count: not accepted deviations."""
        return [finding for finding in self.findings if not finding.accepted]

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

    @property
    def findings(self) -> Iterator[tuple[ReportResult, Finding]]:
        for report in self.reports:
            for finding in report.findings:
                yield report, finding

    def by_code(self) -> dict[str, dict[str, Any]]:
        summary: dict[str, dict[str, Any]] = {}
        for report, finding in self.findings:
            if finding.accepted:
                continue
            entry = summary.setdefault(
                finding.code, {"severity": finding.severity.value, "count": 0, "reports": set()}
            )
            entry["count"] += 1
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
                if file.is_file() and file.suffix.lower() in suffixes and not _hidden(file, path):
                    found[file] = None
        elif path.exists():
            found[path] = None
        else:
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                raise GkauditError(f"no such file, folder or match: {pattern}")
            for match in matches:
                found.update(dict.fromkeys(collect_paths([match], suffixes)))
    return list(found)


def _hidden(file: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in file.relative_to(root).parts)


# --- auditing, in this process or in workers ---------------------------------------------

_WORKER_ENGINE: Engine | None = None


def _start_worker(config: Config, rules_dirs: tuple[str, ...], max_bytes: int) -> None:
    global _WORKER_ENGINE
    _WORKER_ENGINE = Engine.load(config, rules_dirs, max_bytes)


def _audit_in_worker(path: str) -> tuple[ReportResult, str | None]:
    assert _WORKER_ENGINE is not None
    audit = _WORKER_ENGINE.audit_file(path)
    if audit.report is None or not _WORKER_ENGINE.wants_reports:
        return summarise(audit), None
    # As the archive's JSON: about half the cost of pickling the model's many small objects.
    return summarise(audit), report_to_json(audit.report)


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
    )


def audit_paths(
    engine: Engine,
    paths: list[Path],
    jobs: int,
    rules_dirs: tuple[str, ...] = (),
    progress: Callable[[int], None] | None = None,
) -> list[ReportResult]:
    """Audit every path, in ``jobs`` processes; results in the order of ``paths``.

    Workers send back small summaries; parsed reports come back only when a batch rule
    (cross-unit, cross-year) is active, which then runs here over the whole batch.
    """
    names = [str(path) for path in paths]
    keep = engine.wants_reports
    pairs: list[tuple[ReportResult, Report | None]] = []
    if jobs <= 1 or len(names) < 2:
        for name in names:
            audit = engine.audit_file(name)
            pairs.append((summarise(audit), audit.report if keep else None))
            if progress:
                progress(1)
    else:
        chunk = max(1, min(64, len(names) // (jobs * 8)))
        initargs = (engine.config, rules_dirs, engine.max_bytes)
        with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=initargs) as pool:
            for result, shipped in pool.map(_audit_in_worker, names, chunksize=chunk):
                pairs.append((result, report_from_json(shipped) if shipped else None))
                if progress:
                    progress(1)
    results = [result for result, _ in pairs]
    if keep:
        engine.add_batch_findings(results, [report for _, report in pairs if report])
        results.extend(orphan_results(engine.orphans))
    return results


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
    """Hide findings below ``min_severity``, mark accepted ones, compare with a baseline, rank."""
    floor = Severity(min_severity).rank
    for result in results:
        result.findings = [
            replace(
                finding,
                accepted=config.acceptance(
                    result.path, result.unit, finding.code, finding.message("zh")
                ),
            )
            for finding in result.findings
            if finding.severity.rank >= floor
        ]
    scan = ScanResult(results, dict(config.weights), baseline=baseline_name)
    if baseline is not None:
        scan.fixed = _compare(results, baseline)
    for result in results:
        result.score = sum(config.weights[finding.severity.value] for finding in result.counted)
    results.sort(key=lambda r: (-r.score, -r.count("error"), r.subject, r.path))
    for position, result in enumerate(results, start=1):
        result.rank = position
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
            for finding in result.findings
            if not finding.accepted
        ],
    }


def load_baseline(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GkauditError(f"baseline {path}: cannot read: {error}") from None
    if not isinstance(data, dict) or data.get("tool") != "gkaudit" or "findings" not in data:
        raise GkauditError(
            f"baseline {path}: not a gkaudit baseline (write one with --write-baseline)"
        )
    return data


def _compare(results: list[ReportResult], baseline: dict[str, Any]) -> list[dict[str, Any]]:
    remaining = Counter(entry["fingerprint"] for entry in baseline["findings"])
    for result in results:
        marked = []
        for finding in result.findings:
            if finding.accepted:
                marked.append(finding)
                continue
            key = fingerprint(result, finding)
            status = "remaining" if remaining[key] > 0 else "new"
            remaining[key] -= status == "remaining"
            marked.append(replace(finding, status=status))
        result.findings = marked
    fixed = []
    for entry in baseline["findings"]:
        if remaining[entry["fingerprint"]] > 0:
            remaining[entry["fingerprint"]] -= 1
            fixed.append(entry)
    return fixed


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it, then a rename."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise GkauditError(f"cannot write {target}: {error.strerror or error}") from None
