"""gkaudit: a rule-based compliance auditing engine for 政府信息公开工作年度报告."""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gkaudit.base.errors import GkauditError, NotAReportError, ParseError, ReadError
    from gkaudit.check.findings import Finding, Severity
    from gkaudit.check.rule import BatchRule, Context, Option, Rule
    from gkaudit.hookspecs import hookimpl
    from gkaudit.model.report import Report
    from gkaudit.parse.parser import parse_bytes, parse_document, parse_file, parse_text

__version__ = "0.1.0"

# Public name -> the module that defines it. Each loads on first use, not on import of the
# package: every ``import gkaudit.x`` imports the package first, and ``gkaudit --help`` needs
# neither the model, the rules' base classes, pluggy nor the grammar.
_EXPORTS = {
    **dict.fromkeys(("GkauditError", "NotAReportError", "ParseError", "ReadError"), "base.errors"),
    **dict.fromkeys(("Finding", "Severity"), "check.findings"),
    "hookimpl": "hookspecs",
    "Report": "model.report",
    **dict.fromkeys(("parse_bytes", "parse_document", "parse_file", "parse_text"), "parse.parser"),
    **dict.fromkeys(("BatchRule", "Context", "Option", "Rule"), "check.rule"),
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
    "Option",
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
