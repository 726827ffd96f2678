"""GK505: section 五 empty, a token, or without measures, as data on RequiredTopicsRule."""

import re

from gkaudit.base.vocabulary import Name
from gkaudit.check.families import RequiredTopicsRule, Topic
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Option

MEASURES = re.compile(r"改进|措施|整改|加强|完善|提升|推进|优化|下一步|今后|将进一步|拟|计划")


class ProblemsSection(RequiredTopicsRule):
    """“存在的主要问题及改进情况”空泛、敷衍，或只列问题没有改进措施。

    **What it does**
    第五部分应写明本年度实际存在的问题，以及已经或将要采取的改进措施。正文少于配置项``min-chars``（
    默认40字，不计空白）的视为敷衍；没有写改进措施的也报告。均为警告。

    **Why**
    国办公开办函〔2021〕30号（第五部分）：报告存在的主要问题及改进情况。

    **Example**
    “五、存在的主要问题及改进情况”下只写一个“无”。

    **Use instead**
    写明具体问题（如政策解读形式单一）和相应的改进措施（如增加图解、视频解读，明年每季度检查一次）。

    Section 五 is empty or a token answer (fewer than min-chars characters), or names problems
    without improvement measures.
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
