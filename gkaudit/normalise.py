"""Step 2 of the data flow: text -> logical lines the grammar can read.

What is simpler before the grammar than in it happens here, line by line:

* width folding (full-width ASCII and the ideographic space become half-width);
* spaces next to CJK characters are dropped (``规 章`` -> ``规章``, ``2024 年`` -> ``2024年``);
* page numbers (``- 4 -``), Markdown table rules and heading marks are removed;
* every table layout becomes one logical line of cells: tab-separated rows, ``|`` rows,
  one-cell-per-line blocks (with labels broken over lines joined back), and PDF rows whose
  numbers are separated only by spaces.

Each cell keeps the source line it came from and its raw text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = ord(" ")
_FULL_WIDTH[0xFEFF] = None  # BOM / zero-width no-break space
_FULL_WIDTH[0x200B] = None  # zero-width space
_FULL_WIDTH[0x0C] = ord(" ")  # form feed from PDF page breaks
_FULL_WIDTH[0xA0] = ord(" ")

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\u2014\u2018-\u201d\u2026"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?)\s*$"
)
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
_STACKED_CELL = re.compile(r"^\t[^\t]*$")
_NUMBER = r"[-－]?\d[\d,]*(?:\.\d+)?"
_SPACED_ROW = re.compile(
    rf"^(?P<label>[^\d\s][^,;:。，；：]{{0,40}}?)?(?P<numbers>(?:^|\s+){_NUMBER}(?:\s+{_NUMBER})*)\s*$"
)
_HEADING_LIKE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|第二十条)"
)
_NUMERIC_CELL = re.compile(rf"^(?:{_NUMBER}|[-－/—–]+)$")
MAX_CONTINUATION = 12
MAX_SPACED_ROW = 400  # characters: a PDF table row is short; prose is not split
MAX_CELLS = 64  # the widest table row has about 20 cells; more is not a table row


class SourceCell(NamedTuple):
    """One table cell: folded text for matching, raw text as written, its source line."""

    text: str
    raw: str
    line: int


class Line(NamedTuple):
    """One logical line: plain text, or a table row when ``cells`` is set.

    ``number`` is the 1-based source line where it starts, ``end`` where it ends
    (they differ for one-cell-per-line rows). ``text`` never contains a newline; for a
    row it is the cells' text joined by tabs.
    """

    number: int
    end: int
    text: str
    raw: str
    cells: tuple[SourceCell, ...] | None = None

    @property
    def is_row(self) -> bool:
        return self.cells is not None


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Fold widths and drop spaces next to CJK characters; strip the ends."""
    return _SPACE_NEXT_TO_CJK.sub("", text.translate(_FULL_WIDTH)).strip()


@lru_cache(maxsize=4096)
def is_numeric_cell(text: str) -> bool:
    """A number, or a placeholder for one (``/``, ``-``, ``—``)."""
    return bool(_NUMERIC_CELL.match(text))


def normalise(text: str) -> list[Line]:
    """Turn report text into logical lines; blank lines and page furniture are dropped."""
    physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[Line] = []
    index = 0
    while index < len(physical):
        raw = physical[index]
        number = index + 1
        if _STACKED_CELL.match(raw):
            line, index = _stacked_row(physical, index)
            if line.text:
                lines.append(line)
            continue
        index += 1
        line = _single_line(raw, number)
        if line is not None and line.text:
            lines.append(line)
    return lines


def _single_line(raw: str, number: int) -> Line | None:
    stripped = raw.strip()
    if not stripped or _is_furniture(stripped):
        return None
    if stripped[0] == "#":
        raw = _MARKDOWN_HEADING.sub("", raw)
    if "\t" in raw:
        return _cells_or_text(raw.split("\t"), number, raw)
    if stripped[0] == "|":
        return _cells_or_text(stripped.strip("|").split("|"), number, raw)
    if stripped[-1].isdigit() and len(stripped) <= MAX_SPACED_ROW:
        spaced = _spaced_row(raw, number)
        if spaced is not None:
            return spaced
    text = fold(raw)
    return Line(number, number, text, raw) if text else None


def _cells_or_text(parts: list[str], number: int, raw: str) -> Line:
    if len(parts) > MAX_CELLS:
        return Line(number, number, fold(" ".join(parts)), raw)
    return _row_or_text([_cell(part, number) for part in parts], number, number, raw)


def _is_furniture(stripped: str) -> bool:
    """Page numbers and Markdown table rules: layout, not content."""
    if len(stripped) <= 16 and _PAGE_NUMBER.match(stripped):
        return True
    return "---" in stripped and bool(_MARKDOWN_RULE.match(stripped))


def _spaced_row(raw: str, number: int) -> Line | None:
    """A PDF row such as ``行政许可 97`` or ``32 2 0 0 0 0 34``: numbers split by spaces."""
    folded = raw.translate(_FULL_WIDTH).strip()
    match = _SPACED_ROW.match(folded)
    if not match:
        return None
    numbers = match.group("numbers").split()
    label = (match.group("label") or "").strip()
    if (not label and len(numbers) < 2) or len(numbers) > MAX_CELLS:
        return None
    cells = ([_cell(label, number)] if label else []) + [_cell(n, number) for n in numbers]
    return _row_or_text(cells, number, number, raw)


def _stacked_row(physical: list[str], start: int) -> tuple[Line, int]:
    """Gather a one-cell-per-line block: tab-led lines, plus short label continuations."""
    cells: list[SourceCell] = []
    raws: list[str] = []
    index = start
    while index < len(physical):
        raw = physical[index]
        if _STACKED_CELL.match(raw):
            cells.append(_cell(raw, index + 1))
        elif cells and _continues_label(cells[-1], raw):
            previous = cells[-1]
            cells[-1] = SourceCell(
                previous.text + fold(raw), previous.raw + "\n" + raw, previous.line
            )
        else:
            break
        raws.append(raw)
        index += 1
    return _row_or_text(cells, start + 1, index, "\n".join(raws)), index


def _continues_label(previous: SourceCell, raw: str) -> bool:
    text = fold(raw)
    return (
        bool(text)
        and "\t" not in raw
        and len(text) <= MAX_CONTINUATION
        and bool(previous.text)
        and not is_numeric_cell(previous.text)
        and not _HEADING_LIKE.match(text)
        and not _PAGE_NUMBER.match(raw)
    )


def _row_or_text(cells: list[SourceCell], number: int, end: int, raw: str) -> Line:
    """A row when two or more cells have text; otherwise a line of the one that has, read by
    the grammar as text but keeping its cells (a label with all its values left blank).

    Trailing empty cells stay in the row (a blank last value is still a cell) but not in
    its text.
    """
    filled = [cell for cell in cells if cell.text]
    if len(filled) <= 1:
        kept = tuple(cells) if filled and len(cells) > 1 else None
        return Line(number, end, filled[0].text if filled else "", raw, kept)
    last = max(index for index, cell in enumerate(cells) if cell.text)
    text = "\t".join(cell.text for cell in cells[: last + 1])
    return Line(number, end, text, raw, tuple(cells))


def _cell(raw: str, number: int) -> SourceCell:
    return SourceCell(fold(raw), raw.strip(), number)
