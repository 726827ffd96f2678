from gkaudit.check.findings import Severity
from gkaudit.check.roster import nothing_to_compare
from gkaudit.check.rule import BatchRule


class SharedText(BatchRule):
    """The text is largely the same as another unit's report of the same year.

    Compared with the batch's reports and the archive's reports of the same year. Years,
    dates, numbers and each unit's own names are masked; the national format's fixed sentences
    and sentences most units share (a county's common template paragraphs) are set aside. Pairs
    come from MinHash LSH over the remaining text; for each, the share of this report's own text
    (character 5-grams) that the other contains is reported at ``thresholds.copy-other-share``
    (default 0.5), per section, with the longest shared passages and both line numbers. Each
    report is measured against at most 20 other reports, those whose signatures are closest
    (a batch with thousands of near-copies of one text stays bounded).

    Fails: 乙乡's report made from 甲乡's by replacing the name.
    """

    code = "GK604"
    severity = Severity.WARNING
    title = {
        "zh": "正文与其他单位报告大量雷同",
        "en": "text largely shared with another unit's report",
    }
    source = "国办公开办函〔2021〕30号（明确责任：内容雷同）"
    messages = {
        "shared": {
            "zh": "正文{share}与{unit}的{year}年报告（{other}）相同（已屏蔽年份、日期、数字和各自单位名称，不计格式用语和多数单位共有的语句）；各部分：{sections}；最长相同段落：{passages}",
            "en": "{share} of the text is shared with the {year} report of {unit} ({other}) (years, dates, numbers and each unit's name masked; format wording and sentences most units share not counted); by section: {sections}; longest shared passages: {passages}",
        }
    }

    def check_batch(self, reports, context):
        if nothing_to_compare(reports, context):
            return
        from gkaudit.check.copying import (  # loaded only when a batch runs
            copy_view,
            describe_overlap,
            overlap,
        )

        copies = copy_view(reports, context)
        limit = context.config.thresholds.get("copy-other-share", 0.5)
        floor = context.config.thresholds.get("copy-min-chars", 200)
        for index, other in copies.shared_candidates(floor):
            mine, theirs = copies.text(index), copies.text(other)
            grams = (copies.grams(index), copies.grams(other))
            found = overlap(mine, theirs, at_least=limit, grams=grams)
            if found is None:
                continue
            report = copies.report(index)
            first = found.passages[0]["line"] if found.passages else report.title_line
            yield self.finding(
                "shared",
                report=report,
                line=first,
                evidence={
                    "share": found.share,
                    "by_section": found.by_section,
                    "passages": found.passages,
                    "other": theirs.path,
                    "other_unit": theirs.unit,
                },
                share=f"{found.share:.0%}",
                unit=theirs.unit or theirs.path,
                year=theirs.year,
                other=theirs.path,
                **describe_overlap(found),
            )
