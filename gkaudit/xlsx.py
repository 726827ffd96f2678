"""The scan as a workbook an office hands to units and reads back at the re-check.

Sheets: 报告排名 (the ranking), 整改清单 (one row per finding, with the rule's title, basis and
advice, a deadline, a 状态 drop-down and a 整改情况 column to fill in), 按规则汇总, 未能审查的文件
(unreadable files and non-reports, not ranked), 已整改 on a re-check, and 数据汇总 (every unit's
three tables, one row per report, columns named as the form prints them).

The 整改清单 keeps each finding's fingerprint in a hidden column, so ``--baseline 整改清单.xlsx``
reads the office's statuses and notes back (``gkaudit.rectification``).
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from gkaudit.figures import figure_columns
from gkaudit.i18n import SHEET_NAMES as SHEET_NAMES
from gkaudit.outputs import (
    FORMULA_STARTS,
    OFFICE_STATUSES,
    SEVERITY,
    UNIT_TYPES,
    WORDS,
    ranking_headers,
    ranking_rows,
    rectification_rows,
    summary_headers,
    summary_rows,
    unread_headers,
    unread_rows,
)
from gkaudit.scan import ScanResult

MAX_WIDTH = 60
WRAPPED_WIDTH = 40  # message, basis and advice columns wrap at this width
FIGURE_WIDTH = 14  # 数据汇总's number columns, their long printed names wrapped above
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
SEVERITY_FILLS = {  # Excel's own "bad / neutral / note" colours
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}


def render_xlsx(scan: ScanResult, lang: str = "zh") -> bytes:
    names = SHEET_NAMES[lang]
    workbook = Workbook()
    ranking = workbook.active
    ranking.title = names["ranking"]
    _fill(ranking, ranking_headers(lang), ranking_rows(scan, lang))
    _rectification_sheet(workbook.create_sheet(names["list"]), scan, lang)
    _fill(workbook.create_sheet(names["summary"]), summary_headers(lang), summary_rows(scan, lang))
    if scan.unread:
        _fill(workbook.create_sheet(names["unread"]), unread_headers(lang), unread_rows(scan, lang))
    if scan.baseline is not None:
        _fixed_sheet(workbook.create_sheet(names["fixed"]), scan, lang)
    _figures_sheet(workbook.create_sheet(names["figures"]), scan, lang)
    for sheet in workbook.worksheets:
        _print_setup(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rectification_sheet(sheet: Worksheet, scan: ScanResult, lang: str) -> None:
    w = WORDS[lang]
    headers, rows = rectification_rows(scan, lang, with_fingerprint=True)
    column = {header: index for index, header in enumerate(headers, start=1)}
    deadline_index = column[w["deadline"]] - 1
    for row in rows:
        row[deadline_index] = scan.deadline  # a real date cell, not text
    _fill(sheet, headers, rows, wrapped={w["message"], w["basis"], w["advice"], w["remark"]})
    severity_names = {name: key for key, name in SEVERITY[lang].items()}
    for cells in sheet.iter_rows(min_row=2):
        severity = severity_names.get(cells[column[w["severity"]] - 1].value)
        if severity:
            cells[column[w["severity"]] - 1].fill = SEVERITY_FILLS[severity]
        cells[deadline_index].number_format = "yyyy-mm-dd"
    last = max(2, len(rows) + 1)
    status = get_column_letter(column[w["status"]])
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(OFFICE_STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="状态",
        error="请从下拉列表中选择：" + "、".join(OFFICE_STATUSES),
    )
    sheet.add_data_validation(choices)
    choices.add(f"{status}2:{status}{last}")
    sheet.column_dimensions[get_column_letter(column[w["fingerprint"]])].hidden = True


def _fixed_sheet(sheet: Worksheet, scan: ScanResult, lang: str) -> None:
    """Baseline findings not found again, with what the office had written about them."""
    w = WORDS[lang]
    headers = [w["unit"], w["year"], w["code"], w["message"], w["file"], w["office"], w["remark"]]
    rows = [
        [
            entry.get("unit", ""),
            entry.get("year") or "",
            entry.get("code", ""),
            entry.get("message", ""),
            entry.get("path", ""),
            entry.get("office", {}).get("status", ""),
            entry.get("office", {}).get("note", ""),
        ]
        for entry in scan.fixed
    ]
    _fill(sheet, headers, rows, wrapped={w["message"], w["remark"]})


def _figures_sheet(sheet: Worksheet, scan: ScanResult, lang: str) -> None:
    """数据汇总: one row per audited report, every cell of the three tables; blank = unread."""
    w = WORDS[lang]
    headers = [w["unit"], w["year"], w["type"], w["file"], *figure_columns()]
    reports = sorted(scan.ranked, key=lambda r: (r.subject, r.year or 0, r.path))
    rows = [
        [
            report.subject,
            report.year or "",
            UNIT_TYPES[lang].get(report.unit_type, report.unit_type),
            report.path,
            *(report.figures or [None] * (len(headers) - 4)),
        ]
        for report in reports
    ]
    _fill(sheet, headers, rows, fixed_widths={name: FIGURE_WIDTH for name in headers[4:]})
    sheet.freeze_panes = "B2"
    for cell in sheet[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 90


def _fill(
    sheet: Worksheet,
    headers: list[str],
    rows: list[list[Any]],
    wrapped: set[str] | frozenset[str] = frozenset(),
    fixed_widths: dict[str, int] | None = None,
) -> None:
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    _neutralise(sheet)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        if fixed_widths and header in fixed_widths:
            sheet.column_dimensions[letter].width = fixed_widths[header]
            continue
        if header in wrapped:
            sheet.column_dimensions[letter].width = WRAPPED_WIDTH
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            continue
        values = [header, *(row[index - 1] for row in rows)]
        width = max(_display_width(_shown(value)) for value in values) + 2
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(6, width))


def _print_setup(sheet: Worksheet) -> None:
    """Landscape A4, all columns on one page width, the header row repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _shown(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value if value is not None else "")


def _display_width(text: str) -> int:
    """Columns a text takes: CJK characters count twice."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _neutralise(sheet: Any) -> None:
    """Text beginning like a formula stays text: a string cell (openpyxl would otherwise write
    ``=...`` as a formula) with Excel's hidden quote prefix, so editing it keeps it inert."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True
