"""GK503: a government's report lacks 工作考核/社会评议/责任追究, as data on
RequiredTopicsRule; the finding points at the 监督保障 passage."""

import re
from typing import Any

from gkaudit.base.vocabulary import Name
from gkaudit.check.families import RequiredTopicsRule, Topic
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Context
from gkaudit.model.report import Report
from gkaudit.model.units import GOVERNMENTS

UNIT_NAMES = {
    "township": {"zh": "乡镇（街道）", "en": "township"},
    "county": {"zh": "县级人民政府", "en": "county government"},
}


class GovernmentResults(RequiredTopicsRule):
    """政府年度报告缺少工作考核、社会评议、责任追究结果。

    **What it does**
    对乡镇（街道）和县级人民政府的报告，在正文中查找工作考核、社会评议、责任追究三项结果
    （“未开展社会评议”“未发生责任追究”这类零报告也算结果）。三项都没有为错误，缺少部分为警告。
    发现指向“监督保障”段落；报告没有这一段时，指向总体情况一节。部门报告不适用。

    **Why**
    《政府信息公开条例》第五十条第（四）项：人民政府的年度报告应当包括政府信息公开工作考核、
    社会评议和责任追究结果情况。

    **Example**
    某乡人民政府报告的“监督保障”只写“加强组织领导”，未提考核、评议、追责。

    **Use instead**
    将政府信息公开工作纳入年度绩效考核；全年未开展社会评议，未发生责任追究情况。

    **Options**
    单位类型按名称推断，可用配置 ``unit-types`` 指定（部门不适用本规则）。

    A government's report (township or county) lacks the results of work assessment, public
    appraisal or accountability (Regulation Art. 50(4)); the finding points at 监督保障.
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
        "en": "Report the results of assessment, public appraisal and accountability under "
        "监督保障 (also when there were none).",
    }
    messages = {
        "all": {
            "zh": "{unit}年度报告未报告工作考核、社会评议和责任追究结果",
            "en": "the {unit} report gives no results of work assessment, public appraisal or "
            "accountability",
        },
        "some": {
            "zh": "{unit}年度报告未报告{missing}结果",
            "en": "the {unit} report gives no results of {missing}",
        },
    }
    topics = (
        Topic(Name("工作考核", "work assessment (工作考核)"), re.compile(r"考核|考评|绩效评估")),
        Topic(
            Name("社会评议", "public appraisal (社会评议)"),
            re.compile(r"社会评议|群众评议|民主评议|评议"),
        ),
        Topic(
            Name("责任追究", "accountability (责任追究)"),
            re.compile(r"责任追究|追责|问责|追究责任"),
        ),
    )
    anchor = re.compile(r"监督保障|监督考核|考核评议")
    all_severity = Severity.ERROR

    def applies(self, report: Report, context: Context) -> bool:
        return context.unit_type in GOVERNMENTS

    def params(self, report: Report, context: Context) -> dict[str, Any]:
        return {"unit": UNIT_NAMES[context.unit_type]}
