"""The scan as a workbook an office hands to units: a ranked sheet and a rectification list."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gkaudit.outputs import (
    FORMULA_STARTS,
    WORDS,
    ranking_headers,
    ranking_rows,
    rectification_rows,
)
from gkaudit.scan import ScanResult

SHEET_NAMES = {"zh": ("报告排名", "整改清单"), "en": ("Ranking", "Rectification list")}
MAX_WIDTH = 60
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")


def render_xlsx(scan: ScanResult, lang: str = "zh") -> bytes:
    workbook = Workbook()
    ranking = workbook.active
    ranking.title = SHEET_NAMES[lang][0]
    _fill(ranking, ranking_headers(lang), ranking_rows(scan, lang))
    headers, rows = rectification_rows(scan, lang)
    findings = workbook.create_sheet(SHEET_NAMES[lang][1])
    _fill(findings, headers, rows)
    message_column = headers.index(WORDS[lang]["message"]) + 1
    for row in findings.iter_rows(min_row=2, min_col=message_column, max_col=message_column):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Any, headers: list[str], rows: list[list[Any]]) -> None:
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
        values = [header, *(row[index - 1] for row in rows)]
        width = max(_display_width(str(value)) for value in values) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(6, width))


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
