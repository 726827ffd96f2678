from collections import Counter
from dataclasses import replace

from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view
from gkaudit.check.rule import BatchRule


class MissingReport(BatchRule):
    """A unit on the roster has no report for the year; or a report matches no roster unit.

    Which units have not published at all is the first line of every inspection notice. The
    year is the one most of the batch's reports are for. Each missing unit is a finding located
    at its row of the roster file. A report that matches no unit of the roster, or several, is
    a warning on that report: it cannot be paired or counted, and nothing guesses for it.
    Runs only with a roster (``--units`` or ``units`` in configuration).

    Fails: units.csv lists 甲乡, 乙乡 and 丙镇; the batch holds reports of 甲乡 and 乙乡.
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
