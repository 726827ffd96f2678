"""Write a report, given as blocks, in the table layouts real reports come in; test code only.

Nothing here imports the package under test (grep finds not even its name), so a layout the
parser mis-reads cannot pass because the fixture was made with the parser's own help.

A document is a list of blocks, in order:
    {"kind": "paragraph", "text": "一、总体情况"}
    {"kind": "table", "rows": [["规章", "0", "0", "0"], ...]}   # "" is an empty cell
The seeds' blocks are stored in tests/data/seed_blocks/<seed>.json (see ``seed_blocks``).

``render(blocks, layout)`` writes them as text; ``encode(text, ...)`` makes the bytes. Layouts
(issue 8, item 1):

    tab                  规章<TAB>0<TAB>0<TAB>0            one row per line
    pipe                 | 规章 | 0 | 0 | 0 |               blank cell: | |
    pipe_open            规章 | 0 | 0 | 0 |                 no leading pipe
    cell_pipe_lines      规章 / | / 0 / | ...               one cell per line, a "|" line after each
    cell_trailing_pipe   规章 | / 0 | ...                   one cell per line ending " |"
    stacked_tab          <TAB>规章 / <TAB>0 ...             one cell per line led by a tab,
                                                            blank line between rows
    stacked_plain        规章 / 0 ...                       the same without the tab
    blank_between_cells  规章 / (blank) / 0 ...             blank line between every cell
    pdf_spaced           规章 0 0 0                         cells separated by spaces, labels
                                                            first, page numbers "- 4 -" inside
    markdown             | 规章 | 0 | ... with |---| rule  a Markdown table

Blank cells are written where the layout marks them (an empty tab cell, ``| |``, a ``|`` line, a
lone tab) and left out where it cannot (stacked_plain, blank_between_cells, pdf_spaced), as the
real world does: they are never invented.

Variants: ``split`` breaks label cells over lines in the layouts that can show a continuation
(stacked_tab: a line without the tab; cell_pipe_lines / cell_trailing_pipe: lines before the
pipe), ``spaced_labels`` writes short labels spaced out (规 章), ``full_width`` turns ASCII
digits into full-width ones, and ``encode`` writes CRLF line ends and GB18030 or UTF-16.

``split_blocks(text)`` is a tiny block splitter for the two layouts the seed files use (tab rows;
one cell per line led by a tab, blank lines between rows, labels broken over lines). It made the
seed JSON files and re-lays rule-case texts out; it knows nothing of the national form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

Block = dict
Row = list[str]

SEED_BLOCKS = Path(__file__).resolve().parent / "data" / "seed_blocks"

LAYOUTS = (
    "tab",
    "pipe",
    "pipe_open",
    "cell_pipe_lines",
    "cell_trailing_pipe",
    "stacked_tab",
    "stacked_plain",
    "blank_between_cells",
    "pdf_spaced",
    "markdown",
)
SPLITTABLE_LAYOUTS = ("stacked_tab", "cell_pipe_lines", "cell_trailing_pipe")
ENCODINGS = ("utf-8", "gb18030", "utf-16")
PDF_ROWS_PER_PAGE = 9

_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SHORT_CJK_LABEL = re.compile(r"[\u4e00-\u9fff]{2,4}")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_HEADING_START = re.compile(
    r"[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十]+[)）]|\d+[.、]"
)


# --- reading: text -> blocks ------------------------------------------------------------------


def split_blocks(text: str) -> list[Block]:
    """Blocks of a text in one of the seeds' two layouts; blank lines outside tables are dropped.

    A line holding a tab is a tab row unless it is a lone-tab cell line (a tab, then text without
    a tab), which starts a stacked table: one cell per line, rows separated by blank lines; a
    line without the tab right after a cell line continues that cell's label (``商业`` +
    ``企业``) unless it is indented, long, or starts like a heading. Tab rows run until a line
    without a tab (a blank line ends the table).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_cell_line(line):
            rows, index = _stacked_table(lines, index)
            blocks.append({"kind": "table", "rows": rows})
        elif "\t" in line:
            rows = []
            while index < len(lines) and "\t" in lines[index] and not _is_cell_line(lines[index]):
                rows.append(lines[index].split("\t"))
                index += 1
            blocks.append({"kind": "table", "rows": rows})
        elif line.startswith("|"):  # a Markdown table: | a | b |, its |---| rule left out
            rows = []
            while index < len(lines) and lines[index].startswith("|"):
                if not _MARKDOWN_RULE.fullmatch(lines[index].strip()):
                    rows.append([cell.strip() for cell in lines[index].strip()[1:-1].split("|")])
                index += 1
            blocks.append({"kind": "table", "rows": rows})
        else:
            if line.strip():
                blocks.append({"kind": "paragraph", "text": line})
            index += 1
    return blocks


