from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from gkaudit.base.errors import ReadError
from gkaudit.read.blocks import Document
from gkaudit.read.readers.docx import DocxReader
from gkaudit.read.source import Reader, read_bytes

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TIMEOUT = 120  # seconds LibreOffice may take to convert one file


class OfficeReader(Reader):
    """Word 97–2003 .doc and WPS .wps: converted to .docx by LibreOffice (``soffice``) in a
    private profile and temporary folder, then read as .docx. Without LibreOffice the file is
    reported as unreadable with what to install."""

    name = "office"
    suffixes = (".doc", ".wps", ".rtf", ".odt")

    def sniff(self, head: bytes) -> bool:
        return head.startswith(OLE2)

    def read(self, path: Path, max_bytes: int) -> Document:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            kind = path.suffix or "this"
            raise ReadError(
                f"{kind} files need LibreOffice: apt-get install libreoffice-writer-nogui",
                reason="needs-libreoffice", params={"kind": kind},
            )  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="gkaudit-office-") as folder:
            source = Path(folder) / f"input{path.suffix.lower() or '.doc'}"
            source.write_bytes(read_bytes(path, max_bytes))  # LibreOffice never sees the original
            command = [
                soffice, "--headless", "--norestore", "--nolockcheck",
                f"-env:UserInstallation=file://{folder}/profile",
                "--convert-to", "docx", "--outdir", folder, str(source),
            ]  # fmt: skip
            _convert(command)
            converted = source.with_suffix(".docx")
            if not converted.exists():
                raise ReadError(
                    "LibreOffice could not convert the file (corrupt, or not a document)",
                    reason="conversion-failed",
                )
            return DocxReader().read(converted, max_bytes)


def _convert(command: list[str]) -> None:
    """Run LibreOffice in a session of its own, so that a timeout, or the file's time budget
    running out, ends it and every process it started (soffice.bin outlives its launcher)."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_lift_memory_limit,  # a scan worker's 2 GB limit is not LibreOffice's
    )
    try:
        process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ReadError(
            f"LibreOffice did not convert the file within {TIMEOUT} s",
            reason="libreoffice-timeout", params={"seconds": str(TIMEOUT)},
        ) from None  # fmt: skip
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _lift_memory_limit() -> None:
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass
