from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from gkaudit.base.errors import ReadError, budget_error, corrupt_error, malformed_error
from gkaudit.read.blocks import Document, clean_cell, document_from_parts
from gkaudit.read.source import Reader, read_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCX = {"zh": "Word 文件（.docx）", "en": ".docx"}  # the kind of file, in corrupt_error
MAX_UNPACKED = 100 * 1024 * 1024  # bytes a .docx may unpack to (a decompression bomb stops here)
MAX_RATIO = 200  # uncompressed / compressed size of one member
MAX_ROW_CELLS = 64  # grid columns one table row may span (the national tables have < 20)
MAX_CELLS = 100_000  # table cells in the whole document, spans resolved


class DocxReader(Reader):
    """Word .docx: body paragraphs in order, real tables with merged cells resolved
    (a horizontal span leaves empty cells after it, a vertical merge empty cells below);
    headers, footers and comments are not read."""

    name = "docx"
    suffixes = (".docx",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"word/" in head

    def read(self, path: Path, max_bytes: int) -> Document:
        data = read_bytes(path, max_bytes)
        _check_archive(data)
        from docx import Document  # python-docx; its XML parser resolves no entities

        try:
            document = Document(io.BytesIO(data))
        except Exception as error:
            kind = type(error).__name__
            raise corrupt_error(f"corrupt or unsupported .docx ({kind})", DOCX, kind) from None
        parts: list[str | list[list[str]]] = []
        _block(document.element.body, parts, [MAX_CELLS])
        return document_from_parts(parts, self.name)


def _check_archive(data: bytes) -> None:
    import zipfile  # not on import: a folder of text reports never opens an archive

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:  # BadZipFile, or NotImplementedError for a version byte gone bad
        raise corrupt_error(f"corrupt .docx: {error}", DOCX, str(error)[:80]) from None
    if not any(m.filename == "word/document.xml" for m in members):
        raise ReadError("not a Word document: word/document.xml is missing", reason="not-word")
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED:
        size = f"{total / 1e6:.0f} MB"
        refusal = budget_error(
            f".docx 解压后达 {size}（上限 {MAX_UNPACKED / 1e6:.0f} MB，疑似解压炸弹）",
            f"the .docx unpacks to {size} (decompression bomb?)",
        )
        refusal.message = f"refused: the .docx unpacks to {size} (decompression bomb?)"
        raise refusal
    for member in members:
        if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
            ratio = member.file_size // member.compress_size
            name = member.filename[:60]
            refusal = budget_error(
                f"{name} 的压缩比为 {ratio}:1（上限 {MAX_RATIO}:1，疑似解压炸弹）",
                f"{name} is compressed {ratio}:1 (decompression bomb?)",
            )
            refusal.message = f"refused: {name} is compressed {ratio}:1 (decompression bomb?)"
            raise refusal


def _block(element: Any, parts: list[str | list[list[str]]], cells_left: list[int]) -> None:
    """Paragraphs (text) and tables (rows of cell texts) of a body, in order."""
    for child in element.iterchildren():
        if child.tag == f"{W}p":
            parts.append(_paragraph(child))
        elif child.tag == f"{W}tbl":
            parts.append(_table(child, cells_left))
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            _block(child, parts, cells_left)


def _paragraph(p: Any) -> str:
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _table(tbl: Any, cells_left: list[int]) -> list[list[str]]:
    """Rows of cell texts; spans and merges validated where they are read: a span is a whole
    number of grid columns, a row spans at most MAX_ROW_CELLS, the document MAX_CELLS."""
    rows = []
    for tr in tbl.iterchildren(f"{W}tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(f"{W}tc"):
            properties = tc.find(f"{W}tcPr")
            span, continued = 1, False
            if properties is not None:
                grid_span = properties.find(f"{W}gridSpan")
                if grid_span is not None:
                    span = _grid_span(grid_span.get(f"{W}val", "1"))
                merge = properties.find(f"{W}vMerge")
                continued = merge is not None and _continues(merge.get(f"{W}val", "continue"))
            if len(cells) + span > MAX_ROW_CELLS:
                raise budget_error(
                    f"表格一行超过 {MAX_ROW_CELLS} 个单元格",
                    f"a table row spans more than {MAX_ROW_CELLS} cells",
                )
            text = "" if continued else _cell_text(tc)
            cells.append(text)
            cells.extend([""] * (span - 1))
        cells_left[0] -= len(cells)
        if cells_left[0] < 0:
            raise budget_error(
                f"表格单元格总数超过 {MAX_CELLS}", f"more than {MAX_CELLS} table cells"
            )
        rows.append(cells)
    return rows


def _grid_span(value: str) -> int:
    try:
        span = int(value.strip())
    except ValueError:
        span = 0
    if not 1 <= span <= MAX_ROW_CELLS:
        shown = value[:20]
        raise malformed_error(
            f'表格单元格的合并列数 w:gridSpan="{shown}" 无效（应为 1–{MAX_ROW_CELLS}）',
            f'table cell w:gridSpan="{shown}" is invalid (must be 1–{MAX_ROW_CELLS})',
        )
    return span


def _continues(value: str) -> bool:
    """w:vMerge: "restart" opens a vertical merge, "continue" (the default) goes on with it."""
    if value not in ("restart", "continue"):
        shown = value[:20]
        raise malformed_error(
            f'表格单元格的纵向合并 w:vMerge="{shown}" 无效（应为 restart 或 continue）',
            f'table cell w:vMerge="{shown}" is invalid (must be restart or continue)',
        )
    return value == "continue"


def _cell_text(tc: Any) -> str:
    return clean_cell("".join(_paragraph(p) for p in tc.iter(f"{W}p")))
