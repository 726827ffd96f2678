from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule
from gkaudit.model.report import SECTION_HEADINGS

NUMERALS = "一二三四五六"


class MissingSection(Rule):
    """缺少格式规定的必需章节。

    **What it does**
    按国办公开办函〔2021〕30号格式，年度报告应有六个部分：一、总体情况；二、主动公开政府信息情况；
    三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及
    改进情况；六、其他需要报告的事项。按标题措辞识别章节，不论其编号；每缺一个部分报告一次，定位在其
    后出现的第一个章节。

    **Why**
    《政府信息公开条例》第五十条规定了年度报告应当包括的内容；国办公开办函〔2021〕30号据此规定了六个
    部分。

    **Example**
    报告从“四、政府信息公开行政复议、行政诉讼情况”直接跳到“六、其他需要报告的事项”。

    **Use instead**
    六个部分齐全：在第四、第六部分之间补上“五、存在的主要问题及改进情况”。

    A required section is missing: the national format fixes six sections, recognised by their
    heading's wording whatever their number; each missing one is reported.
    """

    code = "GK101"
    severity = Severity.ERROR
    title = {"zh": "缺少必需的章节", "en": "a required section is missing"}
    source = "《政府信息公开条例》第五十条；国办公开办函〔2021〕30号"
    advice = {
        "zh": "按国办公开办函〔2021〕30号格式补齐所缺章节，六个部分齐全后重新发布报告。",
        "en": "Add the missing section so that all six parts of the national format are present, then republish.",
    }
    messages = {
        "missing": {
            "zh": "缺少第{number}部分“{heading}”",
            "en": "section {number} '{heading}' is missing",
        }
    }

    def check(self, report, context):
        present = {section.kind for section in report.sections}
        for kind, heading in SECTION_HEADINGS.items():
            if kind in present:
                continue
            later = [s.line for s in report.sections if s.kind and s.kind > kind]
            yield self.finding(
                "missing",
                line=min(later) if later else None,
                number=NUMERALS[kind - 1],
                heading=heading,
            )
