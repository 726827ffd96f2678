from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule

NUMERALS = "一二三四五六七八九十"


class SectionOrder(Rule):
    """章节顺序颠倒或编号错误。

    **What it does**
    六个部分应按格式顺序、以汉字数字“一、”至“六、”编号。以下情形各报告一次：标题用阿拉伯数字编号（“
    3、”应为“三、”）；同一编号出现两次（两个“一、”）；格式规定的章节编号与其位置不符（“其他需要报告
    的事项”编为“五、”）；某一章节出现在本应在它之后的章节后面。

    **Why**
    国办公开办函〔2021〕30号（年度报告格式）规定了六个部分的顺序和编号。

    **Example**
    ``3、收到和处理政府信息公开申请情况``。

    **Use instead**
    ``三、收到和处理政府信息公开申请情况``。

    Sections out of order or numbered wrongly: an Arabic digit, a number used twice, a format
    section numbered other than its place, or a section after one that should follow it.
    """

    code = "GK102"
    severity = Severity.WARNING
    title = {"zh": "章节顺序或编号错误", "en": "sections out of order or numbered wrongly"}
    source = "国办公开办函〔2021〕30号（年度报告格式）"
    advice = {
        "zh": "按格式将六个部分依次编为“一、”至“六、”，调整顺序后重新发布。",
        "en": "Number the six parts 一、 to 六、 in the format's order and republish.",
    }
    messages = {
        "arabic": {
            "zh": "章节标题使用阿拉伯数字编号“{number}、”，应为“{expected}、”",
            "en": "heading numbered '{number}、' with an Arabic digit; expected '{expected}、'",
        },
        "duplicate": {
            "zh": "章节编号“{number}、”重复出现（第{first}行已使用）",
            "en": "section number '{number}、' used again (already at line {first})",
        },
        "misnumbered": {
            "zh": "“{heading}”编号为“{number}”，按格式应为“{expected}”",
            "en": "'{heading}' is numbered '{number}'; the format numbers it '{expected}'",
        },
        "order": {
            "zh": "“{heading}”出现在“{previous}”之后，顺序颠倒",
            "en": "'{heading}' comes after '{previous}', out of order",
        },
    }

    def check(self, report, context):
        seen: dict[str, int] = {}
        previous = None
        for section in report.sections:
            label = section.heading
            expected = NUMERALS[section.kind - 1] if section.kind else None
            if section.number.isdigit():
                yield self.finding(
                    "arabic",
                    line=section.line,
                    number=section.number,
                    expected=expected or _numeral(section.number),
                )
            elif section.number in seen:
                yield self.finding(
                    "duplicate",
                    line=section.line,
                    number=section.number,
                    first=seen[section.number],
                )
            elif expected and section.number != expected:
                yield self.finding(
                    "misnumbered",
                    line=section.line,
                    heading=label,
                    number=section.number,
                    expected=expected,
                )
            seen.setdefault(section.number, section.line)
            if section.kind:
                if previous and previous.kind > section.kind:
                    yield self.finding(
                        "order", line=section.line, heading=label, previous=previous.heading
                    )
                previous = section


def _numeral(number: str) -> str:
    value = int(number)
    return NUMERALS[value - 1] if 1 <= value <= 10 else number
