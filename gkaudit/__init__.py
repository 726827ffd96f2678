"""gkaudit: a rule-based compliance auditing engine for 政府信息公开工作年度报告."""

from gkaudit.errors import GkauditError, NotAReportError, ParseError, ReadError
from gkaudit.model import Report
from gkaudit.parse import parse_bytes, parse_file, parse_text

__version__ = "0.1.0"

__all__ = [
    "GkauditError",
    "NotAReportError",
    "ParseError",
    "ReadError",
    "Report",
    "__version__",
    "parse_bytes",
    "parse_file",
    "parse_text",
]
