import re

from gkaudit.findings import Severity
from gkaudit.messages import listing
from gkaudit.rule import Rule

ITEMS = {
    "assessment": (
        re.compile(r"考核|考评|绩效评估"),
        {"zh": "工作考核", "en": "work assessment (工作考核)"},
    ),
    "appraisal": (
        re.compile(r"社会评议|群众评议|民主评议|评议"),
        {"zh": "社会评议", "en": "public appraisal (社会评议)"},
    ),
    "accountability": (
        re.compile(r"责任追究|追责|问责|追究责任|责任追究"),
        {"zh": "责任追究", "en": "accountability (责任追究)"},
    ),
}
UNIT_NAMES = {
    "township": {"zh": "乡镇（街道）", "en": "township"},
    "county": {"zh": "县级人民政府", "en": "county government"},
}


class GovernmentResults(Rule):
    """A government's report lacks the results of 工作考核, 社会评议 or 责任追究.

    Article 50(4) of the Regulation requires the reports of people's governments — here
    townships (乡/镇/街道) and county governments — to report the results of work
    assessment, public appraisal and accountability for open government information.
    Departments are exempt. A stated nil (未开展社会评议, 未发生责任追究) is a result.
    All three missing is an error; some missing, a warning.

    Fails: a 乡人民政府 report that never mentions 考核, 评议 or 责任追究.
    """

    code = "GK503"
    severity = Severity.WARNING
    title = {
        "zh": "政府报告缺少考核、评议、追责情况",
        "en": "government report lacks assessment/appraisal/accountability",
    }
    source = "《政府信息公开条例》第五十条第（四）项"
    advice = {
        "zh": "在“监督保障”部分报告工作考核、社会评议和责任追究结果（没有的也应说明）。",
        "en": "Report the results of assessment, public appraisal and accountability under 监督保障 (also when there were none).",
    }
    messages = {
        "all": {
            "zh": "{unit}年度报告未报告工作考核、社会评议和责任追究结果",
            "en": "the {unit} report gives no results of work assessment, public appraisal or accountability",
        },
        "some": {
            "zh": "{unit}年度报告未报告{missing}结果",
            "en": "the {unit} report gives no results of {missing}",
        },
    }

    def check(self, report, context):
        if context.unit_type not in UNIT_NAMES:
            return
        text = report.facts.text
        missing = [names for pattern, names in ITEMS.values() if not pattern.search(text)]
        line = report.section(1).line if report.section(1) else report.title_line
        unit = UNIT_NAMES[context.unit_type]
        if len(missing) == len(ITEMS):
            yield self.finding("all", line=line, severity=Severity.ERROR, unit=unit)
        elif missing:
            joined = listing(missing)
            yield self.finding("some", line=line, unit=unit, missing=joined)
