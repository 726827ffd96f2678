"""Bytes on disk instead of in memory: an anonymous temporary file written at its end and read
by place, which the system deletes when it is closed or the process ends, however it ends. A
file opened before a fork stays readable by the parent of what the child writes."""

from __future__ import annotations

import errno
import os
import tempfile


class Spool:
    def __init__(self, prefix: str = "gkaudit-spool-") -> None:
        self.file = tempfile.TemporaryFile(prefix=prefix)  # noqa: SIM115 (closed by close)
        self.end = 0

    def put(self, data: bytes) -> tuple[int, int]:
        """Append ``data``: its (offset, size)."""
        offset = self.end
        if data:
            if os.pwrite(self.file.fileno(), data, offset) != len(data):
                raise OSError(errno.ENOSPC, "a temporary file could not be written in full")
            self.end += len(data)
        return offset, len(data)

    def get(self, offset: int, size: int) -> bytes:
        return os.pread(self.file.fileno(), size, offset)

    def close(self) -> None:
        self.file.close()
