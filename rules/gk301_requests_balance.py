"""GK301: Table B, identity 1 (一 + 二 = 三 + 四), as data on IdentityRule."""

from gkaudit.check.families import IdentityRule
from gkaudit.check.findings import Severity

IDENTITY_MESSAGE = {
    "zh": "{table}{place}：{left_terms}={left}，但{right_terms}={right}",
    "en": "{table}, {place}: {left_terms} = {left}, but {right_terms} = {right}",
}


class RequestsBalance(IdentityRule):
    """依申请公开情况表：本年新收＋上年结转＝办理结果总计＋结转下年度继续办理。

    **What it does**
    在“收到和处理政府信息公开申请情况”表的每一列（各类申请人和总计）核对：
    一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理。有空格或缺行的列不判断（见GK106）。

    **Why**
    表格本身印有这一勾稽关系（国办公开办函〔2021〕30号 表三）：“第一项加第二项之和，等于第三项加第四项之和”。

    **Example**
    自然人列：本年新收2，上年结转0，总计1，结转下年度0（2+0≠1+0）。

    **Use instead**
    本年新收2，上年结转0，总计2，结转下年度0。

    Table B, identity 1: new + carried over = handled in total + carried forward, in every
    column; every operand is named as the form prints it.
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
    messages = {"broken": IDENTITY_MESSAGE}
    table = "requests"
    left = ("new", "carried_over")
    right = ("total", "carried_forward")
