from datetime import date

from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule

UNIT_NAMES = {
    "township": {"zh": "乡镇（街道）", "en": "township"},
    "county": {"zh": "县级人民政府", "en": "county government"},
    "department": {"zh": "县级部门", "en": "county department"},
}


class ReportDate(Rule):
    """The report is dated before the end of its year, or after its unit's deadline.

    A report about year N cannot be complete before 31 December N (error). Article 49 of
    the Regulation sets the deadlines: departments by 31 January of N+1, the county
    government by 31 March; townships per local rule (configurable under ``deadlines``;
    default 31 January). The date judged is the signature date at the end (or a publication
    date given with the title). Units of unknown type are not judged on the deadline.

    Fails: a township's 2024 report signed 2025年3月5日 (after 31 January).
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
