"""Step 1 of the data flow: bytes on disk -> text.

Decoding is bounded (a size limit is checked before anything is read) and never guesses
silently: a BOM wins, then strict UTF-8, then charset-normalizer restricted to the encodings
Chinese government documents actually use.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from gkaudit.errors import ReadError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # real reports as text are under 200 kB
MAX_LINES = 50_000
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
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(
                f"file too large: {size / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB)",
                path=str(path),
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except ReadError:
        raise
    except IsADirectoryError:
        raise ReadError("is a directory, not a file", path=str(path)) from None
    except FileNotFoundError:
        raise ReadError("no such file", path=str(path)) from None
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}", path=str(path)) from None
    try:
        return decode(data)
    except ReadError as error:
        error.path = str(path)
        raise


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
