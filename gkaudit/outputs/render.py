"""Rendering a scan: the ranked table, the findings and the per-code summary, as text,
Markdown, CSV and JSON (xlsx, SARIF and HTML have modules of their own)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from tabulate import tabulate

from gkaudit import __version__
from gkaudit.audit.scan import ReportResult, ScanResult, fingerprint
from gkaudit.base.i18n import SEVERITY as SEVERITY
from gkaudit.base.i18n import STATUS as STATUS
from gkaudit.base.i18n import UNIT_TYPES as UNIT_TYPES
from gkaudit.base.i18n import WORDS as WORDS
from gkaudit.base.i18n import location as location
from gkaudit.base.i18n import status_text as status_text
from gkaudit.check.findings import Finding
from gkaudit.check.rule import GENERIC_ADVICE

# The office's statuses in the rectification list's drop-down (always Chinese: they are data
# the office types and the re-check reads back).
OFFICE_STATUSES = ("未整改", "已整改", "不予整改", "说明理由")
MESSAGE_WIDTH = 48  # characters of a message per table line in the terminal


def worst(report: ReportResult, limit: int = 4) -> str:
    """The report's worst findings in short: codes by severity, ×n when repeated."""
    counts = Counter(finding.code for finding in report.counted)
    rank = {finding.code: finding.severity.rank for finding in report.counted}
    codes = sorted(counts, key=lambda code: (-rank[code], code))[:limit]
    return " ".join(code if counts[code] == 1 else f"{code}×{counts[code]}" for code in codes)


def rule_title(scan: ScanResult, code: str, lang: str) -> str:
    rule = scan.rules.get(code)
    return rule.title.get(lang, rule.title["zh"]) if rule else ""


def rule_source(scan: ScanResult, code: str) -> str:
    rule = scan.rules.get(code)
    return rule.source if rule else ""


def rule_advice(scan: ScanResult, code: str, lang: str) -> str:
    rule = scan.rules.get(code)
    return rule.advice_text(lang) if rule else GENERIC_ADVICE[lang]


def unread_rows(scan: ScanResult, lang: str) -> Iterator[list[Any]]:
    """Files not audited: the path, the rule that says why (GK901/GK902) and its message."""
    for report in scan.unread:
        reasons: list[Finding | None] = [*report.findings, *report.hidden] or [None]
        for finding in reasons:
            code, reason = (finding.code, finding.message(lang)) if finding else ("", "")
            yield [report.path, code, reason]


def unread_headers(lang: str) -> list[str]:
    w = WORDS[lang]
    return [w["file"], w["code"], w["reason"]]


def ranking_rows(scan: ScanResult, lang: str) -> Iterator[list[Any]]:
    return (
        [
            report.rank,
            report.unit or "?",
            report.year or "",
            UNIT_TYPES[lang].get(report.unit_type, report.unit_type),
            report.count("error"),
            report.count("warning"),
            report.count("info"),
            _number(report.score),
            worst(report),
        ]
        for report in scan.ranked
    )


def ranking_headers(lang: str) -> list[str]:
    w = WORDS[lang]
    return [
        w["rank"],
        w["unit"],
        w["year"],
        w["type"],
        w["error"],
        w["warning"],
        w["info"],
        w["score"],
        w["worst"],
    ]


def finding_rows(scan: ScanResult, lang: str, with_status: bool) -> Iterator[list[Any]]:
    for report, finding in scan.findings:
        where = f"{report.path}:{finding.line}" if finding.line else report.path
        row = [
            finding.code,
            SEVERITY[lang][finding.severity.value],
            report.unit or "?",
            where,
            finding.message(lang),
        ]
        if with_status:
            row.append(status_text(finding, lang))
        yield row


def summary_rows(scan: ScanResult, lang: str) -> list[list[Any]]:
    """Per rule: its title, how many findings at each actual severity, total, files."""
    return [
        [
            code,
            rule_title(scan, code, lang),
            entry["by_severity"]["error"],
            entry["by_severity"]["warning"],
            entry["by_severity"]["info"],
            entry["count"],
            entry["reports"],
        ]
        for code, entry in scan.by_code().items()
    ]


def summary_headers(lang: str) -> list[str]:
    w = WORDS[lang]
    return [w["code"], w["title"], w["error"], w["warning"], w["info"], w["count"], w["reports"]]


