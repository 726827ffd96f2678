"""GK304: Table C (each group's 总计 = its four results), as data on IdentityRule."""

from gkaudit.check.families import IdentityRule
from gkaudit.check.findings import Severity
from gkaudit.model.report import REVIEW_KEYS


class ReviewTotal(IdentityRule):
    """行政复议、行政诉讼情况表：每组的总计等于结果维持＋结果纠正＋其他结果＋尚未审结。

    **What it does**
    对行政复议、行政诉讼（未经复议直接起诉）、行政诉讼（复议后起诉）三组逐组核对：
    结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计。

    **Why**
    国办公开办函〔2021〕30号 表四：每组以总计收尾，总计为各项结果之和。

    **Example**
    行政复议：结果维持1，结果纠正0，其他结果0，尚未审结0，总计0。

    **Use instead**
    总计1。

    Table C: each group's total equals upheld + corrected + other + pending.
    """

    code = "GK304"
    severity = Severity.ERROR
    title = {"zh": "复议诉讼总计与各项之和不符", "en": "Table C group total ≠ its parts"}
    source = "国办公开办函〔2021〕30号 表四"
    advice = {
        "zh": "核对复议、诉讼数字，使总计等于结果维持、结果纠正、其他结果、尚未审结之和。",
        "en": "Correct Table C so that each total equals upheld + corrected + other + pending.",
    }
    messages = {
        "broken": {
            "zh": "{table}{place}：总计为{right}，{left_terms}={left}",
            "en": "{table}, {place}: total {right}, but {left_terms} = {left}",
        }
    }
    table = "review"
    axis = "columns"
    rows = REVIEW_KEYS
    left = (0, 1, 2, 3)
    right = (4,)
