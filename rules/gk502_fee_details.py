import re

from gkaudit.base.numerals import NUMBER
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule, section_label
from gkaudit.model.messages import listing

NONE_CHARGED = re.compile(
    r"(?:未|没有|无|不|均未|并未)(?:产生|收取|收|向[^。；]{0,8}收取)[^。；]{0,10}?(?:费|费用)"
    r"|(?:信息处理费|费用)[^。；]{0,6}?(?:为|共)?(?<![\d.])(?:0|零)元"
)
NOTICES = re.compile(
    rf"收费通知[^。；]{{0,10}}?(?P<n>{NUMBER})\s*(?:件|份|次|个)|(?P<m>{NUMBER})\s*(?:件|份)收费通知"
)
NOTIFIED = re.compile(
    r"(?:通知|应收|应缴)[^。；]{0,12}?(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>万元|元)"
)
_AMOUNT = r"[^。；]{0,14}?(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>万元|元)"
COLLECTED = (  # an explicit 实际收取 first; a plain 收取 only when it is not the notice's
    re.compile(r"(?:实际收取|实收|实际收缴|实际缴纳)" + _AMOUNT),
    re.compile(r"(?<!通知)(?<!应)(?:收取|收缴|缴纳)" + _AMOUNT),
)
ITEMS = {
    "notices": {"zh": "发出收费通知的件数", "en": "the number of fee notices issued"},
    "notified": {"zh": "通知收取的金额", "en": "the amount notified"},
    "collected": {"zh": "实际收取的金额", "en": "the amount collected"},
}


class FeeDetails(Rule):
    """信息处理费说明不完整，或实际收取多于通知收取。

    **What it does**
    第六部分写了收取信息处理费时，应说明发出收费通知的件数、通知收取的金额和实际收取的金额；缺少哪一
    项就报告哪一项（提示）。说明未收取费用（未收取、无……费用、费用为0元）即为完整。第六部分根本没有
    说到收取或通知收取金额的，由GK501判断。通知金额和实际收取金额都写明时，实际收取（万元折算为元
    后）不能多于通知收取。

    **Why**
    国办函〔2020〕109号；国办公开办函〔2021〕30号（第六部分）：收取信息处理费的，报告发出收费通知的
    件数和总金额以及实际收取的总金额。

    **Example**
    “全年收取信息处理费共计380元”，没有收费通知件数和通知金额。

    **Use instead**
    “本年度发出收费通知2件，通知收取信息处理费400元，实际收取380元。”

    The fee statement is incomplete (notice count, amount notified or amount collected missing), or
    more was collected than notified; a statement that no fee was charged is complete.
    """

    code = "GK502"
    severity = Severity.INFO
    title = {"zh": "信息处理费说明不完整", "en": "fee statement incomplete"}
    source = "国办函〔2020〕109号；国办公开办函〔2021〕30号（第六部分）"
    advice = {
        "zh": "补充信息处理费的收取依据、件数和金额等说明。",
        "en": "Complete the fee statement: basis, number of cases and amount.",
    }
    messages = {
        "incomplete": {
            "zh": "信息处理费说明缺少{missing}",
            "en": "the fee statement lacks {missing}",
        },
        "excess": {
            "zh": "实际收取信息处理费{collected}元，多于通知收取的{notified}元",
            "en": "{collected} yuan collected, more than the {notified} yuan notified",
        },
    }

    def check(self, report, context):
        section = report.section(6)
        if section is None or NONE_CHARGED.search(section.text) or "费" not in section.text:
            return
        text = section.text
        found = {
            "notices": NOTICES.search(text),
            "notified": NOTIFIED.search(text),
            "collected": next((m for pattern in COLLECTED if (m := pattern.search(text))), None),
        }
        if not found["collected"] and not found["notified"]:
            return  # no charge described at all: GK501 judges whether there is a statement
        missing = [ITEMS[key] for key, match in found.items() if not match]
        label = section_label(report, 6)
        if missing:
            joined = listing(missing)
            yield self.finding("incomplete", line=section.line, section=label, missing=joined)
        if found["notified"] and found["collected"]:
            notified, collected = _yuan(found["notified"]), _yuan(found["collected"])
            if collected > notified:
                yield self.finding(
                    "excess", line=section.line, section=label,
                    evidence={"notified": notified, "collected": collected}, notified=notified, collected=collected,
                )  # fmt: skip


def _yuan(match):
    amount = float(match["amount"])
    return amount * 10000 if match["unit"] == "万元" else amount
