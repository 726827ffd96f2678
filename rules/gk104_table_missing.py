from collections import Counter

from gkaudit.base.vocabulary import form_for, row_name
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule
from gkaudit.model.messages import TABLE_NAMES, describe, listing

REASONS = {
    "unplaced-row": {"zh": "{n}行数值的行标题缺失或无法辨认，无法确定位置",
                     "en": "{n} rows of values whose label is missing or garbled"},
    "run-together": {"zh": "{n}行数字连在一起且有多种读法",
                     "en": "{n} rows whose digits ran together with several readings"},
    "review-count": {"zh": "数值个数与表格栏目不符", "en": "the count of numbers does not fit"},
    "row-width": {"zh": "{n}行数值个数与格式不符", "en": "{n} rows with the wrong number of values"},
    "duplicate-row": {"zh": "{n}行重复", "en": "{n} repeated rows"},
}  # fmt: skip


class TableMissing(Rule):
    """A required table is missing, or cannot be read.

    Sections 二, 三 and 四 must each carry their statistics table in the national format
    (主动公开 / 收到和处理政府信息公开申请 / 行政复议、行政诉讼; 国办公开办函〔2021〕30号).

    A table gkaudit cannot read is reported once, here, with what could not be read and
    why — never as a cascade of empty-cell errors (GK106) for cells that exist but were not
    understood. A table is unreadable (error) when fewer than half of its rows could be read;
    when only some rows could not be read because the text lost their labels or separators
    (common in PDF extractions), the finding is a warning naming those rows: check them by
    hand.

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
            "zh": "{table}无法读取：{expected}行中只读出{found}行（{reasons}），请人工核对",
            "en": "{table} cannot be read: only {found} of {expected} rows read ({reasons}); "
            "check it by hand",
        },
        "partly": {
            "zh": "{table}部分无法读取：未能读取{rows}（{reasons}），请人工核对",
            "en": "{table} partly unreadable: {rows} could not be read ({reasons}); "
            "check them by hand",
        },
    }

    def check(self, report, context):
        names = ("active", "requests", "review")
        of_table: dict[str, list] = {name: [] for name in names}  # the problems of each table
        for problem in report.problems:
            table_of = problem.params.get("table")
            for name in names:
                if table_of == name:
                    of_table[name].append(problem)
        for name in names:
            table = getattr(report.tables, name)
            if table is None:
                yield self.finding("missing", line=None, table=TABLE_NAMES[name])
                continue
            problems = of_table[name]
            if table.unreadable:
                expected = len(form_for(name, table.template).keys)
                yield self.finding(
                    "unreadable",
                    line=table.line,
                    evidence={"problems": [describe(p) for p in problems][:10]},
                    table=TABLE_NAMES[name],
                    found=len(table.rows),
                    expected=expected,
                    reasons=_reasons(problems),
                )
                continue
            unread = [p.params["row"] for p in problems if p.kind == "row-unread"]
            if unread:
                rows = listing([row_name(name, key).as_dict() for key in unread])
                yield self.finding(
                    "partly",
                    line=table.line,
                    severity=Severity.WARNING,
                    evidence={"problems": [describe(p) for p in problems][:10]},
                    table=TABLE_NAMES[name],
                    rows=rows,
                    reasons=_reasons(problems),
                )


def _reasons(problems) -> dict[str, str]:
    counts = Counter(p.kind for p in problems if p.kind in REASONS)
    if not counts:
        return {"zh": "表格文字不完整", "en": "the table's text is incomplete"}
    parts = [
        {lang: text.format(n=counts[kind]) for lang, text in REASONS[kind].items()}
        for kind in REASONS
        if kind in counts
    ]
    return {"zh": "；".join(p["zh"] for p in parts), "en": "; ".join(p["en"] for p in parts)}
