"""The round trip of the rectification list: the 整改清单 an office filled in, read back as a
baseline — each row's fingerprint, its finding, and the office's 状态 and 整改情况.

Part of the audit (a re-check reads it), not of the outputs: gkaudit.outputs.xlsx writes the
list with these headers, this module reads them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gkaudit.base.errors import GkauditError

FINGERPRINT_HEADERS = ("识别码", "fingerprint")
STATUS_HEADERS = ("状态", "status")
NOTE_HEADERS = ("整改情况", "rectification")


def read_rectification_list(path: str | Path) -> dict[str, Any]:
    """A rectification list this tool wrote, as a baseline: each row's fingerprint, its finding
    and the office's 状态 and 整改情况 (``office``)."""
    from openpyxl import load_workbook  # loaded only for a re-check against a workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise GkauditError(f"baseline {path}: cannot read the workbook: {error}") from None
    try:
        sheet = _list_sheet(workbook)
        if sheet is None:
            raise GkauditError(
                f"baseline {path}: no 整改清单 sheet with a 识别码 column "
                "(use a rectification list written by gkaudit scan -o 整改清单.xlsx)"
            )
        rows = sheet.iter_rows(values_only=True)
        headers = [str(value or "").strip() for value in next(rows)]
        findings = [_baseline_entry(headers, row) for row in rows]
    finally:
        workbook.close()
    return {"tool": "gkaudit", "format": 1, "findings": [f for f in findings if f]}


def _list_sheet(workbook: Any) -> Any:
    for sheet in workbook.worksheets:
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
        if any(str(value or "").strip() in FINGERPRINT_HEADERS for value in first):
            return sheet
    return None


def _baseline_entry(headers: list[str], row: tuple[Any, ...]) -> dict[str, Any] | None:
    def value(*names: str) -> str:
        for name in names:
            if name in headers and headers.index(name) < len(row):
                cell = row[headers.index(name)]
                return "" if cell is None else str(cell).strip()
        return ""

    key = value(*FINGERPRINT_HEADERS)
    if not key:
        return None
    year = value("年度", "year")
    return {
        "fingerprint": key,
        "unit": value("单位", "unit"),
        "year": int(year) if year.isdigit() else None,
        "path": value("文件", "file"),
        "code": value("规则", "code"),
        "message": value("问题说明", "message"),
        "office": {"status": value(*STATUS_HEADERS), "note": value(*NOTE_HEADERS)},
    }
