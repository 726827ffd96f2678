"""The built-in readers: plain text, .docx, saved web pages, PDF with a text layer, and .doc/.wps
through LibreOffice. Registered like any third-party reader (entry point ``readers``)."""

from __future__ import annotations

from collections.abc import Callable

from gkaudit.hookspecs import hookimpl
from gkaudit.readers.docx import DocxReader
from gkaudit.readers.html import HtmlReader
from gkaudit.readers.office import OfficeReader
from gkaudit.readers.pdf import PdfReader
from gkaudit.readers.text import TextReader

BUILTIN_READERS = (PdfReader, DocxReader, OfficeReader, HtmlReader, TextReader)


@hookimpl
def register_readers(register: Callable[[type], None]) -> None:
    for reader in BUILTIN_READERS:
        register(reader)
