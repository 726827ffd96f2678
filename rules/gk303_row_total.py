from gkaudit.findings import Severity
from gkaudit.model import REQUEST_KEYS
from gkaudit.rule import Rule

ROW_NAMES = {
    "new": "本年新收", "carried_over": "上年结转", "granted": "予以公开", "partial": "部分公开",
    "total": "办理结果总计", "carried_forward": "结转下年度继续办理",
}  # fmt: skip


class RowTotal(Rule):
    """Table B, identity 3: each row's 总计 equals 自然人 plus the five 法人或其他组织 columns.

    Where the table has an eighth column (a 法人或其他组织 subtotal), it must equal the
    five organisation columns too. Checked on all 25 rows.

    Fails: ``一、本年新收…\\t2\\t1\\t0\\t0\\t0\\t0\\t2`` (2 + 1 ≠ 2).
    """

    code = "GK303"
    severity = Severity.ERROR
    title = {"zh": "行总计与申请人各列之和不符", "en": "row total ≠ sum of applicant columns"}
    source = "国办公开办函〔2021〕30号 表三（申请人情况）"
    advice = {
        "zh": "核对该行数字，使总计等于自然人与法人或其他组织各列之和。",
        "en": "Correct the row so that its total equals the sum of the applicant columns.",
    }
    messages = {
        "broken": {
            "zh": "依申请公开情况表“{row}”行：总计为{reported}，自然人与法人或其他组织各列之和为{computed}",
            "en": "Table B row '{row}': total is {reported}, the applicant columns add up to {computed}",
        },
        "subtotal": {
            "zh": "依申请公开情况表“{row}”行：法人或其他组织小计为{reported}，五类组织之和为{computed}",
            "en": "Table B row '{row}': the organisations' subtotal is {reported}, the five add up to {computed}",
        },
    }

    def check(self, report, context):
        table = report.tables.requests
        if table is None:
            return
        for key in REQUEST_KEYS:
            row = table.rows.get(key)
            if row is None:
                continue
            values, name = row.values, ROW_NAMES.get(key, key)
            if None not in values and sum(values[:6]) != values[6]:
                yield self.finding(
                    "broken",
                    line=row.line,
                    evidence={
                        "row": key,
                        "reported": values[6],
                        "computed": sum(values[:6]),
                        "parts": values[:6],
                    },
                    row=name,
                    reported=values[6],
                    computed=sum(values[:6]),
                )
            subtotal = table.subtotals.get(key)
            organisations = values[1:6]
            if (
                subtotal
                and subtotal.value is not None
                and None not in organisations
                and subtotal.value != sum(organisations)
            ):
                yield self.finding(
                    "subtotal",
                    line=subtotal.line,
                    evidence={
                        "row": key,
                        "reported": subtotal.value,
                        "computed": sum(values[1:6]),
                        "parts": values[1:6],
                    },
                    row=name,
                    reported=subtotal.value,
                    computed=sum(values[1:6]),
                )
