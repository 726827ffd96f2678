"""The custom lexer: a document's blocks -> the tokens grammars/report.lark reads.

One token per paragraph and per table row (lark's ``examples/advanced/custom_lexer.py``
pattern: tokens over objects, not characters). A paragraph is a title, a section heading, a
subheading, a date, a table head or text. A table row is named after the row of the national
form its label says it is (``NEW``, ``DENIED_2``, ``REGULATIONS`` …) in the table it stands in;
a row of values without a recognisable label is ``VALUES``, one without values ``LABEL_ROW``.

Each token's ``line`` is the 1-based index of its logical line in ``logical_lines(document)``:
the paragraph or row, folded for matching, with its cells and their source lines and pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import NamedTuple

from lark import Token
from lark.lexer import Lexer

from gkaudit.base.vocabulary import (
    ACTIVE_2019,
    COLUMN_HEADER_WORDS,
    OLD_OTHER_ROW,
    TEMPLATE_2019_MARKERS,
    form_for,
)
from gkaudit.read.blocks import Cell, Document, Grid, Paragraph
from gkaudit.read.layout import SUBHEADING, fold, is_section_heading, is_value, table_head

_SHORT_HEADING = re.compile(
    r"^[一二三四五六七八九十]{1,2}[、.](?!本年|上年|结转|本法)[\u4e00-\u9fff、和与及()]{2,24}[。:]?$"
)
_DATE_LINE = re.compile(
    r"^\(?(?:(?:19|20)\d\d|[一二〇零○Ｏ0][〇零○Ｏ0一二三四五六七八九]{3})年"
    r"[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日\)?$"
)
_TITLE = re.compile(
    r"^(?=.{0,60}(?:信息公开|政务公开))(?=.{0,60}(?:年度报告|(?:19|20)\d\d年))[^\t,。;:《》]{4,60}$"
)
_TITLE_TAIL = re.compile(r"^(?:工作)?年度报告$")
MAX_HEAD_TEXT = 60


class SourceCell(NamedTuple):
    """One table cell of Table C's run of numbers: folded text for matching, raw text as
    written, source line and page."""

    text: str
    raw: str
    line: int
    page: int | None = None
    run_together: bool = False


class RowParts(NamedTuple):
    """A row split once: its label cells' text (tab-joined), the label's line, the cells after
    it — their folded texts (``values``) and the reader's cells they came from (``sources``)."""

    labels: str
    label_line: int
    values: tuple[str, ...]
    sources: tuple[Cell, ...]

    @property
    def has_values(self) -> bool:
        return any(self.values)


class Line(NamedTuple):
    """One logical line: a paragraph, or a table row when ``cells`` is set.

    ``number`` is the 1-based source line where it starts, ``end`` where it ends (they differ
    for rows gathered from one cell per line). ``text`` never contains a newline; for a row it
    is the cells' folded text joined by tabs. A row keeps the reader's cells as they are
    (``cells``) beside their folded texts (``texts``); no cell is copied.
    """

    number: int
    end: int
    text: str
    written: str | None  # a paragraph as written; None for a row (see ``raw``)
    cells: tuple[Cell, ...] | None = None
    page: int | None = None
    parts: RowParts | None = None  # a row's label and value cells, split once
    texts: tuple[str, ...] | None = None  # a row's cells folded for matching

    @property
    def is_row(self) -> bool:
        return self.cells is not None

    @property
    def raw(self) -> str:
        """The line as written: a row's cells joined by tabs."""
        if self.written is not None:
            return self.written
        return "\t".join([cell.text for cell in self.cells or ()])


def logical_lines(document: Document) -> list[Line]:
    """The document's paragraphs and table rows, in order, as logical lines."""
    lines: list[Line] = []
    new = _TUPLE_NEW
    for block in document.blocks:
        if isinstance(block, Paragraph):
            text = fold(block.text)
            if text:
                lines.append(
                    new(Line, (block.line, block.end, text, block.text, None, block.page))
                )
            continue
        _row_lines(block, lines)
    return lines


def _row_lines(grid: Grid, lines: list[Line]) -> None:
    """The grid's rows that have a cell filled in, appended to ``lines``. A block's cell is a
    (text, line, page, run_together) tuple: read by index on this hot path."""
    new = _TUPLE_NEW  # Line(...) without NamedTuple's Python-level __new__: the hot path
    append = lines.append
    for row in grid.rows:
        texts = tuple([fold(cell[0]) for cell in row])
        last = len(texts) - 1
        while last >= 0 and not texts[last]:
            last -= 1
        if last < 0:  # no cell filled in
            continue
        label = last  # the last label cell: neither empty, nor a value, nor run-together
        while label >= 0:
            folded = texts[label]
            if folded and not is_value(folded) and not row[label][3]:
                break
            label -= 1
        if label > 0:
            labels = "\t".join([folded for folded in texts[: label + 1] if folded])
        else:  # the commonest: one label cell, or none
            labels = texts[0] if label == 0 else ""
        start = end = row[0][1]  # the row's first and last source line
        for cell in row:
            if cell[1] < start:
                start = cell[1]
            elif cell[1] > end:
                end = cell[1]
        parts = new(RowParts, (labels, row[max(label, 0)][1], texts[label + 1 :], row[label + 1 :]))
        text = "\t".join(texts[: last + 1])
        append(new(Line, (start, end, text, None, row, row[0][2], parts, texts)))


_TUPLE_NEW = tuple.__new__


def split_row(line: Line) -> RowParts:
    """A row's labels (the non-empty cells up to the last one that is not a value) and values,
    split once when the row was made; a paragraph is all label."""
    if line.parts is not None:
        return line.parts
    return RowParts(line.text, line.number, (), ())


