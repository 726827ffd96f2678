"""The scan as a workbook an office hands to units and reads back at the re-check.

Sheets: 报告排名 (the ranking), 整改清单 (one row per finding, with the rule's title, basis and
advice, a deadline, a 状态 drop-down and a 整改情况 column to fill in), 按规则汇总, 未能审查的文件
(unreadable files and non-reports, not ranked), 已整改 on a re-check, and 数据汇总 (every unit's
three tables, one row per report, columns named as the form prints them).

The 整改清单 keeps each finding's fingerprint in a hidden column, so ``--baseline 整改清单.xlsx``
reads the office's statuses and notes back (``gkaudit.audit.rectification``).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from gkaudit.audit.figures import figure_columns
from gkaudit.audit.scan import ScanResult
from gkaudit.base.i18n import SHEET_NAMES as SHEET_NAMES
from gkaudit.outputs.render import (
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

MAX_WIDTH = 60
WRAPPED_WIDTH = 40  # message, basis and advice columns wrap at this width
FIGURE_WIDTH = 14  # 数据汇总's number columns, their long printed names wrapped above
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
SEVERITY_FILLS = {  # Excel's own "bad / neutral / note" colours
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
WRAP = Alignment(wrap_text=True, vertical="top")

Rows = Callable[[], Iterable[list[Any]]]  # called once to measure the columns, once to write


def render_xlsx(scan: ScanResult, lang: str = "zh") -> bytes:
    buffer = io.BytesIO()
    write_xlsx(scan, lang, buffer)
    return buffer.getvalue()


def write_xlsx(scan: ScanResult, lang: str, handle: BinaryIO) -> None:
    """The workbook, written row by row (openpyxl's write-only mode): a sheet's rows are read
    twice from the scan, once to size its columns, once to write them."""
    names = SHEET_NAMES[lang]
    workbook = Workbook(write_only=True)
    _fill(workbook.create_sheet(names["ranking"]), ranking_headers(lang),
          lambda: ranking_rows(scan, lang))  # fmt: skip
    _rectification_sheet(workbook.create_sheet(names["list"]), scan, lang)
    summary = list(summary_rows(scan, lang))
    _fill(workbook.create_sheet(names["summary"]), summary_headers(lang), lambda: summary)
    if scan.unread:
        _fill(workbook.create_sheet(names["unread"]), unread_headers(lang),
              lambda: unread_rows(scan, lang))  # fmt: skip
    if scan.baseline is not None:
        _fixed_sheet(workbook.create_sheet(names["fixed"]), scan, lang)
    _figures_sheet(workbook.create_sheet(names["figures"]), scan, lang)
    workbook.save(handle)


def _rectification_sheet(sheet: WriteOnlyWorksheet, scan: ScanResult, lang: str) -> None:
    w = WORDS[lang]
    headers, _rows = rectification_rows(scan, lang, with_fingerprint=True)
    column = {header: index for index, header in enumerate(headers)}
    deadline, severity = column[w["deadline"]], column[w["severity"]]
    severity_names = {name: key for key, name in SEVERITY[lang].items()}

    def rows() -> Iterable[list[Any]]:
        for row in rectification_rows(scan, lang, with_fingerprint=True)[1]:
            row[deadline] = scan.deadline  # a real date cell, not text
            yield row

    def style(cell: Any, index: int) -> None:
        if index == severity and cell.value in severity_names:
            cell.fill = SEVERITY_FILLS[severity_names[cell.value]]
        elif index == deadline:
            cell.number_format = "yyyy-mm-dd"

    count = _fill(sheet, headers, rows,
                  wrapped={w["message"], w["basis"], w["advice"], w["remark"]},
                  hidden={w["fingerprint"]}, style=style)  # fmt: skip
    status = get_column_letter(column[w["status"]] + 1)
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(OFFICE_STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="状态",
        error="请从下拉列表中选择：" + "、".join(OFFICE_STATUSES),
    )
    choices.add(f"{status}2:{status}{max(2, count + 1)}")
    sheet.data_validations.append(choices)


def _fixed_sheet(sheet: WriteOnlyWorksheet, scan: ScanResult, lang: str) -> None:
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
    _fill(sheet, headers, lambda: rows, wrapped={w["message"], w["remark"]})


def _figures_sheet(sheet: WriteOnlyWorksheet, scan: ScanResult, lang: str) -> None:
    """数据汇总: one row per audited report, every cell of the three tables; blank = unread."""
    w = WORDS[lang]
    headers = [w["unit"], w["year"], w["type"], w["file"], *figure_columns()]
    blank = [None] * (len(headers) - 4)

    def rows() -> Iterable[list[Any]]:
        for report in scan.ranked_by_name():
            yield [
                report.subject,
                report.year or "",
                UNIT_TYPES[lang].get(report.unit_type, report.unit_type),
                report.path,
                *(report.figures or blank),
            ]

    _fill(sheet, headers, rows, fixed_widths={name: FIGURE_WIDTH for name in headers[4:]},
          header_alignment=WRAP, freeze="B2")  # fmt: skip


def _fill(
    sheet: WriteOnlyWorksheet,
    headers: list[str],
    rows: Rows,
    wrapped: set[str] | frozenset[str] = frozenset(),
    fixed_widths: dict[str, int] | None = None,
    hidden: set[str] | frozenset[str] = frozenset(),
    style: Callable[[Any, int], None] | None = None,
    header_alignment: Alignment | None = None,
    freeze: str = "A2",
) -> int:
    """A sheet: a bold header row, frozen, filtered, columns sized to their contents, print
    set-up; ``style(cell, column index)`` dresses a body cell. Returns the number of rows."""
    fixed_widths = fixed_widths or {}
    measured = [
        index for index, header in enumerate(headers)
        if header not in fixed_widths and header not in wrapped
    ]  # fmt: skip
    widths = {index: _display_width(headers[index]) for index in measured}
    count = 0
    for row in rows():
        count += 1
        for index in measured:
            widths[index] = max(widths[index], _display_width(_shown(row[index])))
    for index, header in enumerate(headers):
        dimension = sheet.column_dimensions[get_column_letter(index + 1)]
        if header in fixed_widths:
            dimension.width = fixed_widths[header]
        elif header in wrapped:
            dimension.width = WRAPPED_WIDTH
        else:
            dimension.width = min(MAX_WIDTH, max(6, widths[index] + 2))
        dimension.hidden = header in hidden
    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, count + 1)}"
    _print_setup(sheet)
    sheet.append([_header_cell(sheet, header, header_alignment) for header in headers])
    wraps = {index for index, header in enumerate(headers) if header in wrapped}
    for row in rows():
        cells = []
        for index, value in enumerate(row):
            cell = _cell(sheet, value)
            if index in wraps:
                cell.alignment = WRAP
            if style:
                style(cell, index)
            cells.append(cell)
        sheet.append(cells)
    return count


def _header_cell(sheet: WriteOnlyWorksheet, header: str, alignment: Alignment | None) -> Any:
    cell = _cell(sheet, header)
    cell.font = Font(bold=True)
    cell.fill = HEADER_FILL
    if alignment:
        cell.alignment = alignment
    return cell


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A cell; text beginning like a formula stays text: a string cell (openpyxl would
    otherwise write ``=...`` as a formula) with Excel's hidden quote prefix, so editing it
    keeps it inert."""
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _print_setup(sheet: WriteOnlyWorksheet) -> None:
    """Landscape A4, all columns on one page width, the header row repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _shown(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value if value is not None else "")


def _display_width(text: str) -> int:
    """Columns a text takes: CJK characters count twice."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
