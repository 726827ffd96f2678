from __future__ import annotations

import io
import logging
import re
import zlib
from collections import Counter
from contextvars import ContextVar
from pathlib import Path
from typing import Any, NamedTuple

from gkaudit.base.errors import ReadError, budget_error, corrupt_error
from gkaudit.read import blocks
from gkaudit.read.blocks import Cell, Document, Grid, clean_cell
from gkaudit.read.layout import blocks_from_text, is_value
from gkaudit.read.readers.pdfium import (
    EDGE,
    ENCRYPTED,
    TOLERANCE,
    PageItem,
    Unsupported,
    may_continue_a_row,
)
from gkaudit.read.source import Reader, read_bytes

PDF = {"zh": "PDF 文件", "en": "PDF"}  # the kind of file, in corrupt_error
MAX_PAGES = 200
MAX_DECODED = 64 * 1024 * 1024  # bytes all of a PDF's streams may decompress to
MAX_PAGE_CONTENT = 1024 * 1024  # bytes of drawing instructions on one page (real: < 40 kB)
MAX_PAGE_OPERATORS = 20_000  # text-showing and path operators on one page (real: < 2,000)
MAX_PAGE_OBJECTS = 50_000  # characters, lines, rectangles and curves on one page (real: < 1,000)
# Operators that each make at least one object: paths (m l c v y re), text (Tj TJ ' "), XObjects.
OPERATOR = re.compile(rb"""(?<![^\s\])>])(?:re|[mlcvy]|Tj|TJ|Do|'|")(?=[\s\[(/<%]|$)""")
_PAGE_NUMBER = re.compile(  # at a page's edge: - 3 -, 第3页, 第3页 共9页, 3/9, 3
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}(?:\s*/\s*\d{1,4})?)\s*$"
)


class PdfReader(Reader):
    """PDF with a text layer: text lines and real table cells in reading order; a table
    continuing over a page break reads on as one, and a row cut by the break is joined again;
    running headers and footers (lines repeated at the same edge of most pages) and page
    numbers are removed. Scanned PDFs without text, encrypted or corrupt files are refused
    with the reason.

    Pages are read through pypdfium2 (gkaudit.read.readers.pdfium): characters from PDFium's text
    layer, table grids from its path objects by pdfplumber's "lines" strategy, the same cells
    and lines as pdfplumber gives, about 10x faster per page. Measured by
    benchmarks/pdf_readers.py on the 10 PDFs of the tests (46 pages; CPU time, median of 5
    interleaved rounds, 2 shared cores under load): 19.4 pages/s through pdfplumber, 214.8
    through PDFium (11.1x: 6.2x on a one-page file without tables to 13.3x per file), cells
    equal on all 10; by benchmarks/pdf_scan.py on 198 pages of its LibreOffice corpus, the two
    libraries taking turns: 55.3 ms per page through pdfplumber, 5.5 through PDFium (10.0x).
    The ratio moves with the machine's load (pdfminer's pure Python suffers more from it): the
    same corpus gave 7.0x on a quieter machine. Of the ~4.3 ms per page of pdfium.read_pages
    (120 PDFs of the corpus), ~1.6 are PDFium's own parsing (a document's fonts and glyph boxes
    on its first page, the text page); the rest is Python: two calls per character and four
    per text object, the table finder, the text assembly. Characters as plain tuples rounded
    without round(), and lines known flat while clustered, then took read_pages from 4.59 to
    4.33 ms per page (30 PDFs, 199 pages, least of 4 rounds taking turns with the reader
    before them and pdfplumber: 11.1x pdfplumber under load). pdfplumber reads the whole file
    instead when PDFium cannot open it, or a page has something the PDFium path does not
    reproduce exactly (rotated pages, text that is not upright, forms placed with a
    transformation, characters without Unicode values): slower, never different.

    pdfplumber's cells were chosen over plain text by measurement on
    tests/data/realworld/huaian-city-2024.pdf: its cells give all 25 rows of Table B, where
    plain text extraction gives 11 or 6; see benchmarks/readers.py.
    """

    name = "pdf"
    suffixes = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return head.lstrip()[:5] == b"%PDF-"

    def read(self, path: Path, max_bytes: int) -> Document:
        return to_document(read_blocks(read_bytes(path, max_bytes)))


class Paragraph(NamedTuple):
    """A line of text outside tables."""

    text: str
    page: int


class Table(NamedTuple):
    """Table rows in reading order (consecutive rows, across page breaks, make one table),
    each row's cells and the page it was printed on."""

    rows: list[tuple[str, ...]]
    pages: list[int]


def read_blocks(source: Path | bytes) -> list[Paragraph | Table]:
    """The document (a path, or its bytes read within the size budget) as paragraphs and tables
    in reading order, page furniture removed."""
    return blocks_of_pages(_read_pages(source))


def blocks_of_pages(pages: list[list[PageItem]]) -> list[Paragraph | Table]:
    if not any(item.text for items in pages for item in items):
        raise ReadError(
            "scanned PDF without a text layer: no text to audit (needs OCR)", reason="scanned"
        )
    furniture = _running_lines(pages)
    kept = [
        item
        for items in pages
        for item in items
        if not (item.edge and (item.text in furniture or _PAGE_NUMBER.match(item.text)))
    ]
    return _blocks(_join_split_rows(kept))


def to_document(found: list[Paragraph | Table]) -> Document:
    """Blocks for the parser: tables keep their real cells (each with its page); runs of text
    lines go through the layout step, since a table without ruling lines arrives as text.
    Lines are numbered as the lines of the text the reader produced (a table row is one)."""
    document = Document(reader="pdf", pages=max((_last_page(b) for b in found), default=None))
    number = 1
    run: list[tuple[int, Paragraph]] = []
    for block in found:
        if isinstance(block, Paragraph):
            run.append((number, block))
            number += 1
            continue
        _close_text(document.blocks, run)
        rows = tuple(
            tuple(Cell(text, number + offset, page) for text in row)
            for offset, (row, page) in enumerate(zip(block.rows, block.pages, strict=True))
        )
        document.blocks.append(Grid(rows, number, number + len(rows) - 1, block.pages[0]))
        number += len(rows)
    _close_text(document.blocks, run)
    return document


def _last_page(block: Paragraph | Table) -> int:
    return block.page if isinstance(block, Paragraph) else max(block.pages)


def _close_text(found: list[blocks.Block], run: list[tuple[int, Paragraph]]) -> None:
    """Text lines through the layout step, renumbered to their place and given their page."""
    if not run:
        return
    numbers = [number for number, _ in run]
    pages = [paragraph.page for _, paragraph in run]
    for block in blocks_from_text("\n".join(paragraph.text for _, paragraph in run)):
        if isinstance(block, blocks.Paragraph):
            index = block.line - 1
            found.append(blocks.Paragraph(block.text, numbers[index], numbers[index], pages[index]))
        else:
            rows = tuple(
                tuple(cell._replace(line=numbers[cell.line - 1], page=pages[cell.line - 1])
                      for cell in row)
                for row in block.rows
            )  # fmt: skip
            first, last = numbers[block.line - 1], numbers[block.end - 1]
            found.append(Grid(rows, first, last, pages[block.line - 1]))
    run.clear()


def _blocks(items: list[PageItem]) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    for item in items:
        if item.cells is None:
            blocks.append(Paragraph(item.text, item.page))
            continue
        if not blocks or not isinstance(blocks[-1], Table):
            blocks.append(Table([], []))
        table = blocks[-1]
        assert isinstance(table, Table)
        table.rows.append(item.cells)
        table.pages.append(item.page)
    return blocks


def _read_pages(path: Path | bytes) -> list[list[PageItem]]:
    """Each page's items through PDFium; through pdfplumber when PDFium cannot open the file
    (pdfplumber then says why), a page needs what only pdfplumber reproduces, or PDFium finds
    no text at all — then pdfplumber's budgets say whether the file is a stream bomb or a page
    of a million drawing operators rather than a scan."""
    from gkaudit.read.readers import pdfium

    try:
        pages = pdfium.read_pages(path, MAX_PAGES)
    except (Unsupported, pdfium.Unopened):
        return _read_pages_with_pdfplumber(path)
    if not any(item.text for items in pages for item in items):
        return _read_pages_with_pdfplumber(path)
    return pages


def _read_pages_with_pdfplumber(source: Path | bytes) -> list[list[PageItem]]:
    """Through pdfminer, within budgets: decompressed stream bytes, pages, and drawing
    instructions and objects per page (a budget exceeded is GK901 naming it)."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings are not ours to show
    _bound_stream_decoding()
    token = _decoded.set([MAX_DECODED])
    opened = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        with pdfplumber.open(opened) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise too_many_pages(len(pdf.pages))
            return [_page_items(page) for page in pdf.pages]
    except ReadError:
        raise
    except Exception as error:
        budget = _read_error_in(error)
        if budget is not None:
            raise budget from None
        if _encrypted(error):
            raise ReadError(ENCRYPTED, reason="encrypted") from None
        kind = type(error).__name__
        raise corrupt_error(f"corrupt or unreadable PDF ({kind})", PDF, kind) from None
    finally:
        _decoded.reset(token)


def too_many_pages(pages: int) -> ReadError:
    return budget_error(f"{pages} 页，上限 {MAX_PAGES} 页", f"{pages} pages, limit {MAX_PAGES}")


def _encrypted(error: BaseException) -> bool:
    """pdfplumber wraps pdfminer's password and encryption errors: look through the chain."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, (PDFPasswordIncorrect, PDFEncryptionError)):
            return True
        if any(isinstance(arg, (PDFPasswordIncorrect, PDFEncryptionError)) for arg in seen.args):
            return True
        seen = seen.__cause__ or seen.__context__
    return "password" in str(error).lower()


