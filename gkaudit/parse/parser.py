"""The parsing pipeline: blocks -> tokens -> grammar -> model. The public entry points.

read (readers, or the layout step for text) -> ``Document`` -> ``lexer.tokens`` ->
``grammars/report.lark`` (LALR over one token per paragraph or table row) -> ``build`` -> Report.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark
from lark.exceptions import LarkError

from gkaudit.base.errors import NotAReportError, ParseError, ReadError
from gkaudit.base.resources import grammar_text
from gkaudit.model.report import Report
from gkaudit.parse.build import build_report
from gkaudit.parse.grammar_cache import cached_lark
from gkaudit.parse.lexer import BlockLexer, logical_lines, tokens
from gkaudit.read.blocks import Document
from gkaudit.read.layout import text_document
from gkaudit.read.source import DEFAULT_MAX_BYTES, decode, read_text

__all__ = ["parse_bytes", "parse_document", "parse_file", "parse_text", "text_document"]


REPORT_OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": BlockLexer}


@cache
def report_parser() -> Lark:
    """grammars/report.lark as an LALR parser over the block lexer's tokens: built once per
    process, and loaded from the per-user cache when an earlier run built it."""
    return cached_lark(grammar_text("report"), **REPORT_OPTIONS)


def parse_document(document: Document, path: str | None = None) -> Report:
    """Parse a document's blocks; raise NotAReportError when it has no report structure."""
    lines = logical_lines(document)
    stream = tokens(lines)
    try:
        tree = report_parser().parse(stream)  # type: ignore[arg-type]
    except LarkError as error:  # the grammar accepts any token sequence; this is a bug guard
        line = getattr(error, "line", None)
        where = f"line {lines[line - 1].number}: " if isinstance(line, int) and line > 0 else ""
        raise ParseError(f"{where}cannot parse ({type(error).__name__})", path=path) from None
    report = build_report(tree, lines, path)
    if not _looks_like_a_report(report):
        raise NotAReportError(
            "does not look like a 政府信息公开工作年度报告 (no title, section headings or tables)",
            path=path,
        )
    return report


def parse_text(text: str, path: str | None = None) -> Report:
    """Parse report text (in any of the layouts gkaudit/read/layout.py reads)."""
    return parse_document(text_document(text, path), path)


def parse_bytes(data: bytes, path: str | None = None) -> Report:
    """Decode and parse report bytes (any encoding the reader accepts)."""
    try:
        text = decode(data)
    except ReadError as error:
        error.path = path
        raise
    return parse_text(text, path)


def parse_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Read and parse one text report from disk."""
    return parse_text(read_text(path, max_bytes=max_bytes), str(path))


def _looks_like_a_report(report: Report) -> bool:
    known_sections = {section.kind for section in report.sections if section.kind}
    return bool(report.title) or len(known_sections) >= 2 or bool(report.tables.present())
