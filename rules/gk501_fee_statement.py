"""GK501: no statement on the information-processing fee in section 六, as data on
RequiredTopicsRule."""

import re

from gkaudit.base.vocabulary import Name
from gkaudit.check.families import RequiredTopicsRule, Topic
from gkaudit.check.findings import Severity

FEE = re.compile(r"信息处理费|处理费|收费|收取[^。；]{0,8}费|费用")


class FeeStatement(RequiredTopicsRule):
    """“其他需要报告的事项”没有说明信息处理费收取情况。

    **What it does**
    在第六部分“其他需要报告的事项”中查找有关信息处理费或收费的说明（信息处理费、处理费、收费、收取……
    费、费用）；没有任何说明的为警告。未收取也应写明（本年度未收取信息处理费）。

    **Why**
    国办函〔2020〕109号（政府信息公开信息处理费管理办法）；国办公开办函〔2021〕30号（第六部分）：年
    度报告应说明信息处理费的收取情况。

    **Example**
    第六部分只有一句“无其他需要报告的事项”。

    **Use instead**
    “本年度未收取信息处理费。”

    Section 六 has no statement on the information-processing fee; one is due even when none was
    charged.
    """

    code = "GK501"
    severity = Severity.WARNING
    title = {
        "zh": "未说明信息处理费收取情况",
        "en": "no statement on the information-processing fee",
    }
    source = "国办函〔2020〕109号；国办公开办函〔2021〕30号（第六部分）"
    advice = {
        "zh": "在“其他需要报告的事项”中说明本年度信息处理费的收取情况（未收取也应说明）。",
        "en": "State in part 六 whether information-processing fees were charged (also when none were).",
    }
    messages = {
        "missing": {
            "zh": "“其他需要报告的事项”未说明信息处理费收取情况",
            "en": "section 六 does not say whether information-processing fees were charged",
        }
    }

    topics = (Topic(Name("信息处理费", "information-processing fee"), FEE),)
    section = 6
    all_key = "missing"
