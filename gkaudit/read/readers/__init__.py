"""The built-in readers: plain text, .docx, saved web pages, PDF with a text layer, and .doc/.wps
through LibreOffice. Registered like any third-party reader (entry point ``readers``)."""

from __future__ import annotations

from collections.abc import Callable

from gkaudit.hookspecs import hookimpl
from gkaudit.read.readers.docx import DocxReader
from gkaudit.read.readers.html import HtmlReader
from gkaudit.read.readers.office import OfficeReader
from gkaudit.read.readers.pdf import PdfReader
from gkaudit.read.readers.text import TextReader

BUILTIN_READERS = (PdfReader, DocxReader, OfficeReader, HtmlReader, TextReader)


@hookimpl
def register_readers(register: Callable[[type], None]) -> None:
    for reader in BUILTIN_READERS:
        register(reader)