def _page_items(page: Any) -> list[PageItem]:
    """Every text line and table row of a page, top to bottom."""
    _check_page_budgets(page)
    tables, rests = [], []
    for table in page.find_tables():
        if _is_table(table):
            tables.append(table)
        elif may_continue_a_row(table.extract(), _first_on_page(page, table.bbox[1])):
            rests.append(table)
    boxes = [table.bbox for table in tables + rests]

    def outside(obj: dict) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    number = page.page_number
    items = []
    for line in page.filter(outside).extract_text_lines():
        edge = line["top"] < EDGE or line["bottom"] > page.height - EDGE
        items.append(PageItem(line["top"], _valid(line["text"]), edge, number))
    for table in tables + rests:
        rest = table in rests
        for offset, (row, bounds) in enumerate(zip(table.extract(), table.rows, strict=True)):
            cells = tuple(clean_cell(_valid(cell or "")) for cell in row)
            lefts = tuple(None if box is None else box[0] for box in bounds.cells)
            top = table.bbox[1] + offset / 1000
            items.append(PageItem(top, "\t".join(cells), False, number, cells, lefts, rest))
    items.sort(key=lambda item: item.top)
    return items


def _join_split_rows(items: list[PageItem]) -> list[PageItem]:
    """A row a page break cut in two: the part on the next page holds label fragments and no
    values; its cells are appended, cell by cell, to the row it continues. A ruled row read
    only in case it continued one (``rest``) and that continues none is a line of text."""
    result: list[PageItem] = []
    for item in items:
        joined = _joined(result[-1], item) if result else None
        if joined is not None:
            result[-1] = joined
        elif item.rest:
            text = " ".join(cell for cell in item.cells or () if cell)
            result.append(PageItem(item.top, text, item.edge, item.page))
        else:
            result.append(item)
    return result


def _joined(previous: PageItem, item: PageItem) -> PageItem | None:
    """The row ``previous`` with ``item``, the first row of the next page, when ``item`` is
    the rest of it: ``item`` has no values, and either ``previous`` has values in as many
    columns, or ``item`` starts a cell wherever ``previous`` does (a header row cut by the
    break; a cell merged down from the rows above may start again on the new page, empty).
    The parts of the table may have different columns (where merged cells span the columns
    of the other page): the row takes the finer columns."""
    if previous.cells is None or item.cells is None or item.page != previous.page + 1:
        return None
    if any(is_value(cell) for cell in item.cells if cell):
        return None
    if len(item.cells) == len(previous.cells) and any(
        is_value(cell) for cell in previous.cells if cell
    ):
        cells = tuple(a + b for a, b in zip(previous.cells, item.cells, strict=True))
        return previous._replace(cells=cells, text="\t".join(cells))
    header = _cut_header_row(previous, item)
    if header is None:
        return None
    lefts = item.lefts if len(item.cells) >= len(previous.cells) else previous.lefts
    return previous._replace(cells=header, text="\t".join(header), lefts=lefts)


def _cut_header_row(previous: PageItem, item: PageItem) -> tuple[str, ...] | None:
    """The two parts' cells joined in the columns of the part with more, or None when
    ``item`` does not start a cell where ``previous`` starts one (within pdfplumber's
    tolerance), or has text in a cell that ``previous`` does not have."""
    assert previous.cells is not None and item.cells is not None
    if previous.lefts is None or item.lefts is None:
        return None
    starts = [left for left in item.lefts if left is not None]
    partner: dict[int, int] = {}  # a column of previous -> the column of item, same left edge
    for column, left in enumerate(previous.lefts):
        if left is None:
            continue
        match = min(range(len(starts)), key=lambda i: abs(starts[i] - left), default=None)
        if match is None or abs(starts[match] - left) > TOLERANCE:
            return None
        partner[column] = item.lefts.index(starts[match])
    if any(text for column, text in enumerate(item.cells) if column not in partner.values()):
        return None
    if len(item.cells) >= len(previous.cells):
        before = {partner[column]: text for column, text in enumerate(previous.cells) if text}
        return tuple(before.get(column, "") + text for column, text in enumerate(item.cells))
    return tuple(
        text + (item.cells[partner[column]] if column in partner else "")
        for column, text in enumerate(previous.cells)
    )


