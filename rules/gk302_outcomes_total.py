"""GK302: Table B, identity 2 (（七）总计 = the sum of the outcomes), as data on IdentityRule."""

from gkaudit.check.families import IdentityRule
from gkaudit.check.findings import Severity
from gkaudit.model.report import REQUEST_KEYS

OUTCOMES = REQUEST_KEYS[2:-2]  # granted … other_3: the exclusive outcomes (只计这一情形)


class OutcomesTotal(IdentityRule):
    """依申请公开情况表：（七）总计等于各项办理结果之和。

    **What it does**
    在每一列核对：予以公开、部分公开、8种不予公开、3种无法提供、5种不予处理、3种其他处理之和 = （七）总计。
    有空格或缺行的列不判断（见GK106）。消息列出每个非零项及其数值。

    **Why**
    办理结果各项互斥（国办公开办函〔2021〕30号 表三：部分公开“区分处理的，只计这一情形，不计其他情形”），
    其和即为总计。

    **Example**
    自然人列：予以公开3，其余各项0，总计2。

    **Use instead**
    总计3。

    Table B, identity 2: the total equals the sum of all outcomes, in every column.
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
            "zh": "{table}{place}：办理结果总计为{right}，各项办理结果之和为{left}：{left_terms}",
            "en": "{table}, {place}: total is {right}, the outcomes add up to {left}: "
            "{left_terms}",
        }
    }
    table = "requests"
    left = OUTCOMES
    right = ("total",)
