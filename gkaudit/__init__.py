"""gkaudit: a rule-based compliance auditing engine for 政府信息公开工作年度报告."""

from gkaudit.errors import GkauditError, NotAReportError, ParseError, ReadError
from gkaudit.findings import Finding, Severity
from gkaudit.hookspecs import hookimpl
from gkaudit.model import Report
from gkaudit.parse import parse_bytes, parse_document, parse_file, parse_text
from gkaudit.rule import BatchRule, Context, Rule

__version__ = "0.1.0"

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
