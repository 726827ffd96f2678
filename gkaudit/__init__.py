"""gkaudit: a rule-based compliance auditing engine for 政府信息公开工作年度报告."""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gkaudit.errors import GkauditError, NotAReportError, ParseError, ReadError
    from gkaudit.findings import Finding, Severity
    from gkaudit.hookspecs import hookimpl
    from gkaudit.model import Report
    from gkaudit.parse import parse_bytes, parse_document, parse_file, parse_text
    from gkaudit.rule import BatchRule, Context, Rule

__version__ = "0.1.0"

# Public name -> the module that defines it. Each loads on first use, not on import of the
# package: every ``import gkaudit.x`` imports the package first, and ``gkaudit --help`` needs
# neither the model, the rules' base classes, pluggy nor the grammar.
_EXPORTS = {
    **dict.fromkeys(("GkauditError", "NotAReportError", "ParseError", "ReadError"), "errors"),
    **dict.fromkeys(("Finding", "Severity"), "findings"),
    "hookimpl": "hookspecs",
    "Report": "model",
    **dict.fromkeys(("parse_bytes", "parse_document", "parse_file", "parse_text"), "parse"),
    **dict.fromkeys(("BatchRule", "Context", "Rule"), "rule"),
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gkaudit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"gkaudit.{module}"), name)
    globals()[name] = value
    return value


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
