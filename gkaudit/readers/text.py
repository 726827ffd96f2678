from __future__ import annotations

from pathlib import Path

from gkaudit.read import Reader, read_text


class TextReader(Reader):
    """Plain text and Markdown in any encoding the decoder accepts (the fallback reader)."""

    name = "text"
    suffixes = (".txt", ".text", ".md", ".markdown", ".csv", "")

    def read(self, path: Path, max_bytes: int) -> str:
        return read_text(path, max_bytes=max_bytes)
