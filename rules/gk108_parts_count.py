import re

from gkaudit.findings import Severity
from gkaudit.numerals import cn_number
from gkaudit.rule import Rule

STATED = re.compile(r"(?:共|等|分为|包括)(?P<count>[一二三四五六七八九十\d]{1,2})(?:个)?部分")


class PartsCount(Rule):
    """The report's own description of its parts disagrees with what is there.

    Preambles often say 全文包括…等六部分 or 共六部分. When fewer (or more) of the
    format's sections are present, the report contradicts itself — usually a section was
    dropped or merged.

    Fails: 本报告共六部分 in a report without section 五.
    """

    code = "GK108"
    severity = Severity.WARNING
    title = {"zh": "报告自述的部分数与实际不符", "en": "stated number of parts disagrees"}
    source = "国办公开办函〔2021〕30号（年度报告格式）"
    advice = {
        "zh": "核对报告自述的部分数，与实际章节保持一致。",
        "en": "Make the stated number of parts match the report's sections.",
    }
    messages = {
        "count": {
            "zh": "报告称共{stated}部分，实际可识别的格式章节为{found}个",
            "en": "the report says it has {stated} parts; {found} format sections are present",
        }
    }

    def check(self, report, context):
        found = len({section.kind for section in report.sections if section.kind})
        for line in report.lines:
            match = STATED.search(line.text)
            if not match:
                continue
            stated = cn_number(match["count"])
            if stated is not None and stated != found:
                yield self.finding(
                    "count",
                    line=line.number,
                    evidence={"quote": match.group(0), "stated": stated, "found": found},
                    stated=stated,
                    found=found,
                )
            return