_MARKDOWN_RULE = re.compile(r"\|(?:\s*:?-{3,}:?\s*\|)+")


def _is_cell_line(line: str) -> bool:
    return line.startswith("\t") and "\t" not in line[1:]


def _is_continuation(line: str) -> bool:
    return (
        bool(line.strip())
        and not line[0].isspace()
        and len(line) <= 12
        and not _HEADING_START.match(line)
    )


def _stacked_table(lines: list[str], index: int) -> tuple[list[Row], int]:
    rows: list[Row] = []
    row: Row = []
    after_cell = False
    while index < len(lines):
        line = lines[index]
        if _is_cell_line(line):
            row.append(line[1:])
            after_cell = True
        elif after_cell and _is_continuation(line):
            row[-1] += line
        elif not line.strip():
            if row:
                rows.append(row)
                row = []
            after_cell = False
            following = next((text for text in lines[index:] if text.strip()), "")
            if not _is_cell_line(following):
                break
        else:
            break
        index += 1
    if row:
        rows.append(row)
    return rows, index


def seed_blocks(stem: str) -> list[Block]:
    """The blocks of reports_sample/<stem>.txt, as stored (and checked by eye) in the JSON."""
    return json.loads((SEED_BLOCKS / f"{stem}.json").read_text("utf-8"))["blocks"]


def seed_values(stem: str) -> dict:
    """The table values of a seed, read from its blocks by the form's order (see the JSON)."""
    return json.loads((SEED_BLOCKS / f"{stem}.json").read_text("utf-8"))["values"]


# --- writing: blocks -> text ------------------------------------------------------------------


def render(
    blocks: Sequence[Block],
    layout: str | Sequence[str],
    *,
    split: Callable[[str], list[str]] | None = None,
    spaced_labels: bool = False,
    full_width: bool = False,
    page_numbers: bool = False,
) -> str:
    """The report text with every table in ``layout`` (or the n-th table in ``layout[n]``,
    cycling), a blank line around each table, each paragraph on its own line. ``page_numbers``
    puts a page number line (``- 2 -``) inside the tables every PDF_ROWS_PER_PAGE rows, as a
    PDF's text does; pdf_spaced always has them."""
    layouts = [layout] if isinstance(layout, str) else list(layout)
    unknown = set(layouts) - set(LAYOUTS)
    if unknown:
        raise ValueError(f"unknown layouts: {sorted(unknown)}")
    out: list[str] = []
    page = 0
    tables = 0
    for block in blocks:
        if block["kind"] == "paragraph":
            out.append(block["text"])
            continue
        table_layout = layouts[tables % len(layouts)]
        tables += 1
        rows = [[_space_out(c) if spaced_labels else c for c in row] for row in block["rows"]]
        chunks = table_chunks(rows, table_layout, split or _whole)
        if page_numbers or table_layout == "pdf_spaced":
            chunks, page = _with_page_numbers(chunks, page)
        separator = [""] if table_layout in BLANK_BETWEEN_ROWS else []
        lines = [line for chunk in chunks for line in [*separator, *chunk]][len(separator) :]
        out.extend(["", *lines, ""])
    text = "\n".join(out) + "\n"
    return text.translate(_FULL_WIDTH_DIGITS) if full_width else text


def encode(text: str, encoding: str = "utf-8", *, crlf: bool = False) -> bytes:
    """The bytes of ``text`` in ``encoding`` (utf-16 with its byte order mark), CRLF if asked."""
    if crlf:
        text = text.replace("\n", "\r\n")
    return text.encode(encoding)


# Layouts that separate rows with a blank line (blank_between_cells: rows as every cell).
BLANK_BETWEEN_ROWS = (
    "cell_pipe_lines",
    "cell_trailing_pipe",
    "stacked_tab",
    "stacked_plain",
    "blank_between_cells",
)


