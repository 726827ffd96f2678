from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view
from gkaudit.check.rule import BatchRule


class SubmittedTwice(BatchRule):
    """The same report is in the batch twice: two files of one unit and year, or two files
    with identical text (whatever unit they say they are).

    The first file (by path) is taken as the report; each further one is a finding naming it.
    Identical text is compared line by line after the reader, so a .docx and the .pdf made
    from it count as identical only if their text is.

    Fails: 甲乡-2024.docx and 甲乡-2024（修订）.docx, both 甲乡人民政府's 2024 report.
    """

    code = "GK608"
    severity = Severity.WARNING
    title = {"zh": "同一报告重复报送", "en": "the same report submitted twice"}
    source = "县政务公开办报送要求"
    messages = {
        "identical": {
            "zh": "本文件与{other}内容完全相同（重复报送）",
            "en": "this file's text is identical to {other} (submitted twice)",
        },
        "same_unit_year": {
            "zh": "本文件与{other}同为{unit}的{year}年报告（重复报送，应确认以哪一份为准）",
            "en": "this file and {other} are both the {year} report of {unit} (submitted twice; which one stands?)",
        },
    }

    def check_batch(self, reports, context):
        view = batch_view(reports, context)
        ordered = sorted(reports, key=lambda r: r.path or "")
        first_by_text: dict[str, object] = {}
        reported = set()
        for report in ordered:
            key = report.text_hash
            first = first_by_text.setdefault(key, report)
            if first is not report:
                reported.add(id(report))
                yield self.finding(
                    "identical", report=report, line=report.title_line,
                    evidence={"other": first.path}, other=first.path,
                )  # fmt: skip
        for (unit, year), group in view.by_unit_year.items():
            for report in group[1:]:
                if id(report) in reported:
                    continue
                yield self.finding(
                    "same_unit_year", report=report, line=report.title_line,
                    evidence={"other": group[0].path, "unit": unit, "year": year},
                    other=group[0].path, unit=unit, year=year,
                )  # fmt: skip