def render_text(scan: ScanResult, lang: str = "zh") -> str:
    w = WORDS[lang]
    with_status = scan.with_status
    ranking = list(ranking_rows(scan, lang))
    parts = [f"{w['ranking']}:", tabulate(ranking, headers=ranking_headers(lang))]
    findings = list(finding_rows(scan, lang, with_status))
    parts.append(f"\n{w['findings']}:")
    if findings:
        headers = [w["code"], w["severity"], w["unit"], w["where"], w["message"]]
        widths = [None, None, 16, None, MESSAGE_WIDTH] + ([24] if with_status else [])
        parts.append(
            tabulate(
                findings,
                headers=headers + ([w["status"]] if with_status else []),
                maxcolwidths=widths,
            )
        )
    else:
        parts.append(w["none"])
    parts.append(f"\n{w['summary']}:")
    parts.append(tabulate(summary_rows(scan, lang), headers=summary_headers(lang)))
    if scan.unread:
        parts.append(f"\n{w['unread']}:")
        unread = list(unread_rows(scan, lang))
        parts.append(tabulate(unread, headers=unread_headers(lang), maxcolwidths=[None, None, 60]))
    if scan.fixed:
        parts.append(f"\n{w['fixed']}:")
        fixed = [[entry["code"], entry["unit"], entry["message"]] for entry in scan.fixed]
        parts.append(
            tabulate(
                fixed, headers=[w["code"], w["unit"], w["message"]], maxcolwidths=[None, 16, 60]
            )
        )
    return "\n".join(parts) + "\n"


def stream_markdown(scan: ScanResult, lang: str = "zh") -> Iterator[str]:
    w = WORDS[lang]
    with_status = scan.with_status
    yield f"# gkaudit — {w['ranking']}\n\n"
    yield from _markdown_table(ranking_headers(lang), ranking_rows(scan, lang))
    headers = [w["code"], w["severity"], w["unit"], w["where"], w["message"]] + (
        [w["status"]] if with_status else []
    )
    yield f"\n\n## {w['findings']}\n\n"
    yield from _markdown_table(headers, finding_rows(scan, lang, with_status))
    yield f"\n\n## {w['summary']}\n\n"
    yield from _markdown_table(summary_headers(lang), summary_rows(scan, lang))
    if scan.unread:
        yield f"\n\n## {w['unread']}\n\n"
        yield from _markdown_table(unread_headers(lang), unread_rows(scan, lang))
    if scan.fixed:
        fixed = [[entry["code"], entry["unit"], entry["message"]] for entry in scan.fixed]
        yield f"\n\n## {w['fixed']}\n\n"
        yield from _markdown_table([w["code"], w["unit"], w["message"]], fixed)
    yield "\n"


def render_markdown(scan: ScanResult, lang: str = "zh") -> str:
    return "".join(stream_markdown(scan, lang))


