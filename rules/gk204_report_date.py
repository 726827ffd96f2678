from datetime import date

from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule

UNIT_NAMES = {
    "township": {"zh": "乡镇（街道）", "en": "township"},
    "county": {"zh": "县级人民政府", "en": "county government"},
    "department": {"zh": "县级部门", "en": "county department"},
}


class ReportDate(Rule):
    """报告落款日期早于年度结束，或晚于本单位的发布时限。

    **What it does**
    判断报告末尾的落款日期（或标题处给出的发布日期）。N年度报告的日期早于N年12月31日为错误：年度数据
    不可能完整。晚于发布时限为警告：县级部门为N+1年1月31日，县级人民政府为N+1年3月31日，乡镇（街道）
    按地方规定（配置项``deadlines``，默认1月31日）。单位类型不明的不判断时限；没有落款日期或年度的不
    判断。

    **Why**
    《政府信息公开条例》第四十九条规定了年度报告的发布时限。

    **Example**
    乡镇2024年度报告落款2025年3月5日（晚于1月31日）。

    **Use instead**
    落款2025年1月20日，并在1月31日前发布。

    The report is dated before the end of its year (error) or after its unit's deadline (warning):
    departments 31 January, the county government 31 March, townships per configuration.
    """

    code = "GK204"
    severity = Severity.WARNING
    title = {"zh": "报告日期早于年度结束或晚于发布时限", "en": "report dated too early or too late"}
    source = "《政府信息公开条例》第四十九条"
    advice = {
        "zh": "核对落款日期：应在年度结束之后、法定发布时限之前，并按时发布。",
        "en": "Date the report after the year's end and publish it before the legal deadline.",
    }
    messages = {
        "early": {
            "zh": "报告落款日期{date}早于{year}年12月31日，年度数据不可能完整",
            "en": "the report is dated {date}, before 31 December {year}: its data cannot be complete",
        },
        "late": {
            "zh": "报告落款日期{date}晚于{unit}的发布时限{deadline}",
            "en": "the report is dated {date}, after the {unit} deadline of {deadline}",
        },
    }

    def check(self, report, context):
        signed, year = report.signature_date, report.year
        if signed is None or year is None:
            return
        evidence = {"date": signed.isoformat()}
        if signed < date(year, 12, 31):
            yield self.finding(
                "early", line=report.signature_line, evidence=evidence, severity=Severity.ERROR,
                date=signed.isoformat(), year=year,
            )  # fmt: skip
            return
        month_day = context.config.deadlines.get(context.unit_type)
        if month_day is None:
            return
        month, day = (int(part) for part in month_day.split("-"))
        deadline = date(year + 1, month, day)
        if signed > deadline:
            evidence["deadline"] = deadline.isoformat()
            yield self.finding(
                "late",
                line=report.signature_line,
                evidence=evidence,
                date=signed.isoformat(),
                deadline=deadline.isoformat(),
                unit=UNIT_NAMES[context.unit_type],
            )