def tokens(lines: list[Line]) -> list[Token]:
    """Classify every logical line; which table a row belongs to follows the table heads."""
    result: list[Token] = []
    table: str | None = None
    template: str | None = None
    seen_section = title_seen = False
    make = _make_token
    for index, line in enumerate(lines, start=1):
        text = line.text
        if line.cells is None:
            kind = _paragraph_kind(text, seen_section or table is not None, title_seen, result)
            if kind == "SECTION_HEADING":
                seen_section, table = True, None
            elif kind.endswith("_HEAD"):
                table = kind[: -len("_HEAD")].lower()
            title_seen = title_seen or kind == "TITLE"
            result.append(make(kind, text, None, index, 1))
            continue
        head = table_head(text)
        if head is not None and (head != table or head == "active"):
            if head == "active" and TEMPLATE_2019_MARKERS.search(text):
                template = "2019"
            table = head
            result.append(make(f"{head.upper()}_HEAD", text, None, index, 1))
        if table == "active" and template != "2019" and TEMPLATE_2019_MARKERS.search(text):
            template = "2019"
        result.append(make(row_kind(line, table, template), text, None, index, 1))
    return result


def row_kind(line: Line, table: str | None, template: str | None = None) -> str:
    """The token a table row is: its form row, VALUES, LABEL_ROW, or a plain ROW.

    A row with no value filled in is a form row only when it has a blank cell for each of the
    row's values (a label with its cells left empty); otherwise it is a header or a label."""
    parts = line.parts or split_row(line)
    if table is None:
        return "ROW" if sum(1 for text in line.texts or () if text) > 1 else "TEXT"
    if not parts.values or (COLUMN_HEADER_WORDS.search(parts.labels) and _is_header(parts)):
        return "LABEL_ROW"
    if not parts.labels:
        numbers = any(any(ch.isdigit() for ch in text) for text in parts.values)
        return "VALUES" if numbers else "LABEL_ROW"
    named = _named_row(table, template, parts.labels)
    if named is None:
        return "VALUES" if parts.has_values else "LABEL_ROW"
    kind, width = named
    if kind == "OTHER_2019":
        return kind
    if not parts.has_values and (table == "review" or len(parts.values) < width):
        return "LABEL_ROW"
    if table == "review" and len([text for text in parts.values if text]) > width:
        return "VALUES"  # the whole table's numbers after its header cells, not one group
    return kind


@lru_cache(maxsize=4096)
def _named_row(table: str, template: str | None, labels: str) -> tuple[str, int] | None:
    """The token and width of the form's row that a row's labels name, or (OTHER_2019, 0) for
    Table B's 2019 row; None when they name none. Labels repeat from report to report (the
    form's wording): computed once per table and labels."""
    form = form_for(table, template)
    own = labels.rsplit("\t", 1)[-1]  # the row's own label, after its group's
    key = form.classify(own) or form.classify(labels)
    if key is None and table == "active" and template != "2019":
        key = ACTIVE_2019.classify(own) or ACTIVE_2019.classify(labels)
        key = key if key in ("other_services", "procurement") else None
    if key is None and table == "requests" and OLD_OTHER_ROW.search(labels):
        return "OTHER_2019", 0
    if key is None:
        return None
    return key.upper(), row_width(form.table, form.template, key)


@cache
def row_width(table: str, template: str, key: str) -> int:
    """The number of value columns of a row of the form (Table A's 2019 rows included)."""
    form = form_for(table, template)
    return (form.row(key) if key in form.keys else ACTIVE_2019.row(key)).width


def _is_header(parts: RowParts) -> bool:
    """Column headers (自然人 … 总计; 结果维持 …) name no row, even when they end like one, nor
    do they with a row of placeholders (- - -) under them."""
    if not COLUMN_HEADER_WORDS.search(parts.labels):
        return False
    if not parts.has_values:
        return True
    own = parts.labels.rsplit("\t", 1)[-1]
    header_cell = own in ("其他", "总计") or bool(COLUMN_HEADER_WORDS.search(own))
    return header_cell and not any(any(ch.isdigit() for ch in text) for text in parts.values)


def _paragraph_kind(text: str, seen_section: bool, title_seen: bool, so_far: list[Token]) -> str:
    if is_section_heading(text) or _SHORT_HEADING.match(text):
        return "SECTION_HEADING"
    if len(text) <= MAX_HEAD_TEXT and "。" not in text:
        head = table_head(text)
        if head is not None:
            return f"{head.upper()}_HEAD"
    if SUBHEADING.match(text):
        return "SUBHEADING"
    if _DATE_LINE.match(text):
        return "DATE_LINE"
    if not seen_section and _TITLE.match(text):
        return "TITLE"
    if so_far and so_far[-1].type == "TITLE" and _TITLE_TAIL.match(text):
        return "TITLE_TAIL"
    return "TEXT"


_STR_NEW = str.__new__


def _make_token(kind: str, text: str, start: None, index: int, column: int) -> Token:
    """One token per logical line, numbered from 1: what ``Token(kind, text, start, index,
    column)`` makes, without lark's handling of its deprecated keywords and ``super()`` call
    (a third of the cost of a token). Every attribute of a Token is set."""
    token = _STR_NEW(Token, text)
    token.type = kind
    token.value = text
    token.start_pos = start
    token.line = index
    token.column = column
    token.end_line = token.end_column = token.end_pos = None
    return token


class BlockLexer(Lexer):
    """Hands the parser the tokens made by ``tokens()`` (lark's custom-lexer interface)."""

    def __init__(self, lexer_conf: object) -> None:
        pass

    def lex(self, data: list[Token]) -> Iterator[Token]:  # type: ignore[override]
        yield from data
