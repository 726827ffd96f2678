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
from gkaudit.scan import ReportResult, ScanResult

WORDS = {
    "zh": {
        "rank": "名次", "unit": "单位", "year": "年度", "type": "单位类型", "error": "错误",
        "warning": "警告", "info": "提示", "score": "得分", "worst": "主要问题", "code": "规则",
        "severity": "级别", "where": "位置", "message": "问题说明", "status": "状态",
        "count": "问题数", "reports": "涉及报告数", "file": "文件", "line": "行号",
        "section": "章节", "ranking": "报告排名", "findings": "问题清单", "summary": "按规则汇总",
        "fixed": "已整改（基线中有、本次未再发现）", "none": "未发现问题", "remark": "整改情况",
    },
    "en": {
        "rank": "rank", "unit": "unit", "year": "year", "type": "unit type", "error": "errors",
        "warning": "warnings", "info": "infos", "score": "score", "worst": "worst findings",
        "code": "code", "severity": "severity", "where": "where", "message": "message",
        "status": "status", "count": "findings", "reports": "reports", "file": "file",
        "line": "line", "section": "section", "ranking": "Ranking", "findings": "Findings",
        "summary": "Summary by rule", "fixed": "Fixed (in the baseline, not found again)",
        "none": "no findings", "remark": "rectification",
    },
}  # fmt: skip
SEVERITY = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
UNIT_TYPES = {
    "zh": {
        "township": "乡镇（街道）",
        "county": "县级政府",
        "department": "部门",
        "unknown": "未知",
    },
    "en": {
        "township": "township",
        "county": "county government",
        "department": "department",
        "unknown": "unknown",
    },
}
STATUS = {
    "zh": {"new": "新增", "remaining": "未整改", "accepted": "已接受："},
    "en": {"new": "new", "remaining": "remaining", "accepted": "accepted: "},
}
MESSAGE_WIDTH = 48  # characters of a message per table line in the terminal


def worst(report: ReportResult, limit: int = 4) -> str:
    """The report's worst findings in short: codes by severity, ×n when repeated."""
    counts = Counter(finding.code for finding in report.counted)
    rank = {finding.code: finding.severity.rank for finding in report.counted}
    codes = sorted(counts, key=lambda code: (-rank[code], code))[:limit]
    return " ".join(code if counts[code] == 1 else f"{code}×{counts[code]}" for code in codes)


def status_text(finding: Any, lang: str) -> str:
    if finding.accepted:
        return STATUS[lang]["accepted"] + finding.accepted
    return STATUS[lang].get(finding.status or "", "")


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
        for report in scan.reports
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
    return [
        [code, SEVERITY[lang][entry["severity"]], entry["count"], entry["reports"]]
        for code, entry in scan.by_code().items()
    ]


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
    parts.append(
        tabulate(
            summary_rows(scan, lang), headers=[w["code"], w["severity"], w["count"], w["reports"]]
        )
    )
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
    summary_headers = [w["code"], w["severity"], w["count"], w["reports"]]
    parts += [
        "",
        f"## {w['summary']}",
        "",
        _markdown_table(summary_headers, summary_rows(scan, lang)),
    ]
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


def rectification_rows(scan: ScanResult, lang: str) -> tuple[list[str], list[list[Any]]]:
    """The findings as a rectification list (整改清单): one row per finding, a column to fill."""
    w = WORDS[lang]
    headers = [
        w["rank"],
        w["unit"],
        w["file"],
        w["line"],
        w["section"],
        w["code"],
        w["severity"],
        w["message"],
        w["status"],
        w["remark"],
    ]
    rows = [
        [
            report.rank,
            report.unit or "?",
            report.path,
            finding.line or "",
            finding.section or "",
            finding.code,
            SEVERITY[lang][finding.severity.value],
            finding.message(lang),
            status_text(finding, lang),
            "",
        ]
        for report, finding in scan.findings
    ]
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
                "rank": report.rank,
                "counts": {s: report.count(s) for s in ("error", "warning", "info")},
                "findings": [finding.to_dict(lang) for finding in report.findings],
            }
            for report in scan.reports
        ],
        "summary": {
            "reports": len(scan.reports),
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
