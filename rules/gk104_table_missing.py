from gkaudit.findings import Severity
from gkaudit.messages import TABLE_NAMES
from gkaudit.model import ACTIVE_WIDTHS, REQUEST_KEYS, REVIEW_KEYS
from gkaudit.rule import Rule

EXPECTED_ROWS = {
    "active": len(ACTIVE_WIDTHS),
    "requests": len(REQUEST_KEYS),
    "review": len(REVIEW_KEYS),
}


class TableMissing(Rule):
    """A required table is missing or cannot be read.

    Sections 二, 三 and 四 must each carry their statistics table in the national format
    (主动公开 / 收到和处理政府信息公开申请 / 行政复议、行政诉讼; 国办公开办函〔2021〕30号).
    A table is unreadable when fewer than half of its rows could be read.

    Fails: a report whose section 三 describes requests in prose but has no table.
    """

    code = "GK104"
    severity = Severity.ERROR
    title = {"zh": "必需的统计表缺失或无法读取", "en": "a required table is missing or unreadable"}
    source = "《政府信息公开条例》第五十条；国办公开办函〔2021〕30号"
    advice = {
        "zh": "按格式补充或重新制作统计表，确保表格可读、行列完整。",
        "en": "Add or redo the table from the national format so that it is complete and readable.",
    }
    messages = {
        "missing": {"zh": "缺少{table}", "en": "{table} is missing"},
        "unreadable": {
            "zh": "{table}无法读取：{expected}行中只读出{found}行",
            "en": "{table} cannot be read: only {found} of {expected} rows read",
        },
    }

    def check(self, report, context):
        tables = report.tables
        for name in ("active", "requests", "review"):
            table = getattr(tables, name)
            if table is None:
                yield self.finding("missing", line=None, table=TABLE_NAMES[name])
            elif len(table.rows) * 2 < EXPECTED_ROWS[name]:
                yield self.finding(
                    "unreadable",
                    line=table.line,
                    table=TABLE_NAMES[name],
                    found=len(table.rows),
                    expected=EXPECTED_ROWS[name],
                )
