from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

from gkaudit.blocks import Block, Cell, Document, Grid, Paragraph, clean_cell
from gkaudit.errors import ReadError
from gkaudit.layout import blocks_from_text, is_value
from gkaudit.read import Reader

MAX_PAGES = 200
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

    def read(self, path: Path, max_bytes: int) -> Document:
        import pdfplumber

        try:
            with pdfplumber.open(str(path)) as pdf:
                if len(pdf.pages) > MAX_PAGES:
                    raise ReadError(f"refused: {len(pdf.pages)} pages (limit {MAX_PAGES})")
                pages = [_page_items(page) for page in pdf.pages]
        except ReadError:
            raise
        except Exception as error:
            if _encrypted(error):
                raise ReadError(ENCRYPTED) from None
            raise ReadError(f"corrupt or unreadable PDF ({type(error).__name__})") from None
        if not any(item.text for items in pages for item in items):
            raise ReadError("scanned PDF without a text layer: no text to audit (needs OCR)")
        furniture = _running_lines(pages)
        kept = [
            item for items in pages for item in items if not (item.edge and item.text in furniture)
        ]
        return _document(_join_split_rows(kept), len(pages))


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
        items.append(_Item(line["top"], line["text"], edge, number))
    for table in tables:
        for offset, row in enumerate(table.extract()):
            cells = tuple(clean_cell(cell or "") for cell in row)
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
        and not any(is_value(cell) for cell in item.cells if cell)
        and any(is_value(cell) for cell in previous.cells if cell)
    )


def _is_table(table: Any) -> bool:
    """A ruled text frame is not a table: a table has at least two columns of cells."""
    return any(sum(1 for cell in row if cell) >= 2 for row in table.extract())


def _running_lines(pages: list[list[_Item]]) -> set[str]:
    if len(pages) < 3:
        return set()
    counts = Counter(text for items in pages for text in {item.text for item in items if item.edge})
    return {text for text, count in counts.items() if count >= len(pages) / 2}


def _document(items: list[_Item], pages: int) -> Document:
    """Blocks from the items in reading order: table rows keep their real cells (with page);
    runs of text lines go through the layout step (a table without ruling lines arrives as
    text). Items are numbered as the lines of the text the reader produced."""
    document = Document(reader="pdf", pages=pages)
    text_run: list[tuple[int, _Item]] = []
    grid_rows: list[tuple[Cell, ...]] = []
    for number, item in enumerate(items, start=1):
        if item.cells is None:
            _close_grid(document.blocks, grid_rows)
            text_run.append((number, item))
            continue
        _close_text(document.blocks, text_run)
        grid_rows.append(tuple(Cell(cell, number, item.page) for cell in item.cells))
    _close_grid(document.blocks, grid_rows)
    _close_text(document.blocks, text_run)
    return document


def _close_grid(blocks: list[Block], rows: list[tuple[Cell, ...]]) -> None:
    if rows:
        blocks.append(Grid(tuple(rows), rows[0][0].line, rows[-1][0].line, rows[0][0].page))
        rows.clear()


def _close_text(blocks: list[Block], run: list[tuple[int, _Item]]) -> None:
    """Text lines through the layout step, renumbered to their place and given their page."""
    if not run:
        return
    numbers = [number for number, _ in run]
    pages = [item.page for _, item in run]
    for block in blocks_from_text("\n".join(item.text for _, item in run)):
        if isinstance(block, Paragraph):
            index = block.line - 1
            blocks.append(Paragraph(block.text, numbers[index], numbers[index], pages[index]))
        else:
            rows = tuple(
                tuple(cell._replace(line=numbers[cell.line - 1], page=pages[cell.line - 1])
                      for cell in row)
                for row in block.rows
            )  # fmt: skip
            first, last = numbers[block.line - 1], numbers[block.end - 1]
            blocks.append(Grid(rows, first, last, pages[block.line - 1]))
    run.clear()
