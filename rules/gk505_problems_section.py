"""GK505: section 五 empty, a token, or without measures, as data on RequiredTopicsRule."""

import re

from gkaudit.base.vocabulary import Name
from gkaudit.check.families import RequiredTopicsRule, Topic
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Option

MEASURES = re.compile(r"改进|措施|整改|加强|完善|提升|推进|优化|下一步|今后|将进一步|拟|计划")


class ProblemsSection(RequiredTopicsRule):
    """Section 五 is empty or a token, or names problems without improvement measures.

    存在的主要问题及改进情况 must name the year's real problems and what was or will be done
    about them (国办公开办函〔2021〕30号). A one-line section (below the option ``min-chars``,
    default 40 characters, whitespace not counted) is a token answer.

    Fails: 五、存在的主要问题及改进情况 followed by 无.
    """

    code = "GK505"
    severity = Severity.WARNING
    title = {
        "zh": "存在问题及改进情况空泛或缺失措施",
        "en": "section 五 empty, token or without measures",
    }
    source = "国办公开办函〔2021〕30号（第五部分）"
    advice = {
        "zh": "具体写明存在的主要问题、改进措施及上年度问题的整改情况。",
        "en": "Name the main problems, the measures taken and last year's follow-up.",
    }
    messages = {
        "token": {
            "zh": "“存在的主要问题及改进情况”内容过少（{length}字）",
            "en": "section 五 is a token answer ({length} characters)",
        },
        "no-measures": {
            "zh": "“存在的主要问题及改进情况”只列问题，没有改进措施",
            "en": "section 五 names problems but no improvement measures",
        },
    }

    options = {
        "min-chars": Option(
            40,
            {"type": "integer", "minimum": 0},
            {
                "zh": "第五部分正文少于此字数（不计空白）时视为敷衍了事",
                "en": "section 五 with fewer characters than this is a token answer",
            },
        )
    }
    topics = (Topic(Name("改进措施", "improvement measures"), MEASURES),)
    section = 5
    all_key = "no-measures"
    token_key = "token"
