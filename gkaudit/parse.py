"""The parsing pipeline: read -> normalise -> grammar -> model. The public entry points."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lark import Lark
from lark.exceptions import LarkError

from gkaudit.build import build_report
from gkaudit.errors import NotAReportError, ParseError, ReadError
from gkaudit.model import Report
from gkaudit.normalise import normalise
from gkaudit.read import DEFAULT_MAX_BYTES, MAX_LINES, decode, read_text
from gkaudit.resources import grammar_text


@cache
def report_parser() -> Lark:
    """grammars/report.lark as an LALR parser with a contextual lexer, built once per process."""
    return Lark(grammar_text("report"), parser="lalr", lexer="contextual")


def parse_text(text: str, path: str | None = None) -> Report:
    """Parse report text; raise NotAReportError when it has no report structure at all."""
    line_count = text.count("\n") + 1
    if line_count > MAX_LINES:
        raise ReadError(f"too many lines: {line_count} (limit {MAX_LINES})", path=path)
    lines = normalise(text)
    document = "".join(line.text + "\n" for line in lines)
    try:
        tree = report_parser().parse(document)
    except LarkError as error:  # the grammar accepts any line sequence; this is a bug guard
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
