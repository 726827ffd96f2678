from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view, nothing_to_compare
from gkaudit.check.rule import BatchRule


class RepeatedOwnText(BatchRule):
    """The text largely repeats the unit's own previous report.

    Measured on what is the report's own: years, dates, numbers and the unit's names are
    masked; the national format's fixed sentences and sentences most units' reports share are
    set aside. The share is the part of this year's remaining text (character 5-grams) found in
    last year's report; reported at ``thresholds.copy-own-share`` (default 0.8), with the share per
    section and the longest repeated passages with both line numbers. A report with less own
    text than ``copy-min-chars`` (default 200) is not judged.

    Fails: a 2024 report that is the 2023 report with the years changed.
    """

    code = "GK603"
    severity = Severity.WARNING
    title = {
        "zh": "正文与本单位上年报告大量重复",
        "en": "text largely repeated from last year's report",
    }
    source = "国办公开办函〔2021〕30号（明确责任：内容雷同）"
    messages = {
        "repeated": {
            "zh": "正文{share}与本单位{year}年报告（{other}）重复（已屏蔽年份、日期、数字和单位名称，不计格式用语和多数单位共有的语句）；各部分：{sections}；最长重复段落：{passages}",
            "en": "{share} of the text repeats the unit's {year} report ({other}) (years, dates, numbers and the unit's name masked; format wording and sentences most units share not counted); by section: {sections}; longest repeated passages: {passages}",
        }
    }

    def check_batch(self, reports, context):
        if nothing_to_compare(reports, context):
            return
        from gkaudit.check.copying import (  # loaded only when a batch runs
            copy_view,
            describe_overlap,
            overlap,
            own_chars,
        )

        view = batch_view(reports, context)
        copies = copy_view(reports, context)
        limit = context.config.thresholds.get("copy-own-share", 0.8)
        floor = context.config.thresholds.get("copy-min-chars", 200)
        for report, previous in view.pairs(reports, context.history):
            mine = copies.of(report)
            if own_chars(mine) < floor:
                continue
            found = overlap(mine, copies.of(previous), at_least=limit)
            if found is None:
                continue
            words = describe_overlap(found)
            first = found.passages[0]["line"] if found.passages else report.title_line
            yield self.finding(
                "repeated",
                report=report,
                line=first,
                evidence={
                    "share": found.share,
                    "by_section": found.by_section,
                    "passages": found.passages,
                    "previous": previous.path,
                    "previous_year": previous.year,
                },
                share=f"{found.share:.0%}",
                year=previous.year,
                other=previous.path,
                **words,
            )
