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
    """必需的统计表缺失或无法读取。

    **What it does**
    第二、三、四部分各应有格式规定的统计表：主动公开政府信息情况表、收到和处理政府信息公开申请情况
    表、政府信息公开行政复议、行政诉讼情况表。缺少一张表为错误。表格读出的行不到应有行数的一半时，视
    为无法读取（错误），并列出原因，不再由GK106逐格报告“空格”；只有部分行因文字丢失行名或分隔而未能
    读取（PDF提取中常见）时为警告，列出这些行，请人工核对。

    **Why**
    《政府信息公开条例》第五十条；国办公开办函〔2021〕30号规定了三张统计表。无法读取的表格必须说明未
    读，不能当作填写错误报告。

    **Example**
    第三部分用文字描述了依申请公开情况，但没有统计表。

    **Use instead**
    在第三部分按格式附上“收到和处理政府信息公开申请情况”统计表，行列完整。

    A required table is missing or unreadable: a table with fewer than half its rows read is an
    error reported once with the reasons; rows that lost their labels are a warning to check by
    hand.
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
