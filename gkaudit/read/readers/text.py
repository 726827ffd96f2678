from __future__ import annotations

from pathlib import Path

from gkaudit.read.blocks import Document
from gkaudit.read.layout import text_document
from gkaudit.read.source import Reader, read_text


class TextReader(Reader):
    """Plain text and Markdown in any encoding the decoder accepts (the fallback reader); its
    tables are found by the layout step, whatever their layout."""

    name = "text"
    suffixes = (".txt", ".text", ".md", ".markdown", ".csv", "")

    def read(self, path: Path, max_bytes: int) -> Document:
        return text_document(read_text(path, max_bytes=max_bytes), str(path))
