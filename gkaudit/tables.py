"""Reading the three tables: the lines of a table region -> rows under canonical keys.

The grammar finds where each table is; this module decides what each row of it means, from
its label, whatever column the label sits in and whatever layout the row came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from gkaudit.model import (
    ACTIVE_WIDTHS,
    REQUEST_COLUMNS,
    REVIEW_COLUMNS,
    REVIEW_KEYS,
    Cell,
    Number,
    Problem,
    Row,
    Table,
)
from gkaudit.normalise import Line, SourceCell, is_numeric_cell

_PLACEHOLDERS = {"无"}
_INTEGER = re.compile(r"^[-－]?\d{1,3}(?:,\d{3})+$|^[-－]?\d+$")
_DECIMAL = re.compile(r"^[-－]?\d+\.\d+$")

ACTIVE_LABELS = (
    ("regulations", re.compile(r"^规章$")),
    ("normative_documents", re.compile(r"规范性文件$")),
    ("licensing", re.compile(r"^行政许可$")),
    ("penalty", re.compile(r"^行政处罚$")),
    ("enforcement", re.compile(r"^行政强制$")),
    ("fees", re.compile(r"事业性收费$")),
)

# Checked in order against the row's labels joined; specific wording before general.
REQUEST_LABELS = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("new", r"本年新收"),
        ("carried_over", r"上年结转"),
        ("carried_forward", r"结转下年|转下一?年"),
        ("denied_1", r"国家秘密"),
        ("denied_2", r"法律行政法规|禁止公开"),
        ("denied_3", r"三安全一稳定|危及"),
        ("denied_4", r"第三方合法权益"),
        ("denied_5", r"内部事务"),
        ("denied_6", r"过程性"),
        ("denied_7", r"执法案卷"),
        ("denied_8", r"行政查询"),
        ("unable_1", r"不掌握"),
        ("unable_2", r"另行制作|没有现成"),
        ("unable_3", r"仍不明确|补正后申请"),
        ("not_processed_1", r"信访|举报投诉"),
        ("not_processed_2", r"重复申请"),
        ("not_processed_3", r"公开出版物"),
        ("not_processed_4", r"大量反复"),
        ("not_processed_5", r"重新出具"),
        ("other_1", r"逾期不补正"),
        ("other_2", r"缴纳费用|收费通知"),
        ("other_3", r"(?:^|\t)(?:3[.、]?)?其他$"),
        ("granted", r"予以公开"),
        ("partial", r"部分公开"),
        ("total", r"总计$"),
    )
)
_OLD_OTHER_ROW = re.compile(r"其他处理$")
_COLUMN_HEADERS = re.compile(r"自然人|法人或其他组织|商业企业|申请人情况|科研机构")
REVIEW_LABELS = (
    ("litigation_direct", re.compile(r"未经复议|直接起诉")),
    ("litigation_after_review", re.compile(r"复议后起诉")),
    ("review", re.compile(r"^行政复议$")),
)


@dataclass(frozen=True, slots=True)
class _Parts:
    """A row split once: its label cells' text, the label's source line, the cells after it."""

    labels: str
    label_line: int
    values: list[SourceCell]

    @property
    def has_values(self) -> bool:
        return any(cell.text for cell in self.values)


def read_active(lines: Iterable[Line], start: int) -> tuple[Table, list[Problem]]:
    """Table A: rows found by label anywhere in the 第二十条 blocks."""
    table, problems = Table("active", start), []
    for line in lines:
        parts = _split(line)
        key = _first_match(ACTIVE_LABELS, parts.labels)
        if key is None:
            if line.is_row and parts.has_values:
                problems.append(_unrecognised(line, parts, "active"))
            continue
        width = ACTIVE_WIDTHS[key]
        if line.is_row:
            cells = _fit(parts.values, width)
            if cells is None:
                problems.append(_width_problem(parts, "active", key, width))
                continue
        else:  # the label alone: its value cells are blank
            cells = [Cell(None, "", line.number)] * width
        _add_row(table, Row(key, parts.labels, parts.label_line, cells), problems)
    return table, problems


def read_requests(lines: Iterable[Line], start: int) -> tuple[Table, list[Problem]]:
    """Table B: 25 rows of 7 numbers (8 with a 法人或其他组织 subtotal column)."""
    table, problems = Table("requests", start), []
    eight_wide: list[tuple[str, _Parts, list[SourceCell]]] = []
    width = len(REQUEST_COLUMNS)
    for line in lines:
        if not line.is_row:
            continue
        parts = _split(line)
        if not parts.has_values or _only_placeholders(line):
            blank = _blank_row(parts, width)
            if blank is not None:
                _add_row(
                    table,
                    Row(blank, parts.labels, parts.label_line, _blank_cells(parts, width)),
                    problems,
                )
            continue
        key = _first_match(REQUEST_LABELS, parts.labels)
        if key is None and _OLD_OTHER_ROW.search(parts.labels):
            key = "other_3"
            problems.append(Problem("old-other-row", parts.label_line, {"label": parts.labels}))
        if key is None:
            problems.append(_unrecognised(line, parts, "requests"))
            continue
        trimmed = _trim(parts.values)
        if len(trimmed) == width + 1 and all(cell.text for cell in trimmed):
            eight_wide.append((key, parts, trimmed))
            continue
        cells = _fit(parts.values, width)
        if cells is None:
            problems.append(_width_problem(parts, "requests", key, width))
            continue
        _add_row(table, Row(key, parts.labels, parts.label_line, cells), problems)
    position = _subtotal_position([cells for _, _, cells in eight_wide])
    for key, parts, cells in eight_wide:
        as_cells = [_to_cell(cell) for cell in cells]
        table.subtotals[key] = as_cells.pop(position)
        _add_row(table, Row(key, parts.labels, parts.label_line, as_cells), problems)
    return table, problems


def read_review(lines: Iterable[Line], start: int) -> tuple[Table, list[Problem]]:
    """Table C: 15 numbers, in one row or in three labelled groups of five."""
    table, problems = Table("review", start), []
    width = len(REVIEW_COLUMNS)
    sequence: list[SourceCell] = []
    first_line = start
    for line in lines:
        if not line.is_row or not any(is_numeric_cell(c.text) for c in line.cells or ()):
            continue
        parts = _split(line)
        key = _first_match(REVIEW_LABELS, parts.labels) if parts.labels else None
        if key is not None:
            cells = _fit(parts.values, width)
            if cells is None:
                problems.append(_width_problem(parts, "review", key, width))
            else:
                _add_row(table, Row(key, parts.labels, parts.label_line, cells), problems)
            continue
        if parts.labels:
            problems.append(_unrecognised(line, parts, "review"))
            continue
        if not sequence:
            first_line = line.number
        sequence.extend(_trim(parts.values))
    open_keys = [key for key in REVIEW_KEYS if key not in table.rows]
    if sequence and len(sequence) == width * len(open_keys):
        for index, key in enumerate(open_keys):
            group = sequence[index * width : (index + 1) * width]
            table.rows[key] = Row(key, "", group[0].line, [_to_cell(cell) for cell in group])
    elif sequence:
        expected = width * len(open_keys)
        problems.append(
            Problem("review-count", first_line, {"found": len(sequence), "expected": expected})
        )
    return table, problems


@lru_cache(maxsize=4096)
def parse_number(text: str) -> Number | None:
    """The number a cell holds; None for blanks, placeholders and anything else."""
    text = text.strip().replace("－", "-")
    if _INTEGER.match(text):
        return int(text.replace(",", ""))
    if _DECIMAL.match(text):
        return float(text)
    return None


@lru_cache(maxsize=4096)
def _first_match(patterns: Sequence[tuple[str, re.Pattern[str]]], text: str) -> str | None:
    """The key of the first pattern found in a label (labels repeat across reports: cached)."""
    for key, pattern in patterns:
        if pattern.search(text):
            return key
    return None


@lru_cache(maxsize=4096)
def _is_value(text: str) -> bool:
    return is_numeric_cell(text) or text in _PLACEHOLDERS


def _split(line: Line) -> _Parts:
    """Labels are the non-empty cells up to the last one that is not a value."""
    if not line.is_row:
        return _Parts(line.text, line.number, [])
    cells = line.cells or ()
    index = len(cells) - 1
    while index >= 0 and (not cells[index].text or _is_value(cells[index].text)):
        index -= 1
    labels = "\t".join([cell.text for cell in cells[: index + 1] if cell.text])
    label_line = cells[index].line if index >= 0 else line.number
    return _Parts(labels, label_line, list(cells[index + 1 :]))


def _blank_row(parts: _Parts, width: int) -> str | None:
    """The key of a row whose label is there but whose value cells are all left empty."""
    if len(parts.values) < width or not parts.labels or _COLUMN_HEADERS.search(parts.labels):
        return None
    return _first_match(REQUEST_LABELS, parts.labels)


def _blank_cells(parts: _Parts, width: int) -> list[Cell]:
    return [Cell(None, cell.raw, cell.line) for cell in parts.values[:width]]


def _only_placeholders(line: Line) -> bool:
    cells = line.cells or ()
    return all(not c.text or (_is_value(c.text) and parse_number(c.text) is None) for c in cells)


def _trim(cells: list[SourceCell]) -> list[SourceCell]:
    start, end = 0, len(cells)
    while end > start and not cells[end - 1].text:
        end -= 1
    while start < end and not cells[start].text:
        start += 1
    return cells[start:end]


def _fit(values: list[SourceCell], width: int) -> list[Cell] | None:
    """The value cells of a row, ``width`` of them, or None when they do not fit.

    Surplus empty cells are dropped from the end first (unused columns), then from the start
    (merged label cells); an empty cell inside the row's width stays, as a blank value.
    """
    values = list(values)
    while len(values) > width and not values[-1].text:
        values.pop()
    while len(values) > width and not values[0].text:
        values.pop(0)
    if len(values) != width:
        return None
    return [_to_cell(cell) for cell in values]


def _to_cell(cell: SourceCell) -> Cell:
    return Cell(parse_number(cell.text), cell.raw, cell.line)


def _subtotal_position(rows: list[list[SourceCell]]) -> int:
    """Where the 法人或其他组织 subtotal sits in 8-wide rows: after 其他 (6), or at 1."""
    votes = {6: 0, 1: 0}
    for cells in rows:
        numbers = [parse_number(cell.text) for cell in cells]
        if None in numbers:
            continue
        votes[6] += numbers[6] == sum(numbers[1:6])  # type: ignore[arg-type]
        votes[1] += numbers[1] == sum(numbers[2:7])  # type: ignore[arg-type]
    return 1 if votes[1] > votes[6] else 6


def _add_row(table: Table, row: Row, problems: list[Problem]) -> None:
    if row.key in table.rows:
        first = table.rows[row.key].line
        params = {"table": table.name, "key": row.key, "first": first}
        problems.append(Problem("duplicate-row", row.line, params))
        return
    table.rows[row.key] = row


def _unrecognised(line: Line, parts: _Parts, table: str) -> Problem:
    if not parts.labels:
        return Problem("unlabelled-row", line.number, {"table": table, "values": line.text})
    return Problem("unrecognised-row", parts.label_line, {"table": table, "label": parts.labels})


def _width_problem(parts: _Parts, table: str, key: str, width: int) -> Problem:
    found = len(_trim(parts.values))
    params = {"table": table, "key": key, "found": found, "expected": width}
    return Problem("row-width", parts.label_line, params)
