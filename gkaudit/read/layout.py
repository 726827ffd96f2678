"""The one layout step: plain text or Markdown -> blocks (paragraphs, and tables as grids).

Text reaches gkaudit in many shapes (tests/layouts.py writes each): one row per line with tab or
``|`` cells (with or without outer pipes, Markdown tables), one cell per line (led by a tab or
not, with ``|`` lines or a trailing `` |`` between cells, rows separated by blank lines or not,
blank lines between every cell), PDF rows whose cells are separated by spaces only, labels
spaced (``规 章``) or broken over lines, page numbers inside tables, and crawled rows that lost
every separator (``一、本年新收政府信息公开申请数量21710000218``).

The step finds the table regions (a table head of the national form starts one; a section
heading or prose ends it), and turns each region into a grid. Where a layout gives one cell
per line, rows are cut where the form makes them: a run of label cells followed by a run of
value cells. Blank cells survive where the layout marks them (an empty tab cell, ``| |``, a
lone ``\\t``) and are never invented where it does not. Nothing here knows what a row means:
that is the grammar's job.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, count, repeat
from operator import itemgetter
from typing import Literal, NamedTuple, TypeVar, get_args

from gkaudit.base.errors import ReadError
from gkaudit.base.vocabulary import (
    ACTIVE_HEAD,
    REQUESTS_HEAD,
    REVIEW_HEAD,
    SECTION_WORDS,
)
from gkaudit.read.blocks import Block, Cell, Document, Grid, Paragraph

MAX_LINES = 50_000  # lines per report: real reports have a few hundred
MAX_CELLS = 64  # the widest table row has about 20 cells; more is not a table row
MAX_SPACED_ROW = 400  # characters: a PDF table row is short; prose is not split
MAX_CONTINUATION = 12  # characters of a label broken over lines, per line
MAX_CELL_TEXT = 40  # a table cell of the form is shorter; a longer line is prose
MAX_HEAD_TEXT = 60  # a table head (勾稽关系 note, 申请人情况 …) as one line

_FULL_WIDTH: dict[int, int | None] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH.update({0x3000: ord(" "), 0xA0: ord(" "), 0x0C: ord(" "), 0x0B: ord(" ")})
_FULL_WIDTH.update({0xFEFF: None, 0x200B: None})  # BOM / zero-width spaces
_WIDE = re.compile("[" + "".join(map(chr, sorted(_FULL_WIDTH))) + "]")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\u2014\u2018-\u201d\u2026"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?)\s*$"
)
_FURNITURE_START = frozenset("-—–－第")
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
_NUMBER = r"[-－]?\d[\d,]*(?:\.\d+)?"
_VALUE = re.compile(rf"^(?:{_NUMBER}|[-－/—–]+|无)$")
_SPACED_ROW = re.compile(
    rf"^(?P<label>(?:\d{{1,2}}[.、]\s*)?[^\d\s][^。；;]{{0,80}}?)?"
    rf"(?P<numbers>(?:^|\s+){_NUMBER}(?:\s+{_NUMBER})*)\s*$"
)
_PROSE_PUNCTUATION = re.compile(r"[,:，：]")
_RUN_TOGETHER = re.compile(r"^(?P<label>.*[\u4e00-\u9fff\)）][^\d]*?)(?P<digits>\d{2,})$")
_SECTION_HEADING = re.compile(
    rf"^(?:[一二三四五六七八九十]+|\d{{1,2}})[、.,](?!本年|上年|结转|本法)"
    rf"(?=.{{0,30}}(?:{'|'.join(SECTION_WORDS)}))"
)
SUBHEADING = re.compile(r"^\([一二三四五六七八九十]+\)")
_OTHER_BREAK = re.compile("[\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # str.splitlines breaks
_CELL_THEN_MERGED = re.compile(r"^(?P<cell>[^|]+)\|\s*\|{2,}\s*$")

# Words every table head contains (a cheap test before folding): 第二十条, 勾稽关系, 申请人情况,
# 本年新收, 自然人, 行政复议 — possibly spaced out (规 章 style) or in traditional characters.
_HEAD_HINT = re.compile(
    r"第\s*二\s*十\s*条|勾|申\s*请\s*人|本\s*年\s*新\s*收|自\s*然\s*人|行\s*政\s*复\s*议"
)

TableKind = Literal["active", "requests", "review", "other"]
_V = TypeVar("_V")


class Memo(dict[str, _V]):
    """``memo[text]`` (or ``memo.__getitem__(text)``) is ``function(text)``, computed once: a
    dict lookup, half the cost of an ``lru_cache`` call on the hot paths, where some thousand
    lookups are made per report. Everything is forgotten at once past ``size`` entries, so the
    memory stays bounded over a long run."""

    __slots__ = ("function", "size")

    def __init__(self, function: Callable[[str], _V], size: int) -> None:
        super().__init__()
        self.function = function
        self.size = size

    def __missing__(self, text: str) -> _V:
        if len(self) >= self.size:
            self.clear()
        value = self[text] = self.function(text)
        return value


def _fold(text: str) -> str:
    return _SPACE_NEXT_TO_CJK.sub("", _narrow(text)).strip()


def _narrow(text: str) -> str:
    """Full-width forms folded (``text.translate(_FULL_WIDTH)``), skipped when there are none:
    translating through a dict costs a failed lookup per character."""
    return text.translate(_FULL_WIDTH) if _WIDE.search(text) else text


# fold(text): widths folded, spaces next to CJK characters dropped, the ends stripped.
fold: Callable[[str], str] = Memo(_fold, 16384).__getitem__


def _is_value(text: str) -> bool:
    return bool(_VALUE.match(fold(text)))


# is_value(text): a number, or a placeholder standing for one (``/``, ``-``, ``—``, ``无``).
is_value: Callable[[str], bool] = Memo(_is_value, 8192).__getitem__


def table_head(text: str) -> TableKind | None:
    """Which of the three tables a line or row (folded, cells joined by tabs) starts."""
    if not _HEAD_HINT.search(text):
        return None
    if ACTIVE_HEAD.search(text):
        return "active"
    if REVIEW_HEAD.search(text):
        return "review"
    if REQUESTS_HEAD.search(text):
        return "requests"
    return None


def is_section_heading(text: str) -> bool:
    return bool(_SECTION_HEADING.match(text))


# --- physical lines -> pieces ------------------------------------------------------------

PieceKind = Literal["blank", "cells", "cell", "separator", "text"]


class _Piece(NamedTuple):
    """One physical line: its kind, source line, raw text, and its cells ("cells": a row's
    cells; "cell" and "text": one, in a 1-tuple). One is made per line, with ``_new``
    (NamedTuple's own ``__new__`` is a Python call)."""

    kind: PieceKind
    line: int
    raw: str
    cells: Sequence[str]
    tab_led: bool


_new = tuple.__new__
# A blank line: nothing reads its number or text (it only separates), so all share one piece.
_BLANK = _new(_Piece, ("blank", 0, "", (), False))
_TAB_LED = itemgetter(_Piece._fields.index("tab_led"))


def _piece(raw: str, number: int) -> _Piece | None:
    """What one physical line is; None for page furniture (page numbers, Markdown rules)."""
    if "\t" in raw:  # a tab row, a tab-led cell, or a lone tab (an empty cell)
        return _tabbed(raw, number)
    stripped = raw.strip()
    if not stripped:
        return _BLANK
    if stripped == "|":  # the commonest line of cell_pipe_lines: no need to fold it
        return _new(_Piece, ("separator", number, raw, (), False))
    if is_value(stripped):  # a lone number: the commonest line of one-cell-per-line tables
        return _new(_Piece, ("text", number, raw, (stripped,), False))
    first = stripped[0]
    if first in _FURNITURE_START and len(stripped) <= 16 and _PAGE_NUMBER.match(stripped):
        return None
    if "---" in stripped and _MARKDOWN_RULE.match(stripped):
        return None
    if first == "#":
        raw = _MARKDOWN_HEADING.sub("", raw)
        stripped = raw.strip()
        if not stripped:  # a heading mark alone
            return _BLANK
    if "|" in stripped:
        return _piped(stripped, number, raw)
    if stripped[-1].isdigit() and len(stripped) <= MAX_SPACED_ROW:
        spaced = _spaced(stripped, number, raw)
        if spaced is not None:
            return spaced
    return _new(_Piece, ("text", number, raw, (stripped,), False))


def _tabbed(raw: str, number: int) -> _Piece:
    parts = raw.split("\t")
    if len(parts) == 2 and not parts[0].strip():  # "\tX" or a lone "\t": one cell
        return _new(_Piece, ("cell", number, raw, (parts[1].strip(),), True))
    if len(parts) > MAX_CELLS:
        return _new(_Piece, ("text", number, raw, (" ".join(p.strip() for p in parts),), False))
    return _new(_Piece, ("cells", number, raw, [part.strip() for part in parts], False))


def _piped(stripped: str, number: int, raw: str) -> _Piece:
    if stripped == "|":
        return _new(_Piece, ("separator", number, raw, (), False))
    if stripped[-1] == "|" and stripped.count("|") == 1:  # "X |": one cell per line
        return _new(_Piece, ("cell", number, raw, (stripped[:-1].strip(),), False))
    merged = _CELL_THEN_MERGED.match(stripped)
    if merged:  # "8 | ||||||": the last cell of a row, then merged-cell marks
        return _new(_Piece, ("cell", number, raw, (merged["cell"].strip(),), False))
    inner = stripped
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    parts = inner.split("|")
    if len(parts) > MAX_CELLS:
        return _new(_Piece, ("text", number, raw, (stripped,), False))
    if len(parts) == 1 and stripped.endswith("|") and not stripped.startswith("|"):
        # "X |": one cell per line
        return _new(_Piece, ("cell", number, raw, (parts[0].strip(),), False))
    return _new(_Piece, ("cells", number, raw, [part.strip() for part in parts], False))


def _spaced(stripped: str, number: int, raw: str) -> _Piece | None:
    """A PDF row such as ``行政许可 97`` or ``32 2 0 0 0 0 34``: numbers split by spaces."""
    match = _SPACED_ROW.match(_narrow(stripped))
    if not match:
        return None
    numbers = match.group("numbers").split()
    label = (match.group("label") or "").strip()
    if (not label and len(numbers) < 2) or len(numbers) > MAX_CELLS:
        return None
    if len(numbers) < 3 and (len(label) > 40 or _PROSE_PUNCTUATION.search(label)):
        return None  # prose ending in a number, not a row of the form
    return _new(_Piece, ("cells", number, raw, ([label] if label else []) + numbers, False))


# --- pieces -> regions -> blocks ---------------------------------------------------------


@dataclass(slots=True)
class _Region:
    kind: TableKind
    pieces: list[_Piece] = field(default_factory=list)


def text_document(text: str, path: str | None = None) -> Document:
    """Plain text or Markdown as a document, within the line limit."""
    # a text shorter than the limit cannot have more lines: most are not counted
    line_count = text.count("\n") + 1 if len(text) >= MAX_LINES else 0
    if line_count > MAX_LINES:
        raise ReadError(f"too many lines: {line_count} (limit {MAX_LINES})", path=path)
    return Document(blocks_from_text(text), reader="text")


def blocks_from_text(text: str) -> list[Block]:
    """The text's paragraphs and tables, in order. Every Unicode line break ends a line."""
    blocks: list[Block] = []
    region: _Region | None = None
    pieces = map(_piece, text.splitlines(), count(1))  # driven from C: no loop in Python
    found = [piece for piece in pieces if piece is not None]
    hinted = _hinted_lines(text)
    for piece in _join_pipe_cells(found) if "|" in text else found:
        if piece.kind == "blank":  # ends nothing, starts nothing, spells no head
            if region is not None:
                region.pieces.append(piece)
            continue
        kind = _head_of(piece) if piece.line in hinted else None
        if region is not None and (
            (kind is not None and kind != region.kind and region.kind != "other")
            or (
                piece.kind == "text"
                and not is_value(piece.cells[0])  # a lone number ends nothing
                and _ends_region(piece, region)
            )
        ):
            blocks.extend(_region_blocks(region))
            region = None
        if region is None and (kind is not None or piece.kind in ("cells", "cell")):
            region = _Region(kind or "other")
        elif region is not None and region.kind == "other" and kind is not None:
            region.kind = kind
        if region is not None:
            region.pieces.append(piece)
            if region.kind == "other":  # a head broken over lines: 第二 / 十条第（一）项
                region.kind = _head_of_broken_label(region.pieces) or "other"
        elif piece.kind == "text":
            blocks.append(_TUPLE_NEW(Paragraph, (piece.cells[0], piece.line, piece.line, None)))
    if region is not None:
        blocks.extend(_region_blocks(region))
    return blocks


def _hinted_lines(text: str) -> set[int]:
    """The numbers of the lines that may hold a word of a table head: one search of the whole
    text instead of one per line. Every line a match touches is taken (a match may run over a
    line break, which a line's own search would not); ``_head_of`` searches each one again."""
    matches = [match.span() for match in _HEAD_HINT.finditer(text)]
    if not matches:
        return set()
    hinted: set[int] = set()
    if _OTHER_BREAK.search(text) is None:  # "\n" ends every line: count them
        line, counted = 1, 0
        for start, end in matches:
            line += text.count("\n", counted, start)
            last = line + text.count("\n", start, end)
            hinted.update(range(line, last + 1))
            line, counted = last, end
        return hinted
    starts = list(accumulate(map(len, text.splitlines(True)), initial=0))
    for start, end in matches:
        hinted.update(range(bisect_right(starts, start), bisect_right(starts, end - 1) + 1))
    return hinted


def _join_pipe_cells(pieces: list[_Piece]) -> list[_Piece]:
    """One cell per line closed by ``|`` (a ``|`` line after it, or `` |`` at its end): the
    text lines just before the close are the broken lines of that one cell. A ``|`` line that
    closes no text is an empty cell. Without a ``|`` line or cell, nothing changes."""
    result: list[_Piece] = []
    append = result.append
    for piece in pieces:
        kind = piece.kind
        if kind == "cells":
            if not _last_cell_of_a_row(piece, result):
                append(piece)
                continue
            piece = _new(_Piece, ("cell", piece.line, piece.raw, (piece.cells[0],), False))
        elif kind == "blank" or kind == "text" or piece.tab_led:
            append(piece)  # closes nothing
            continue
        # a "|" line, or a cell written "X |": it closes the text lines before it
        parts: list[_Piece] = []
        while result and len(parts) < 8 and _is_cell_part(result[-1]):
            parts.append(result.pop())
        if not parts:
            append(piece)
            continue
        if len(parts) == 1:  # the commonest: a cell on one line
            text = parts[0].cells[0].strip()
        else:
            parts.reverse()
            text = "".join([part.cells[0].strip() for part in parts])
        if piece.kind == "cell":
            text += piece.cells[0]
        append(_new(_Piece, ("cell", parts[0].line, parts[0].raw, (text,), False)))
    return result


def _last_cell_of_a_row(piece: _Piece, before: list[_Piece]) -> bool:
    """``0 | |`` among cells written ``X |`` one per line: the row's last cell, then the mark
    of the row's end — not a row of its own with blank cells."""
    return (
        bool(before)
        and before[-1].kind == "cell"
        and not before[-1].tab_led
        and piece.kind == "cells"
        and bool(piece.cells[0])
        and not any(piece.cells[1:])
    )


def _is_cell_part(piece: _Piece) -> bool:
    return piece.kind == "text" and _is_cell_text(piece.cells[0])


@lru_cache(maxsize=8192)
def _is_cell_text(text: str) -> bool:
    """Short, no full stop, not a section heading: a line that can be part of a cell."""
    text = fold(text)
    return len(text) <= MAX_CELL_TEXT and "。" not in text and not is_section_heading(text)


def _head_of(piece: _Piece) -> TableKind | None:
    if piece.kind in ("blank", "separator") or not _HEAD_HINT.search(piece.raw):
        return None
    joined = "\t".join(fold(cell) for cell in piece.cells if cell.strip())
    if piece.kind == "text" and (
        len(joined) > MAX_HEAD_TEXT or "。" in joined or is_section_heading(joined)
    ):
        return None
    return table_head(joined)


def _head_of_broken_label(pieces: list[_Piece]) -> TableKind | None:
    """The table head that the last lines of single cells spell when joined, if any."""
    parts: list[str] = []
    for piece in reversed(pieces[-6:]):
        if piece.kind not in ("cell", "text"):
            break
        parts.insert(0, fold(piece.cells[0]))
    joined = "".join(parts)
    return table_head(joined) if len(joined) <= MAX_HEAD_TEXT else None


def _ends_region(piece: _Piece, region: _Region) -> bool:
    """A section heading or prose ends a table region; in a generic grid, any text does."""
    if piece.kind != "text" or is_value(piece.cells[0]):
        return False
    if region.kind == "other":  # only label continuations of a tab-led layout go on
        text = fold(piece.cells[0])
        tab_led = any(map(_TAB_LED, region.pieces))
        return not (tab_led and len(text) <= MAX_CONTINUATION and not is_section_heading(text))
    return _ends_table(piece.cells[0], region.kind == "requests")


@lru_cache(maxsize=8192)
def _ends_table(line: str, in_requests: bool) -> bool:
    """A line of text that ends a table of the form: a section heading, prose, or (outside
    Table B, whose rows are numbered so) a subheading."""
    text = fold(line)
    if is_section_heading(text) or len(text) > MAX_CELL_TEXT or "。" in text:
        return True
    return not in_requests and bool(SUBHEADING.match(text)) and len(text) > 3


def _region_blocks(region: _Region) -> list[Block]:
    """A region as blocks: its rows as a grid; text left over before its first row as
    paragraphs (a head line that is a heading of its own)."""
    rows = _rows(region.pieces, region.kind)
    if not rows or (
        not any(is_value(cell.text) for row in rows for cell in row if cell.text)
        and not any(piece.kind == "cells" or piece.tab_led for piece in region.pieces)
    ):
        return [Paragraph(p.cells[0], p.line, p.line) for p in region.pieces if p.kind == "text"]
    # pieces come in line order and a row's cells in its pieces' order: no scan of every cell
    return [Grid(tuple(tuple(row) for row in rows), rows[0][0].line, rows[-1][-1].line)]


def _rows(pieces: list[_Piece], kind: TableKind) -> list[Sequence[Cell]]:
    """Rows of a region: a multi-cell line is a row; single cells are grouped into rows."""
    new = _TUPLE_NEW  # Cell(text, line) without NamedTuple's Python-level __new__: the hot path
    tab_led = any(map(_TAB_LED, pieces))  # from C: no Python loop
    cutting = _cutting_blanks(pieces)
    rows: list[Sequence[Cell]] = []
    group: list[Cell] = []
    previous: _Piece | None = None

    for index, piece in enumerate(pieces):
        piece_kind = piece.kind
        if piece_kind == "text" or piece_kind == "cell":  # the commonest: one cell
            if tab_led and piece_kind == "text" and _continues(piece, previous, group, tab_led):
                last = group[-1]
                group[-1] = last._replace(text=last.text + piece.cells[0].strip())
            else:
                text = piece.cells[0].strip()
                if kind != "other" and text[-1:].isdigit() and not text.isdigit():
                    group.extend(split_run_together([_cell(text, piece.line)]))
                else:
                    group.append(new(Cell, (text, piece.line, None, False)))
        elif piece_kind == "blank":
            if group and index in cutting:
                rows.extend(_cut(group))
                group = []
        elif piece_kind == "cells":
            if group:
                rows.extend(_cut(group))
                group = []
            line = piece.line
            # its cells made from C, as the tuple the grid keeps: Cell(text, line, None, False)
            rows.append(tuple(map(new, _CELL_TYPE, zip(piece.cells, repeat(line), _NONE, _FALSE))))
        else:  # a "|" line that closes no text: an empty cell
            group.append(new(Cell, ("", piece.line, None, False)))
        previous = piece
    if group:
        rows.extend(_cut(group))
    return [row for row in rows if len(row) > 1 or (row and row[0].text)]


def _continues(piece: _Piece, previous: _Piece | None, group: list[Cell], tab_led: bool) -> bool:
    """In tab-led layouts, an untabbed short line right after a cell continues its label."""
    if not (tab_led and piece.kind == "text" and group and previous is not None):
        return False
    if previous.kind not in ("cell", "text"):
        return False
    last = group[-1].text
    text = fold(piece.cells[0])
    return (
        bool(last)
        and not is_value(last)
        and len(text) <= MAX_CONTINUATION
        and (not is_value(text) or not text.isascii())  # 无 of 无法提供 broken after （四）
        and not SUBHEADING.match(text)
        and not ACTIVE_HEAD.search(text)
        and not re.match(r"^[一二三四五六七八九十]+、", text)
    )


def _cutting_blanks(pieces: list[_Piece]) -> set[int]:
    """The blank lines that cut rows: those next to a tab-led cell, or next to a run of two or
    more cells (a row written one cell per line). A blank line between single cells (a blank
    line between every cell) means nothing. The runs between blank lines are found with string
    operations on the pieces written one character each (see ``_CODES``)."""
    if _BLANK not in pieces:  # every blank line is this one piece
        return set()
    codes = "".join(map(_CODES.__getitem__, map(_KIND_AND_LED, pieces)))
    runs = codes.split("b")  # the pieces between blank lines
    cells = list(map(str.replace, runs, repeat("s"), repeat("")))  # a "|" line is no cell
    cutting = set()
    index = -1
    for run, before, after in zip(runs, cells, cells[1:], strict=False):  # one per blank
        index += len(run) + 1  # the blank line after the run
        if len(before) >= 2 or len(after) >= 2 or before[-1:] == "L" or after[:1] == "L":
            cutting.add(index)
    return cutting


# A piece as one character: b a blank line, s a "|" line, L a tab-led cell, c any other.
_CODES = {
    (kind, led): "b" if kind == "blank" else "s" if kind == "separator" else "L" if led else "c"
    for kind in get_args(PieceKind)
    for led in (False, True)
}
_KIND_AND_LED = itemgetter(_Piece._fields.index("kind"), _Piece._fields.index("tab_led"))


def _cut(cells: list[Cell]) -> list[list[Cell]]:
    """Cells of one cell per line, cut into rows: labels, then values; a label after a value
    starts the next row."""
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    seen_value = False
    for cell in cells:
        text, _, _, run_together = cell
        if run_together:  # a value, and the end of its row
            current.append(cell)
            rows.append(current)
            current, seen_value = [], False
        elif not text:
            current.append(cell)
        elif is_value(text):
            current.append(cell)
            seen_value = True
        else:  # a label: after a value, it starts the next row
            if seen_value:
                rows.append(current)
                current, seen_value = [], False
            current.append(cell)
    if current:
        rows.append(current)
    return rows


def _cell(text: str, line: int) -> Cell:
    return Cell(text.strip(), line)


_TUPLE_NEW = tuple.__new__
_CELL_TYPE, _NONE, _FALSE = repeat(Cell), repeat(None), repeat(False)  # for map(_TUPLE_NEW, ...)


def split_run_together(row: list[Cell]) -> list[Cell]:
    """A label cell ending in a run of digits (a crawled row that lost its separators) becomes
    the label and one run-together value cell."""
    text = row[0].text if len(row) == 1 else ""
    if not text[-1:].isdigit() or text.isdigit():
        return row
    match = _RUN_TOGETHER.match(fold(row[0].text))
    if match is None:
        return row
    cell = row[0]
    return [
        Cell(match["label"], cell.line, cell.page),
        Cell(match["digits"], cell.line, cell.page, run_together=True),
    ]
