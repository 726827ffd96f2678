"""What readers hand over: a document as blocks — paragraphs, and tables as grids of cells.

Readers never interpret blocks. A .docx, web page or PDF has real cells and gives them as they
are; plain text and Markdown go through one layout step (gkaudit.read.layout) that finds the tables
in every text layout. Every cell and paragraph keeps where it came from: the line of the text
the reader produced (a .txt file's own lines) and, for PDF, the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Cell(NamedTuple):
    """One table cell as written (stripped), with its source line and page.

    ``marked`` is False for an empty cell that a layout could not have marked — never set by
    readers of real cells; set by the text layout step for cells it infers.
    """

    text: str
    line: int
    page: int | None = None
    run_together: bool = False  # digits of several cells that lost their separators


class Paragraph(NamedTuple):
    """A line of prose (or a heading): its text, its first and last source line, its page."""

    text: str
    line: int
    end: int
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Grid:
    """A table: rows of cells, in reading order. Rows may differ in length."""

    rows: tuple[tuple[Cell, ...], ...]
    line: int
    end: int
    page: int | None = None


Block = Paragraph | Grid


@dataclass(slots=True)
class Document:
    """A file's content as blocks, with the reader that produced it."""

    blocks: list[Block] = field(default_factory=list)
    reader: str = "text"
    pages: int | None = None  # for paged formats (PDF)

    @property
    def text(self) -> str:
        """Plain text of the document, rows as tab-separated cells (for display and digests)."""
        return "\n".join(_block_text(block) for block in self.blocks)


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    return "\n".join("\t".join(cell.text for cell in row) for row in block.rows)


def clean_cell(text: str) -> str:
    """A cell's text on one line: wrapped labels joined, no tab left to split it."""
    return text.replace("\r", "").replace("\n", "").replace("\t", " ").strip()


def grid_from_rows(rows: list[list[str]], line: int, page: int | None = None) -> Grid:
    """A grid from a reader's rows of cell texts; the rows take consecutive line numbers."""
    cells = tuple(
        tuple(Cell(clean_cell(text), line + offset, page) for text in row)
        for offset, row in enumerate(rows)
    )
    return Grid(cells, line, line + max(len(rows) - 1, 0), page)


def document_from_parts(
    parts: list[str | list[list[str]]], reader: str, pages: int | None = None
) -> Document:
    """Blocks from a reader's parts in order — paragraph lines (str) and tables (rows of cell
    texts) — numbered as the lines of the document's text (a table row is one line)."""
    document = Document(reader=reader, pages=pages)
    line = 1
    for part in parts:
        if isinstance(part, str):
            for text in part.split("\n"):
                if text.strip():
                    document.blocks.append(Paragraph(text.strip(), line, line))
                line += 1
        elif part:
            document.blocks.append(grid_from_rows(part, line))
            line += len(part)
    return document
