from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule


class WindowMissing(Rule):
    """未说明数据的统计期限。

    **What it does**
    查找前言中的统计期限（“本报告中所列数据的统计期限自…起至…止”）；找不到时提示。原文中写得残缺的统计期限
    （如“统计期限为202411日至20241231日”）算作已说明，由GK201判断能读出的部分。

    **Why**
    年度报告格式的前言写明数据的统计期限（国办公开办函〔2021〕30号）；没有它，读者无法判断表格统计的是哪段时间。

    **Example**
    全文没有关于统计期限、统计时限的句子。

    **Use instead**
    本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。

    No statistics window is stated. A window garbled in the source is stated: GK201 reads what
    it can of it.
    """

    code = "GK202"
    severity = Severity.WARNING
    title = {"zh": "未说明统计期限", "en": "no statistics window stated"}
    source = "国办公开办函〔2021〕30号（年度报告格式）"
    advice = {
        "zh": "在报告开头说明数据统计期限（报告年度1月1日至12月31日）。",
        "en": "State the statistics window (1 January to 31 December of the report year) at the start.",
    }
    messages = {
        "missing": {
            "zh": "报告未说明数据的统计期限（应为{year}年1月1日至12月31日）",
            "en": "the report does not state the statistics window (1 January – 31 December {year})",
        }
    }

    def check(self, report, context):
        if report.window is None and report.facts.written_window is None:
            year = report.year or {"zh": "本", "en": "of the report year"}
            yield self.finding("missing", line=report.title_line, year=year)
