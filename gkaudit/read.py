"""Step 1 of the data flow: bytes on disk -> text.

Decoding is bounded (a size limit is checked before anything is read) and never guesses
silently: a BOM wins, then strict UTF-8, then charset-normalizer restricted to the encodings
Chinese government documents actually use.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from charset_normalizer import from_bytes

from gkaudit.errors import ReadError
from gkaudit.layout import MAX_LINES, text_document

if TYPE_CHECKING:
    from gkaudit.blocks import Document

__all__ = ["MAX_LINES", "Reader", "decode", "read_document", "read_text"]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # real reports as text are under 200 kB
CHINESE_ENCODINGS = ["gb18030", "big5", "utf_16", "utf_8"]
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_text(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a text report from disk, refusing files that are empty, binary or too large."""
    path = Path(path)
    data = _read_bounded(path, max_bytes, max_bytes + 1)
    try:
        return decode(data)
    except ReadError as error:
        error.path = str(path)
        raise


def _read_bounded(path: Path, max_bytes: int, amount: int) -> bytes:
    """The first ``amount`` bytes of a file no larger than ``max_bytes`` (checked first)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            limit = f"{max_bytes / 1e6:.1f} MB"
            raise ReadError(f"file too large: {size / 1e6:.1f} MB (limit {limit})", path=str(path))
        with path.open("rb") as handle:
            return handle.read(amount)
    except ReadError:
        raise
    except IsADirectoryError:
        raise ReadError("is a directory, not a file", path=str(path)) from None
    except FileNotFoundError:
        raise ReadError("no such file", path=str(path)) from None
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}", path=str(path)) from None


def decode(data: bytes) -> str:
    """Decode report bytes to text; raise ReadError when they are empty, binary or undecodable."""
    if not data.strip():
        raise ReadError("empty file")
    encoding = _bom_encoding(data) or _utf16_without_bom(data)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise ReadError(f"declares {encoding} but is not valid {encoding}") from None
    if b"\x00" in data[:65536]:
        raise ReadError("binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:262144], cp_isolation=CHINESE_ENCODINGS).best()
    if best is None:
        raise ReadError("unknown text encoding (tried UTF-8, GB18030, Big5, UTF-16)")
    try:
        return data.decode(best.encoding)
    except UnicodeDecodeError:
        raise ReadError(f"text encoding looks like {best.encoding} but does not decode") from None


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of CJK and ASCII has NUL bytes on one side only; binary data has them on both."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.05 and even_nuls <= odd_nuls * 0.1:
        return "utf-16-le"
    if even_nuls > half * 0.05 and odd_nuls <= even_nuls * 0.1:
        return "utf-16-be"
    return None


# --- readers: any submitted file -> the text the grammar reads ---------------------------

SNIFF_BYTES = 8192


class Reader:
    """Turns one kind of file into a ``gkaudit.blocks.Document``: paragraphs, and tables as
    grids of their real cells (merged cells as empty cells), each with its source line/page.

    ``sniff`` recognises the format from the file's first bytes; ``suffixes`` are the file
    name endings it takes when no reader recognises the content. A reader never fetches
    anything, resolves no external entity, and bounds what it unpacks.
    """

    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]] = ()

    def sniff(self, head: bytes) -> bool:
        return False

    def read(self, path: Path, max_bytes: int) -> Document:
        raise NotImplementedError


def clean_cell(text: str) -> str:
    """A cell's text on one line: wrapped labels joined, no tab left to split it."""
    return text.replace("\r", "").replace("\n", "").replace("\t", " ").strip()


def table_lines(rows: list[list[str]]) -> list[str]:
    """Table rows as the grammar reads them: one line per row, cells separated by tabs."""
    return ["\t".join(clean_cell(cell) for cell in row) for row in rows]


def choose_reader(path: Path, head: bytes, readers: list[Reader]) -> Reader | None:
    """By content first, then by file name ending."""
    for reader in readers:
        if reader.sniff(head):
            return reader
    suffix = path.suffix.lower()
    return next((reader for reader in readers if suffix in reader.suffixes), None)


def read_document(
    path: str | Path, readers: list[Reader], max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    """Read any supported file as blocks; ReadError says what is wrong with it."""
    path = Path(path)
    head = _read_bounded(path, max_bytes, SNIFF_BYTES)
    reader = choose_reader(path, head, readers)
    if reader is None:
        raise ReadError(f"unsupported file type '{path.suffix or '?'}'", path=str(path))
    try:
        result = reader.read(path, max_bytes)
        return text_document(result, str(path)) if isinstance(result, str) else result
    except ReadError as error:
        error.path = str(path)
        raise