def _first_on_page(page: Any, top: float) -> bool:
    """Below the running header's zone, with no character above ``top`` but in that zone (as
    pdfium._first_on_page)."""
    if top < EDGE:
        return False
    return not any((c["top"] + c["bottom"]) / 2 < top and c["top"] >= EDGE for c in page.chars)


def _is_table(table: Any) -> bool:
    """A ruled text frame is not a table: a table has at least two columns of cells."""
    return any(sum(1 for cell in row if cell) >= 2 for row in table.extract())


def _running_lines(pages: list[list[PageItem]]) -> set[str]:
    if len(pages) < 3:
        return set()
    counts = Counter(text for items in pages for text in {item.text for item in items if item.edge})
    return {text for text, count in counts.items() if count >= len(pages) / 2}


# --- budgets: decompressed bytes, drawing instructions and objects per page ---------------

_decoded: ContextVar[list[int] | None] = ContextVar("gkaudit_pdf_decoded", default=None)


def _valid(text: str) -> str:
    """Text a broken ToUnicode map decoded to lone surrogates, made encodable (U+FFFD)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(char) <= 0xDFFF else char for char in text)


def _bound_stream_decoding() -> None:
    """Make pdfminer's stream decoding count against the document's decompression budget:
    a Flate stream is first inflated in bounded steps, so a bomb stops at the budget."""
    from pdfminer.pdftypes import PDFStream

    if getattr(PDFStream.decode, "_gkaudit_bounded", False):
        return
    original = PDFStream.decode

    def decode(stream: PDFStream) -> None:
        remaining = _decoded.get()
        if remaining is None:
            original(stream)
            return
        _precheck_flate(stream, remaining[0])
        original(stream)
        remaining[0] -= len(stream.data or b"")
        if remaining[0] < 0:
            raise _decoded_over_budget()

    decode._gkaudit_bounded = True  # type: ignore[attr-defined]
    setattr(PDFStream, "decode", decode)  # noqa: B010 (mypy rejects assigning a method)


def _precheck_flate(stream: Any, allowance: int) -> None:
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    if stream.decipher or stream.rawdata is None:
        return
    filters = stream.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return
    inflater = zlib.decompressobj()
    try:
        inflated = inflater.decompress(stream.rawdata, max(0, allowance) + 1)
    except zlib.error:
        return  # corrupt: pdfminer has its own recovery, bounded by this same budget after
    if len(inflated) > allowance:
        raise _decoded_over_budget()


def _decoded_over_budget() -> ReadError:
    limit = f"{MAX_DECODED // (1024 * 1024)} MB"
    return budget_error(f"解压后的数据流超过 {limit}", f"streams decompress to more than {limit}")


def _check_page_budgets(page: Any) -> None:
    from pdfminer.pdftypes import PDFStream, resolve1

    contents = resolve1(page.page_obj.attrs.get("Contents"))
    streams = contents if isinstance(contents, list) else [contents]
    size = operators = 0
    for reference in streams:
        stream = resolve1(reference)
        if isinstance(stream, PDFStream):
            data = stream.get_data()
            size += len(data)
            if size <= MAX_PAGE_CONTENT:
                operators += len(OPERATOR.findall(data))
    number = page.page_number
    if size > MAX_PAGE_CONTENT:
        limit = f"{MAX_PAGE_CONTENT // (1024 * 1024)} MB"
        raise budget_error(
            f"第 {number} 页的绘制指令超过 {limit}",
            f"page {number} has more than {limit} of drawing instructions",
        )
    if operators > MAX_PAGE_OPERATORS:
        raise budget_error(
            f"第 {number} 页有 {operators} 条绘制指令，上限 {MAX_PAGE_OPERATORS}",
            f"page {number} has {operators} drawing operators, limit {MAX_PAGE_OPERATORS}",
        )
    objects = sum(len(page.objects.get(kind, ())) for kind in ("char", "line", "rect", "curve"))
    if objects > MAX_PAGE_OBJECTS:
        raise budget_error(
            f"第 {number} 页有 {objects} 个文字和图形对象，上限 {MAX_PAGE_OBJECTS}",
            f"page {number} has {objects} text and drawing objects, limit {MAX_PAGE_OBJECTS}",
        )


def _read_error_in(error: BaseException) -> ReadError | None:
    """A budget ReadError raised inside pdfminer and wrapped by pdfplumber on its way out."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return None
        if isinstance(seen, ReadError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None
