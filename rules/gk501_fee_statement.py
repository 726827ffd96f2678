"""GK501: no statement on the information-processing fee in section 六, as data on
RequiredTopicsRule."""

import re

from gkaudit.base.vocabulary import Name
from gkaudit.check.families import RequiredTopicsRule, Topic
from gkaudit.check.findings import Severity

FEE = re.compile(r"信息处理费|处理费|收费|收取[^。；]{0,8}费|费用")


class FeeStatement(RequiredTopicsRule):
    """Section 六 has no statement on the information-processing fee.

    Since 国办函〔2020〕109号 (政府信息公开信息处理费管理办法) reports state under
    其他需要报告的事项 whether information-processing fees were charged, even when none
    were (本年度未收取信息处理费).

    Fails: a section 六 that only reads 无其他需要报告的事项.
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
