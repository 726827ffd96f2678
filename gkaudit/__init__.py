"""gkaudit: a rule-based compliance auditing engine for 政府信息公开工作年度报告."""

from typing import TYPE_CHECKING

from gkaudit.errors import GkauditError, NotAReportError, ParseError, ReadError
from gkaudit.findings import Finding, Severity
from gkaudit.hookspecs import hookimpl
from gkaudit.model import Report
from gkaudit.rule import BatchRule, Context, Rule

if TYPE_CHECKING:
    from gkaudit.parse import parse_bytes, parse_document, parse_file, parse_text

__version__ = "0.1.0"

_PARSE_FUNCTIONS = ("parse_bytes", "parse_document", "parse_file", "parse_text")


def __getattr__(name: str) -> object:
    """The parse functions load the grammar and its libraries on first use, not on import of
    the package (``gkaudit --help`` needs neither)."""
    if name in _PARSE_FUNCTIONS:
        from gkaudit import parse

        return getattr(parse, name)
    raise AttributeError(f"module 'gkaudit' has no attribute {name!r}")


__all__ = [
    "BatchRule",
    "Context",
    "Finding",
    "GkauditError",
    "NotAReportError",
    "ParseError",
    "ReadError",
    "Report",
    "Rule",
    "Severity",
    "__version__",
    "hookimpl",
    "parse_bytes",
    "parse_document",
    "parse_file",
    "parse_text",
]
