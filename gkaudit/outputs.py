"""Rendering a scan: the ranked table, the findings and the per-code summary, as text,
Markdown, CSV and JSON (xlsx, SARIF and HTML have modules of their own)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

from tabulate import tabulate

from gkaudit import __version__
from gkaudit.findings import Finding
from gkaudit.i18n import SEVERITY as SEVERITY
from gkaudit.i18n import STATUS as STATUS
from gkaudit.i18n import UNIT_TYPES as UNIT_TYPES
from gkaudit.i18n import WORDS as WORDS
from gkaudit.i18n import location as location
from gkaudit.i18n import status_text as status_text
from gkaudit.rule import GENERIC_ADVICE
from gkaudit.scan import ReportResult, ScanResult, fingerprint

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


def unread_rows(scan: ScanResult, lang: str) -> list[list[Any]]:
    """Files not audited: the path, the rule that says why (GK901/GK902) and its message."""
    rows = []
    for report in scan.unread:
        reasons: list[Finding | None] = [*report.findings, *report.hidden] or [None]
        for finding in reasons:
            code, reason = (finding.code, finding.message(lang)) if finding else ("", "")
            rows.append([report.path, code, reason])
    return rows


def unread_headers(lang: str) -> list[str]:
    w = WORDS[lang]
    return [w["file"], w["code"], w["reason"]]


def ranking_rows(scan: ScanResult, lang: str) -> list[list[Any]]:
    return [
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
    ]


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


def finding_rows(scan: ScanResult, lang: str, with_status: bool) -> list[list[Any]]:
    rows = []
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
        rows.append(row)
    return rows


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
    with_status = scan.baseline is not None or any(f.accepted for _, f in scan.findings)
    parts = [f"{w['ranking']}:", tabulate(ranking_rows(scan, lang), headers=ranking_headers(lang))]
    findings = finding_rows(scan, lang, with_status)
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
        unread = unread_rows(scan, lang)
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


def render_markdown(scan: ScanResult, lang: str = "zh") -> str:
    w = WORDS[lang]
    with_status = scan.baseline is not None or any(f.accepted for _, f in scan.findings)
    parts = [
        f"# gkaudit — {w['ranking']}",
        "",
        _markdown_table(ranking_headers(lang), ranking_rows(scan, lang)),
    ]
    headers = [w["code"], w["severity"], w["unit"], w["where"], w["message"]] + (
        [w["status"]] if with_status else []
    )
    parts += [
        "",
        f"## {w['findings']}",
        "",
        _markdown_table(headers, finding_rows(scan, lang, with_status)),
    ]
    parts += [
        "",
        f"## {w['summary']}",
        "",
        _markdown_table(summary_headers(lang), summary_rows(scan, lang)),
    ]
    if scan.unread:
        parts += ["", f"## {w['unread']}", "",
                  _markdown_table(unread_headers(lang), unread_rows(scan, lang))]  # fmt: skip
    if scan.fixed:
        fixed = [[entry["code"], entry["unit"], entry["message"]] for entry in scan.fixed]
        parts += [
            "",
            f"## {w['fixed']}",
            "",
            _markdown_table([w["code"], w["unit"], w["message"]], fixed),
        ]
    return "\n".join(parts) + "\n"


def _markdown_table(headers: list[str], rows: list[list[Any]]) -> str:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


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
) -> tuple[list[str], list[list[Any]]]:
    """The findings as a rectification list (整改清单): one row per finding, with the rule's
    title, basis and advice, the deadline, and the office's 状态 and 整改情况 to fill in."""
    recheck = scan.baseline is not None
    headers = rectification_headers(lang, recheck)
    if with_fingerprint:
        headers.append(WORDS[lang]["fingerprint"])
    deadline = scan.deadline.isoformat() if scan.deadline else ""
    rows = []
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
        rows.append(row)
    return headers, rows


def render_csv(scan: ScanResult, lang: str = "zh") -> bytes:
    headers, rows = rectification_rows(scan, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([[neutralise(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read the Chinese


def scan_json(scan: ScanResult, lang: str = "zh") -> dict[str, Any]:
    """The JSON form, described by gkaudit/schemas/scan.schema.json."""
    findings = [finding for _, finding in scan.findings]
    counted = [finding for finding in findings if not finding.accepted]
    return {
        "tool": {"name": "gkaudit", "version": __version__},
        "reports": [
            {
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
            for report in scan.reports
        ],
        "summary": {
            "reports": len(scan.reports),
            "unread": len(scan.unread),
            "findings": len(counted),
            "accepted": len(findings) - len(counted),
            "by_severity": {
                s: sum(1 for f in counted if f.severity.value == s)
                for s in ("error", "warning", "info")
            },
            "by_code": scan.by_code(),
            "weights": scan.weights,
            "baseline": None
            if scan.baseline is None
            else {
                "file": scan.baseline,
                "new": sum(1 for f in counted if f.status == "new"),
                "remaining": sum(1 for f in counted if f.status == "remaining"),
                "fixed": scan.fixed,
            },
        },
    }


def render_json(scan: ScanResult, lang: str = "zh") -> bytes:
    return json.dumps(scan_json(scan, lang), ensure_ascii=False, indent=2).encode("utf-8")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection: what a sheet evaluates


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would take for a formula, made inert by a leading apostrophe
    (OWASP's CSV-injection guidance); numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
