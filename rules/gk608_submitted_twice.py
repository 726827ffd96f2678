from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view
from gkaudit.check.rule import BatchRule


class SubmittedTwice(BatchRule):
    """同一份报告在本批中出现两次：同一单位同一年度的两个文件，或文字完全相同的两个文件。

    **What it does**
    按路径排在前面的文件作为该报告，其余每个文件各报告一次，并指明与哪个文件重复。文字相同是指读取后
    的文字逐行相同，因此.docx和由它生成的.pdf只在文字相同时才算相同。

    **Why**
    县政务公开办报送要求：每个单位每年报送一份报告。

    **Example**
    甲乡-2024.docx和甲乡-2024（修订）.docx都是甲乡人民政府的2024年度报告。

    **Use instead**
    只报送一个文件（修订后的定稿）。

    The same report is in the batch twice: two files of one unit and year, or two files with
    identical text; the first file by path is taken, each further one is a finding.
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
