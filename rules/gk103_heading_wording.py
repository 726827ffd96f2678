import re

from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule
from gkaudit.model.report import SECTION_HEADINGS

_IGNORED = re.compile(r"[\s、,，。:：]")


class HeadingWording(Rule):
    """A section heading's wording differs from the national format.

    The format gives each section a fixed heading (国办公开办函〔2021〕30号). Variants such as
    ``政府信息公开工作存在的主要问题及改进情况`` are common and harmless, hence info:
    uniform headings make reports comparable across units. Punctuation and spacing are
    ignored.

    Fails: ``五、政府信息公开工作存在的主要问题及改进情况``.
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