def table_chunks(
    rows: list[Row], layout: str, split: Callable[[str], list[str]]
) -> list[list[str]]:
    """The lines of each row of a table in ``layout`` (the Markdown header rule goes with the
    first row). ``split`` breaks label cells where the layout can show a continuation."""
    if layout == "markdown":
        width = max(len(row) for row in rows)
        lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
        return [[lines[0], "|" + "---|" * width], *([line] for line in lines[1:])]
    write = ROW_WRITERS[layout]
    if layout not in SPLITTABLE_LAYOUTS:
        split = _whole
    return [write(row, split) for row in rows]


def _whole(label: str) -> list[str]:
    return [label]


def _with_page_numbers(chunks: list[list[str]], page: int) -> tuple[list[list[str]], int]:
    result: list[list[str]] = []
    for index, chunk in enumerate(chunks):
        if index and index % PDF_ROWS_PER_PAGE == 0:
            page += 1
            result.append([f"- {page} -"])
        result.append(chunk)
    return result, page


def _parts(cell: str, split: Callable[[str], list[str]]) -> list[str]:
    return split(cell) if cell else [""]


def _cell_pipe_lines(row: Row, split: Callable[[str], list[str]]) -> list[str]:
    """Each cell, then a "|" line; a blank cell is the "|" line alone."""
    return [line for cell in row for line in ([*split(cell), "|"] if cell else ["|"])]


def _cell_trailing_pipe(row: Row, split: Callable[[str], list[str]]) -> list[str]:
    """Each cell on its own line(s), the last ending " |"; a blank cell is a "|" line."""
    lines: list[str] = []
    for cell in row:
        *head, last = _parts(cell, split)
        lines.extend([*head, f"{last} |" if last else "|"])
    return lines


def _stacked_tab(row: Row, split: Callable[[str], list[str]]) -> list[str]:
    """Each cell led by a tab, continuation lines without it; a blank cell is a lone tab."""
    lines: list[str] = []
    for cell in row:
        first, *rest = _parts(cell, split)
        lines.extend(["\t" + first, *rest])
    return lines


def _blank_between_cells(row: Row, split: Callable[[str], list[str]]) -> list[str]:
    cells = [cell for cell in row if cell]
    return [line for cell in cells for line in ("", cell)][1:]


ROW_WRITERS: dict[str, Callable[[Row, Callable[[str], list[str]]], list[str]]] = {
    "tab": lambda row, _: ["\t".join(row)],
    "pipe": lambda row, _: ["|" + "|".join(f" {c} " if c else " " for c in row) + "|"],
    "pipe_open": lambda row, _: [" ".join(f"{c} |" if c else "|" for c in row)],
    "cell_pipe_lines": _cell_pipe_lines,
    "cell_trailing_pipe": _cell_trailing_pipe,
    "stacked_tab": _stacked_tab,
    "stacked_plain": lambda row, _: [cell for cell in row if cell],
    "blank_between_cells": _blank_between_cells,
    "pdf_spaced": lambda row, _: [" ".join(cell for cell in row if cell)],
}


# --- variants ---------------------------------------------------------------------------------


def _space_out(cell: str) -> str:
    """规章 -> 规 章: short CJK labels spaced out, as PDF exports write them."""
    return " ".join(cell) if _SHORT_CJK_LABEL.fullmatch(cell) else cell


def can_split(label: str) -> bool:
    """Label cells that a PDF or Word export may break over lines: text with CJK in it."""
    return len(label) >= 2 and bool(_CJK.search(label)) and not _NUMBER.fullmatch(label)


def split_at(label: str, cuts: Sequence[int]) -> list[str]:
    """``label`` broken at the given positions (counted from its start), where a break reads as
    a label continuation: never next to a space, never leaving a part that looks like a number
    or a heading of its own; positions that do not qualify are skipped."""
    if not can_split(label):
        return [label]
    parts: list[str] = []
    start = 0
    for position in sorted(set(cuts)):
        if not start < position < len(label):
            continue
        head, tail = label[start:position], label[position:]
        if head[-1].isspace() or tail[0].isspace() or not _plausible_part(head, first=not parts):
            continue
        if not _plausible_part(tail, first=False):
            continue
        parts.append(head)
        start = position
    parts.append(label[start:])
    return parts


def _plausible_part(part: str, *, first: bool) -> bool:
    if first:
        return bool(_CJK.search(part))  # a bare "1" first would read as a value cell
    return (
        bool(_CJK.search(part[0]))  # a continuation starts with a character, not "1." or "("
        and len(part) <= 12
        and not _HEADING_START.match(part)
    )
