from datetime import date

from gkaudit.findings import Severity
from gkaudit.rule import Rule


class WindowWrong(Rule):
    """The statistics window is not 1 January – 31 December of the report year.

    An annual report covers one calendar year (《政府信息公开条例》第四十九条、第五十条):
    its data run from 1 January to 31 December of the year in its title. A window that
    starts or ends elsewhere, or names impossible dates, means the tables count the wrong
    period.

    Fails: a 2024 report stating 统计期限为2023年12月1日至2024年11月30日.
    """

    code = "GK201"
    severity = Severity.ERROR
    title = {"zh": "统计期限不是报告年度的全年", "en": "statistics window is not the report year"}
    source = "《政府信息公开条例》第四十九条、第五十条"
    advice = {
        "zh": "将统计期限改为报告年度1月1日至12月31日。",
        "en": "State the window as 1 January to 31 December of the report year.",
    }
    messages = {
        "window": {
            "zh": "统计期限“{text}”与{year}年度（{year}年1月1日至12月31日）不符",
            "en": "statistics window '{text}' is not the {year} calendar year (1 Jan – 31 Dec)",
        },
        "invalid": {
            "zh": "统计期限“{text}”含有不存在的日期",
            "en": "statistics window '{text}' contains an impossible date",
        },
    }

    def check(self, report, context):
        window = report.window
        if window is None or report.year is None:
            return
        evidence = {"quote": window.text, "start": _iso(window.start), "end": _iso(window.end)}
        if window.start is None or window.end is None:
            yield self.finding("invalid", line=window.line, evidence=evidence, text=window.text)
        elif (window.start, window.end) != (date(report.year, 1, 1), date(report.year, 12, 31)):
            yield self.finding(
                "window", line=window.line, evidence=evidence, text=window.text, year=report.year
            )


def _iso(day):
    return day.isoformat() if day else None
