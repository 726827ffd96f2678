from collections import Counter
from dataclasses import replace

from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view
from gkaudit.check.rule import BatchRule


class MissingReport(BatchRule):
    """名册上的单位没有本年度报告；或报告与名册上的单位对不上。

    **What it does**
    本年度取本批多数报告所属的年度。名册上每个没有报告的单位报告一次（错误），定位在名册文件中该单位
    所在行。与名册上任何单位都对不上、或同时对上几个单位的报告，在该报告上给出警告：它无法配对和计
    数，也不作猜测。只在提供名册时运行（``--units``或配置项``units``）。

    **Why**
    《中华人民共和国政府信息公开条例》第四十九条：各单位应按时公布年度报告；哪些单位根本没有公布，是
    每份督查通报的第一项。

    **Example**
    units.csv列有甲乡、乙乡和丙镇，本批只有甲乡和乙乡的报告。

    **Use instead**
    丙镇补报2024年度报告。

    A unit on the roster has no report for the year (error, at its roster row), or a report matches
    no roster unit or several (warning); runs only with a roster.
    """

    code = "GK607"
    severity = Severity.ERROR
    title = {"zh": "名册单位缺少年度报告", "en": "a unit on the roster has no report"}
    source = "《中华人民共和国政府信息公开条例》第四十九条"
    messages = {
        "missing": {
            "zh": "名册单位“{unit}”没有{year}年政府信息公开工作年度报告",
            "en": "the roster's unit '{unit}' has no annual report for {year}",
        },
        "unbound": {
            "zh": "报告单位“{written}”与名册中的单位对应不上，无法确认是哪个单位的报告",
            "en": "the report's unit '{written}' matches no unit of the roster",
        },
        "ambiguous": {
            "zh": "报告单位“{written}”同时对应名册中的{candidates}，无法确认是哪个单位的报告",
            "en": "the report's unit '{written}' matches several units of the roster: {candidates}",
        },
    }

    def check_batch(self, reports, context):
        roster = context.roster
        if roster is None:
            return
        view = batch_view(reports, context)
        for report in reports:
            binding = view.binding(report)
            if binding.unit:
                continue
            key = "ambiguous" if binding.method == "ambiguous" else "unbound"
            yield self.finding(
                key,
                report=report,
                line=report.title_line,
                severity=Severity.WARNING,
                evidence={"written": binding.written, "candidates": list(binding.candidates)},
                written=binding.written or "?",
                candidates={
                    "zh": "、".join(binding.candidates),
                    "en": ", ".join(binding.candidates),
                },
            )
        years = Counter(report.year for report in reports if report.year)
        if not years:
            return
        year = years.most_common(1)[0][0]
        present = {unit for (unit, y) in view.by_unit_year if y == year}
        for unit in roster.units:
            if unit.name in present:
                continue
            finding = self.finding(
                "missing",
                line=unit.row,
                evidence={"unit": unit.name, "year": year, "roster_row": unit.row},
                unit=unit.name,
                year=year,
            )
            yield replace(finding, path=roster.source, unit=unit.name)
