from gkaudit.findings import Severity
from gkaudit.model import REVIEW_KEYS
from gkaudit.rule import Rule
from gkaudit.vocabulary import row_name


class ReviewTotal(Rule):
    """Table C: each group's 总计 equals 结果维持 + 结果纠正 + 其他结果 + 尚未审结.

    The three groups (行政复议; 行政诉讼 未经复议直接起诉; 行政诉讼 复议后起诉) each end
    with their total (国办公开办函〔2021〕30号 表四).

    Fails: 行政复议 ``1 0 0 0 0`` (one case upheld, total 0).
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
            "zh": "{group}：总计为{reported}，结果维持{upheld}+结果纠正{corrected}+其他结果{other}+尚未审结{pending}={computed}",
            "en": "{group}: total {reported}, but upheld {upheld} + corrected {corrected} + other {other} + pending {pending} = {computed}",
        }
    }

    def check(self, report, context):
        table = report.tables.review
        if table is None:
            return
        for key in REVIEW_KEYS:
            row = table.rows.get(key)
            if row is None or None in row.values:
                continue
            upheld, corrected, other, pending, reported = row.values
            computed = upheld + corrected + other + pending
            if computed != reported:
                parts = {
                    "upheld": upheld,
                    "corrected": corrected,
                    "other": other,
                    "pending": pending,
                }
                yield self.finding(
                    "broken",
                    line=row.cells[4].line,
                    evidence={
                        "group": key,
                        "reported": reported,
                        "computed": computed,
                        "parts": parts,
                    },
                    group=row_name("review", key).as_dict(),
                    reported=reported,
                    computed=computed,
                    **parts,
                )