def _markdown_table(headers: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    yield "| " + " | ".join(cell(h) for h in headers) + " |\n|" + "---|" * len(headers)
    for row in rows:
        yield "\n| " + " | ".join(cell(v) for v in row) + " |"


def rectification_headers(lang: str, recheck: bool = False) -> list[str]:
    w = WORDS[lang]
    return [
        w["unit"], w["year"], w["type"], w["code"], w["title"], w["severity"], w["where"],
        w["message"], w["basis"], w["advice"], w["deadline"], w["status"], w["remark"],
        w["file"], *([w["recheck"]] if recheck else []),
    ]  # fmt: skip


def office_status(scan: ScanResult, report: ReportResult, finding: Any) -> tuple[str, str]:
    """The 状态 and 整改情况 a row starts with: carried over from the office's previous list,
    or 说明理由 with the configured reason for an accepted deviation, else 未整改."""
    office = scan.office_entry(report, finding).get("office", {})
    status, note = office.get("status") or "未整改", office.get("note") or ""
    if finding.status == "claimed":
        status = "未整改"
    elif finding.accepted and not office:
        status, note = "说明理由", finding.accepted
    return status, note


def rectification_rows(
    scan: ScanResult, lang: str, with_fingerprint: bool = False
) -> tuple[list[str], Iterator[list[Any]]]:
    """The findings as a rectification list (整改清单): one row per finding, with the rule's
    title, basis and advice, the deadline, and the office's 状态 and 整改情况 to fill in."""
    recheck = scan.baseline is not None
    headers = rectification_headers(lang, recheck)
    if with_fingerprint:
        headers.append(WORDS[lang]["fingerprint"])
    return headers, _rectification_rows(scan, lang, recheck, with_fingerprint)


def _rectification_rows(
    scan: ScanResult, lang: str, recheck: bool, with_fingerprint: bool
) -> Iterator[list[Any]]:
    deadline = scan.deadline.isoformat() if scan.deadline else ""
    for report, finding in scan.findings:
        status, note = office_status(scan, report, finding)
        row = [
            report.subject,
            report.year or "",
            UNIT_TYPES[lang].get(report.unit_type, report.unit_type),
            finding.code,
            rule_title(scan, finding.code, lang),
            SEVERITY[lang][finding.severity.value],
            location(finding, lang),
            finding.message(lang),
            rule_source(scan, finding.code),
            rule_advice(scan, finding.code, lang),
            deadline,
            status,
            note,
            report.path,
        ]
        if recheck:
            row.append(status_text(finding, lang))
        if with_fingerprint:
            row.append(fingerprint(report, finding))
        yield row


def stream_csv(scan: ScanResult, lang: str = "zh") -> Iterator[bytes]:
    """The rectification list as CSV, a row at a time; the BOM lets Excel read the Chinese."""
    headers, rows = rectification_rows(scan, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    yield buffer.getvalue().encode("utf-8-sig")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise(value) for value in row])
        yield buffer.getvalue().encode("utf-8")


def render_csv(scan: ScanResult, lang: str = "zh") -> bytes:
    return b"".join(stream_csv(scan, lang))


def report_json(report: ReportResult, lang: str = "zh") -> dict[str, Any]:
    """One report's entry in the JSON form."""
    return {
        "path": report.path,
        "unit": report.unit,
        "year": report.year,
        "unit_type": report.unit_type,
        "score": report.score,
        "rank": report.rank or None,
        "readable": report.readable,
        "counts": {s: report.count(s) for s in ("error", "warning", "info")},
        "findings": [finding.to_dict(lang) for finding in report.findings],
    }


def summary_json(scan: ScanResult) -> dict[str, Any]:
    totals = scan.totals()
    return {
        "reports": len(scan.reports),
        "unread": len(scan.unread),
        "findings": totals["findings"],
        "accepted": totals["accepted"],
        "by_severity": totals["by_severity"],
        "by_code": scan.by_code(),
        "weights": scan.weights,
        "baseline": None
        if scan.baseline is None
        else {
            "file": scan.baseline,
            "new": totals["new"],
            "remaining": totals["remaining"],
            "fixed": scan.fixed,
        },
    }


def scan_json(scan: ScanResult, lang: str = "zh") -> dict[str, Any]:
    """The JSON form, described by gkaudit/schemas/scan.schema.json (all in memory: for
    small scans and tests; the command line streams it, see stream_json)."""
    return {
        "tool": {"name": "gkaudit", "version": __version__},
        "reports": [report_json(report, lang) for report in scan.reports],
        "summary": summary_json(scan),
    }


def stream_json(scan: ScanResult, lang: str = "zh") -> Iterator[bytes]:
    """The JSON form a report at a time, each on one line (the C encoder, no indentation);
    the tool and summary indented as before."""
    tool = {"name": "gkaudit", "version": __version__}
    yield b'{\n  "tool": ' + _dumps(tool) + b',\n  "reports": ['
    separator = b"\n    "
    for report in scan.reports:
        yield separator + _dumps(report_json(report, lang))
        separator = b",\n    "
    summary = json.dumps(summary_json(scan), ensure_ascii=False, indent=2)
    closing = b"\n  ]" if separator != b"\n    " else b"]"
    yield closing + b',\n  "summary": ' + summary.replace("\n", "\n  ").encode("utf-8") + b"\n}"


def render_json(scan: ScanResult, lang: str = "zh") -> bytes:
    return b"".join(stream_json(scan, lang))


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection: what a sheet evaluates


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would take for a formula, made inert by a leading apostrophe
    (OWASP's CSV-injection guidance); numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
