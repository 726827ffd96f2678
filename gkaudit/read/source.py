"""Step 1 of the data flow: bytes on disk -> text.

Decoding is bounded (a size limit is checked before anything is read) and never guesses
silently: a BOM wins, then strict UTF-8, then charset-normalizer restricted to the encodings
Chinese government documents actually use.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from gkaudit.base.errors import ReadError

if TYPE_CHECKING:
    from gkaudit.read.blocks import Document

__all__ = ["Reader", "decode", "read_document", "read_text"]

DEFAULT_TIMEOUT = 60.0  # seconds of wall time one file may take: read, parse and rules
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
    """The first ``amount`` bytes of a regular file no larger than ``max_bytes`` (checked first)."""
    descriptor = open_regular(path, max_bytes)
    try:
        return _read_at_most(descriptor, path, max_bytes, amount)
    finally:
        os.close(descriptor)


def read_bytes(path: str | Path, max_bytes: int) -> bytes:
    """The whole of a regular file no larger than ``max_bytes``: what every reader parses."""
    return _read_bounded(Path(path), max_bytes, max_bytes + 1)


_KINDS = (
    (stat.S_ISDIR, "目录", "directory"),
    (stat.S_ISFIFO, "命名管道", "FIFO"),
    (stat.S_ISSOCK, "套接字", "socket"),
    (stat.S_ISCHR, "字符设备", "character device"),
    (stat.S_ISBLK, "块设备", "block device"),
)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def check_regular(path: str | Path) -> os.stat_result:
    """The file's status when it is a regular file (a symbolic link is followed to its target);
    otherwise ReadError: missing, dangling or looping link, FIFO, socket, device, directory."""
    name = str(path)
    try:
        status = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise ReadError("dangling symbolic link", path=name, reason="dangling-link") from None
        raise ReadError("no such file", path=name, reason="no-such-file") from None
    except OSError as error:
        raise _os_error(error, name) from None
    if not stat.S_ISREG(status.st_mode):
        kinds = ((zh, en) for test, zh, en in _KINDS if test(status.st_mode))
        zh, en = next(kinds, ("特殊文件", "special file"))
        raise ReadError(
            f"not a regular file ({en})", path=name, reason="not-regular",
            params={"kind": {"zh": zh, "en": en}},
        )  # fmt: skip
    return status


def open_regular(path: str | Path, max_bytes: int) -> int:
    """An open descriptor of a regular file within ``max_bytes``. Never blocks: a FIFO, socket
    or device is refused before it is opened, and one swapped in afterwards is caught by fstat."""
    name = str(path)
    status = check_regular(path)
    _check_size(status.st_size, max_bytes, name)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise ReadError("the file vanished while read", path=name, reason="vanished") from None
    except OSError as error:
        raise _os_error(error, name) from None
    opened = os.fstat(descriptor)
    if (opened.st_dev, opened.st_ino) != (status.st_dev, status.st_ino) or not stat.S_ISREG(
        opened.st_mode
    ):
        os.close(descriptor)
        raise ReadError("the file changed while read", path=name, reason="vanished")
    return descriptor


def _read_at_most(descriptor: int, path: Path, max_bytes: int, amount: int) -> bytes:
    chunks, total = [], 0
    while total < amount:
        try:
            chunk = os.read(descriptor, min(amount - total, 1 << 20))
        except OSError as error:
            raise _os_error(error, str(path)) from None
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > max_bytes:  # it grew after its size was checked
        _check_size(total, max_bytes, str(path))
    return b"".join(chunks)


def _check_size(size: int, max_bytes: int, name: str) -> None:
    if size > max_bytes:
        sizes = {"size": f"{size / 1e6:.1f} MB", "limit": f"{max_bytes / 1e6:.1f} MB"}
        raise ReadError(
            f"file too large: {sizes['size']} (limit {sizes['limit']})",
            path=name, reason="too-large", params=sizes,
        )  # fmt: skip


def _os_error(error: OSError, name: str) -> ReadError:
    if error.errno == errno.ELOOP:
        return ReadError("symbolic link loop", path=name, reason="link-loop")
    if error.errno in (errno.EACCES, errno.EPERM):
        return ReadError("permission denied", path=name, reason="permission")
    if error.errno == errno.EISDIR:
        return ReadError("is a directory, not a file", path=name, reason="not-regular",
                         params={"kind": {"zh": "目录", "en": "directory"}})  # fmt: skip
    detail = error.strerror or type(error).__name__
    return ReadError(
        f"cannot read: {detail}", path=name, reason="os-error", params={"detail": detail}
    )


def decode(data: bytes) -> str:
    """Decode report bytes to text; raise ReadError when they are empty, binary or undecodable."""
    if not data.strip():
        raise ReadError("empty file", reason="empty")
    encoding = _bom_encoding(data) or _utf16_without_bom(data)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise ReadError(
                f"declares {encoding} but is not valid {encoding}",
                reason="bad-encoding", params={"encoding": encoding},
            ) from None  # fmt: skip
    if b"\x00" in data[:65536]:
        raise ReadError("binary file, not text", reason="binary")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for text that is not UTF-8 (≈ 10 ms)

    best = from_bytes(data[:262144], cp_isolation=CHINESE_ENCODINGS).best()
    if best is None:
        raise ReadError(
            "unknown text encoding (tried UTF-8, GB18030, Big5, UTF-16)", reason="unknown-encoding"
        )
    try:
        return data.decode(best.encoding)
    except UnicodeDecodeError:
        raise ReadError(
            f"text encoding looks like {best.encoding} but does not decode",
            reason="undecodable", params={"encoding": best.encoding},
        ) from None  # fmt: skip


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
    """Turns one kind of file into a ``gkaudit.read.blocks.Document``: paragraphs, and tables as
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
        suffix = path.suffix or "?"
        raise ReadError(
            f"unsupported file type '{suffix}'", path=str(path),
            reason="unsupported-type", params={"suffix": suffix},
        )  # fmt: skip
    from gkaudit.read.layout import text_document  # not on import: --help reads no file

    try:
        result = reader.read(path, max_bytes)
        return text_document(result, str(path)) if isinstance(result, str) else result
    except ReadError as error:
        error.path = str(path)
        raise
