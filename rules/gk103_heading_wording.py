import re

from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule
from gkaudit.model.report import SECTION_HEADINGS

_IGNORED = re.compile(r"[\s、,，。:：]")


class HeadingWording(Rule):
    """章节标题措辞与格式规定的不一致。

    **What it does**
    将每个已识别章节的标题与格式规定的标题比较，忽略空白和标点（、，。：等）；措辞不同即提示。这类差
    异很常见且无害，因此只是提示（info）。

    **Why**
    国办公开办函〔2021〕30号（年度报告格式）规定了每部分的标题；标题统一，各单位的报告才便于比较。

    **Example**
    ``五、政府信息公开工作存在的主要问题及改进情况``。

    **Use instead**
    ``五、存在的主要问题及改进情况``。

    A section heading's wording differs from the national format (punctuation and spacing ignored);
    info only, as such variants are common and harmless.
    """

    code = "GK103"
    severity = Severity.INFO
    title = {"zh": "章节标题措辞与格式不同", "en": "heading wording differs from the format"}
    source = "国办公开办函〔2021〕30号（年度报告格式）"
    advice = {
        "zh": "将章节标题改为格式规定的原文措辞。",
        "en": "Use the format's exact wording for the section heading.",
    }
    messages = {
        "wording": {
            "zh": "章节标题“{heading}”与格式规定的“{expected}”不一致",
            "en": "heading '{heading}' differs from the format's '{expected}'",
        }
    }

    def check(self, report, context):
        for section in report.sections:
            if not section.kind:
                continue
            expected = SECTION_HEADINGS[section.kind]
            if _IGNORED.sub("", section.heading) != _IGNORED.sub("", expected):
                yield self.finding(
                    "wording", line=section.line, heading=section.heading, expected=expected
                )
