from gkaudit.findings import Severity
from gkaudit.messages import column_name
from gkaudit.rule import Rule


class RequestsBalance(Rule):
    """Table B, identity 1: new + carried over = handled in total + carried forward.

    The table itself prints it: 第一项加第二项之和，等于第三项加第四项之和. Checked in every
    column (each applicant type and the total); a column with a blank cell is left to GK106.

    Fails: 本年新收 2, 上年结转 0, 总计 1, 结转下年度 0 (2 + 0 ≠ 1 + 0).
    """

    code = "GK301"
    severity = Severity.ERROR
    title = {
        "zh": "申请数量勾稽关系不成立（一+二≠三+四）",
        "en": "new + carried over ≠ total + carried forward",
    }
    source = "国办公开办函〔2021〕30号 表三（第一项加第二项之和，等于第三项加第四项之和）"
    advice = {
        "zh": "核对依申请公开情况表，使每列满足“本年新收＋上年结转＝办理结果总计＋结转下年度继续办理”。",
        "en": "Correct Table B so that in every column new + carried over = total + carried forward.",
    }
    messages = {
        "broken": {
            "zh": "依申请公开情况表“{column}”列：本年新收{new}+上年结转{carried_over}={computed}，"
            "但办理结果总计{total}+结转下年度{carried_forward}={reported}",
            "en": "Table B column '{column}': new {new} + carried over {carried_over} = {computed}, "
            "but total {total} + carried forward {carried_forward} = {reported}",
        }
    }

    def check(self, report, context):
        table = report.tables.requests
        if table is None:
            return
        rows = [table.rows.get(key) for key in ("new", "carried_over", "total", "carried_forward")]
        if None in rows:
            return
        for index in range(7):
            new, carried_over, total, carried_forward = (row.values[index] for row in rows)
            if None in (new, carried_over, total, carried_forward):
                continue
            computed, reported = new + carried_over, total + carried_forward
            if computed != reported:
                parts = {
                    "new": new,
                    "carried_over": carried_over,
                    "total": total,
                    "carried_forward": carried_forward,
                }
                yield self.finding(
                    "broken",
                    line=rows[2].line,
                    evidence={
                        "column": index,
                        "reported": reported,
                        "computed": computed,
                        "parts": parts,
                    },
                    column=column_name(index),
                    computed=computed,
                    reported=reported,
                    **parts,
                )
