from gkaudit.findings import Severity
from gkaudit.messages import column_name
from gkaudit.model import REQUEST_KEYS
from gkaudit.rule import Rule

OUTCOMES = REQUEST_KEYS[2:-2]  # granted … other_3: the exclusive outcomes (只计这一情形)


class OutcomesTotal(Rule):
    """Table B, identity 2: the total equals the sum of all outcomes.

    （七）总计 is the sum of 予以公开, 部分公开, the eight 不予公开 reasons, the three
    无法提供, the five 不予处理 and the three 其他处理 rows; the categories are exclusive
    (部分公开: 区分处理的，只计这一情形，不计其他情形). Checked in every column.

    Fails: 予以公开 1, 无法提供 1, everything else 0, 总计 3.
    """

    code = "GK302"
    severity = Severity.ERROR
    title = {"zh": "办理结果总计与各项之和不符", "en": "total ≠ sum of outcomes"}
    source = "国办公开办函〔2021〕30号 表三（三、本年度办理结果）"
    advice = {
        "zh": "逐项核对办理结果，使总计等于各项办理结果之和（各情形只计一次）。",
        "en": "Correct the outcomes so that the total equals their sum (each case counted once).",
    }
    messages = {
        "broken": {
            "zh": "依申请公开情况表“{column}”列：办理结果总计为{reported}，各项办理结果之和为{computed}",
            "en": "Table B column '{column}': total is {reported}, the outcomes add up to {computed}",
        }
    }

    def check(self, report, context):
        table = report.tables.requests
        if table is None or "total" not in table.rows:
            return
        total = table.rows["total"]
        outcomes = [table.rows[key] for key in OUTCOMES if key in table.rows]
        if len(outcomes) != len(OUTCOMES):
            return  # a missing row is GK106's finding; the sum cannot be judged
        columns = list(zip(*(row.values for row in outcomes), strict=True))
        totals = total.values
        for index in range(7):
            values = list(columns[index])
            reported = totals[index]
            if reported is None or None in values:
                continue
            computed = sum(values)
            if computed != reported:
                parts = {
                    row.key: value for row, value in zip(outcomes, values, strict=True) if value
                }
                yield self.finding(
                    "broken",
                    line=total.line,
                    evidence={
                        "column": index,
                        "reported": reported,
                        "computed": computed,
                        "parts": parts,
                    },
                    column=column_name(index),
                    reported=reported,
                    computed=computed,
                )
