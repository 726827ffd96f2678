from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from gkaudit.blocks import Document, clean_cell, document_from_parts
from gkaudit.errors import ReadError
from gkaudit.read import Reader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_UNPACKED = 100 * 1024 * 1024  # bytes a .docx may unpack to (a decompression bomb stops here)
MAX_RATIO = 200  # uncompressed / compressed size of one member


class DocxReader(Reader):
    """Word .docx: body paragraphs in order, real tables with merged cells resolved
    (a horizontal span leaves empty cells after it, a vertical merge empty cells below);
    headers, footers and comments are not read."""

    name = "docx"
    suffixes = (".docx",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"word/" in head

    def read(self, path: Path, max_bytes: int) -> Document:
        _check_archive(path)
        from docx import Document  # python-docx; its XML parser resolves no entities

        try:
            document = Document(str(path))
        except Exception as error:
            raise ReadError(f"corrupt or unsupported .docx ({type(error).__name__})") from None
        parts: list[str | list[list[str]]] = []
        _block(document.element.body, parts)
        return document_from_parts(parts, self.name)


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise ReadError(f"corrupt .docx: {error}") from None
    if not any(m.filename == "word/document.xml" for m in members):
        raise ReadError("not a Word document: word/document.xml is missing")
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED:
        raise ReadError(f"refused: the .docx unpacks to {total / 1e6:.0f} MB (decompression bomb?)")
    for member in members:
        if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
            ratio = member.file_size // member.compress_size
            raise ReadError(
                f"refused: {member.filename} is compressed {ratio}:1 (decompression bomb?)"
            )


def _block(element: Any, parts: list[str | list[list[str]]]) -> None:
    """Paragraphs (text) and tables (rows of cell texts) of a body, in order."""
    for child in element.iterchildren():
        if child.tag == f"{W}p":
            parts.append(_paragraph(child))
        elif child.tag == f"{W}tbl":
            parts.append(_table(child))
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            _block(child, parts)


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


def _table(tbl: Any) -> list[list[str]]:
    rows = []
    for tr in tbl.iterchildren(f"{W}tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(f"{W}tc"):
            properties = tc.find(f"{W}tcPr")
            span, continued = 1, False
            if properties is not None:
                grid_span = properties.find(f"{W}gridSpan")
                if grid_span is not None:
                    span = int(grid_span.get(f"{W}val", "1"))
                merge = properties.find(f"{W}vMerge")
                continued = merge is not None and merge.get(f"{W}val", "continue") != "restart"
            text = "" if continued else _cell_text(tc)
            cells.append(text)
            cells.extend([""] * (span - 1))
        rows.append(cells)
    return rows


def _cell_text(tc: Any) -> str:
    return clean_cell("".join(_paragraph(p) for p in tc.iter(f"{W}p")))
