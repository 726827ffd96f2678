"""Rectification notices (整改通知): one Word document, a page per unit with findings.

Rendered with docxtpl from a .docx template the office can edit in Word: the shipped
``gkaudit/templates/notice-zh.docx`` (or ``notice-en.docx``), or its own via ``--template FILE``.
The template sees ``units`` (each: ``name``, ``report``, ``file``, ``year``, ``count`` and
``findings``, each finding: ``number``, ``code``, ``title``, ``severity``, ``where``, ``message``,
``basis``, ``advice``), ``deadline`` and ``today``.
"""

from __future__ import annotations

import io
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from gkaudit.audit.scan import ReportResult, ScanResult
from gkaudit.base import i18n
from gkaudit.base.errors import GkauditError
from gkaudit.outputs.render import (
    SEVERITY,
    location,
    rule_advice,
    rule_source,
    rule_title,
)

REPORT_NAME = {
    lang: (i18n.text("notice.report_of_year", lang), i18n.text("notice.report", lang))
    for lang in i18n.LANGS
}


def template_path(lang: str) -> Path:
    """The shipped template for a language."""
    return Path(str(files("gkaudit") / "templates" / f"notice-{lang}.docx"))


def notice_context(scan: ScanResult, lang: str = "zh") -> dict[str, Any]:
    """What the template is filled with: every unit with findings to rectify, in rank order
    (unreadable files last: they must be submitted again)."""
    units = [_unit(scan, report, lang) for report in [*scan.ranked, *scan.unread]]
    return {
        "units": [unit for unit in units if unit["findings"]],
        "deadline": _day(scan.deadline, lang) if scan.deadline else "",
        "today": _day(date.today(), lang),
    }


def render_notices(scan: ScanResult, lang: str = "zh", template: str | None = None) -> bytes:
    from docxtpl import DocxTemplate  # imported here: only --format docx needs it

    path = Path(template) if template else template_path(lang)
    try:
        document = DocxTemplate(str(path))
        document.render(notice_context(scan, lang), autoescape=True)
    except GkauditError:
        raise
    except Exception as error:  # a template the office edited can break in many ways
        raise GkauditError(f"notice template {path}: {type(error).__name__}: {error}") from None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _unit(scan: ScanResult, report: ReportResult, lang: str) -> dict[str, Any]:
    """One unit's notice: the findings it must rectify (accepted deviations are left out)."""
    findings = [finding for finding in report.findings if not finding.accepted]
    with_year, without_year = REPORT_NAME[lang]
    name = with_year.format(year=report.year) if report.year else without_year
    return {
        "name": report.subject,
        "report": f"《{name}》" if lang == "zh" else name,
        "file": Path(report.path).name,
        "year": report.year,
        "count": len(findings),
        "findings": [
            {
                "number": number,
                "code": finding.code,
                "title": rule_title(scan, finding.code, lang),
                "severity": SEVERITY[lang][finding.severity.value],
                "where": location(finding, lang),
                "message": finding.message(lang),
                "basis": rule_source(scan, finding.code),
                "advice": rule_advice(scan, finding.code, lang),
            }
            for number, finding in enumerate(findings, start=1)
        ],
    }


def _day(day: date, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()
