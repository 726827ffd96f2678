"""GK105: the outdated 2019 template, as data on PatternRule: its column and row labels."""

from typing import Any

from gkaudit.base.vocabulary import TEMPLATE_2019_MARKERS
from gkaudit.check.families import PatternRule
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Context
from gkaudit.model.report import Report

FIRST_YEAR_OF_2021_FORMAT = 2021


class OutdatedTemplate(PatternRule):
    """2021年度及以后的报告仍使用过时的2019年试行格式。

    **What it does**
    对2021年度及以后的报告，识别2019年试行格式（国办公开办函〔2019〕60号）特有的表格标签，如“本年新
    制作数量”“对外公开总数量”“上一年项目数量”“本年增/减”以及第二十条第（九）项的政府集中采购栏。只凭
    标签判断：单元格乱码或为空的表格，也能凭表头认出（表格无法读取由GK104报告）。只报告找到的第一个
    标签。

    **Why**
    自2021年度报告起施行国办公开办函〔2021〕30号规定的新格式。

    **Example**
    2024年度报告的主动公开情况表，列名为“本年新制作数量”“本年新公开数量”。

    **Use instead**
    使用2021年格式的列名：“本年制发件数”“本年废止件数”“现行有效件数”。

    The outdated 2019 trial template is used for a report of 2021 or later, recognised by its labels
    alone; the first label found is reported.
    """

    code = "GK105"
    severity = Severity.ERROR
    title = {"zh": "使用了过时的2019年格式", "en": "outdated 2019 template used"}
    source = "国办公开办函〔2021〕30号（自2021年度报告起施行）"
    advice = {
        "zh": "改用国办公开办函〔2021〕30号规定的新格式重新编制报告。",
        "en": "Rewrite the report in the 2021 format (国办公开办函〔2021〕30号).",
    }
    messages = {
        "outdated": {
            "zh": "{year}年度报告仍使用2019年试行格式（如“{quote}”），应使用国办公开办函〔2021〕30号格式",
            "en": "the {year} report uses the 2019 trial format (e.g. '{quote}'); the 2021 format applies",
        }
    }

    pattern = TEMPLATE_2019_MARKERS
    key = "outdated"
    limit = 1

    def applies(self, report: Report, context: Context) -> bool:
        year = report.year
        return report.template == "2019" and year is not None and year >= FIRST_YEAR_OF_2021_FORMAT

    def params(self, report: Report, context: Context) -> dict[str, Any]:
        return {"year": report.year}
