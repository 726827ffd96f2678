from __future__ import annotations

import io
import logging
import re
import zlib
from collections import Counter
from contextvars import ContextVar
from pathlib import Path
from typing import Any, NamedTuple

from gkaudit.errors import ReadError, budget_error, corrupt_error
from gkaudit.normalise import is_numeric_cell
from gkaudit.read import Reader, clean_cell, read_bytes

MAX_PAGES = 200
MAX_DECODED = 64 * 1024 * 1024  # bytes all of a PDF's streams may decompress to
MAX_PAGE_CONTENT = 1024 * 1024  # bytes of drawing instructions on one page (real: < 40 kB)
MAX_PAGE_OPERATORS = 20_000  # text-showing and path operators on one page (real: < 2,000)
MAX_PAGE_OBJECTS = 50_000  # characters, lines, rectangles and curves on one page (real: < 1,000)
# Operators that each make at least one object: paths (m l c v y re), text (Tj TJ ' "), XObjects.
OPERATOR = re.compile(rb"""(?<![^\s\])>])(?:re|[mlcvy]|Tj|TJ|Do|'|")(?=[\s\[(/<%]|$)""")
EDGE = 60  # points from the top or bottom of a page where running headers and footers sit
ENCRYPTED = "encrypted PDF: it cannot be read without its password"


class PdfReader(Reader):
    """PDF with a text layer, through pdfplumber: text lines and real table cells in reading
    order; a table continuing over a page break reads on as one, and a row cut by the break
    is joined again; running headers and footers (lines repeated at the same edge of most
    pages) and page numbers are removed. Scanned PDFs without text, encrypted or corrupt
    files are refused with the reason.

    pdfplumber was chosen by measurement on ../shared/realworld/huaian-city-2024.pdf: its
    cells give all 25 rows of Table B, where plain text extraction (pdfplumber's, or
    pypdfium2's, 25x faster) gives 11 or 6; see benchmarks/readers.py.
    """

    name = "pdf"
    suffixes = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return head.lstrip()[:5] == b"%PDF-"

    def read(self, path: Path, max_bytes: int) -> str:
        import pdfplumber

        data = read_bytes(path, max_bytes)
        logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings are not ours to show
        _bound_stream_decoding()
        token = _decoded.set([MAX_DECODED])
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                if len(pdf.pages) > MAX_PAGES:
                    raise budget_error(
                        f"{len(pdf.pages)} 页，上限 {MAX_PAGES} 页",
                        f"{len(pdf.pages)} pages, limit {MAX_PAGES}",
                    )
                pages = [_page_items(page) for page in pdf.pages]
        except ReadError:
            raise
        except Exception as error:
            budget = _read_error_in(error)
            if budget is not None:
                raise budget from None
            if _encrypted(error):
                raise ReadError(ENCRYPTED, reason="encrypted") from None
            kind = type(error).__name__
            raise corrupt_error(f"corrupt or unreadable PDF ({kind})", "PDF", kind) from None
        finally:
            _decoded.reset(token)
        if not any(item.text for items in pages for item in items):
            raise ReadError(
                "scanned PDF without a text layer: no text to audit (needs OCR)", reason="scanned"
            )
        furniture = _running_lines(pages)
        kept = [
            item for items in pages for item in items if not (item.edge and item.text in furniture)
        ]
        return "\n".join(item.text for item in _join_split_rows(kept))


class _Item(NamedTuple):
    top: float
    text: str
    edge: bool  # near the top or bottom of the page, where running headers sit
    page: int
    cells: tuple[str, ...] | None = None  # a table row's cells


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


def _page_items(page: Any) -> list[_Item]:
    """Every text line and table row of a page, top to bottom."""
    _check_page_budgets(page)
    tables = [table for table in page.find_tables() if _is_table(table)]
    boxes = [table.bbox for table in tables]

    def outside(obj: dict) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    number = page.page_number
    items = []
    for line in page.filter(outside).extract_text_lines():
        edge = line["top"] < EDGE or line["bottom"] > page.height - EDGE
        items.append(_Item(line["top"], _valid(line["text"]), edge, number))
    for table in tables:
        for offset, row in enumerate(table.extract()):
            cells = tuple(clean_cell(_valid(cell or "")) for cell in row)
            items.append(
                _Item(table.bbox[1] + offset / 1000, "\t".join(cells), False, number, cells)
            )
    items.sort(key=lambda item: item.top)
    return items


def _join_split_rows(items: list[_Item]) -> list[_Item]:
    """A row a page break cut in two: the part on the next page holds label fragments and no
    values; its cells are appended, cell by cell, to the row it continues."""
    result: list[_Item] = []
    for item in items:
        previous = result[-1] if result else None
        if previous is not None and _continues(previous, item):
            cells = tuple(a + b for a, b in zip(previous.cells, item.cells, strict=True))  # type: ignore[arg-type]
            result[-1] = previous._replace(cells=cells, text="\t".join(cells))
        else:
            result.append(item)
    return result


def _continues(previous: _Item, item: _Item) -> bool:
    return (
        previous.cells is not None
        and item.cells is not None
        and item.page == previous.page + 1
        and len(item.cells) == len(previous.cells)
        and not any(is_numeric_cell(cell) for cell in item.cells if cell)
        and any(is_numeric_cell(cell) for cell in previous.cells if cell)
    )


def _is_table(table: Any) -> bool:
    """A ruled text frame is not a table: a table has at least two columns of cells."""
    return any(sum(1 for cell in row if cell) >= 2 for row in table.extract())


def _running_lines(pages: list[list[_Item]]) -> set[str]:
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

    def decode(stream: Any) -> None:
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
    PDFStream.decode = decode  # type: ignore[method-assign]


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
