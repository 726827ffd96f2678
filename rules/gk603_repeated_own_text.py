from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view, nothing_to_compare
from gkaudit.check.rule import BatchRule


class RepeatedOwnText(BatchRule):
    """正文大量重复本单位上年度报告。

    **What it does**
    只比较报告自己的文字：年份、日期、数字和本单位名称先遮蔽，格式规定的固定语句和多数单位共有的句子
    先剔除。计算本年剩余文字（按5字片段）中见于上年度报告的比例；达到``thresholds.copy-own-share``（
    默认0.8）时报告，并给出各部分的比例和最长的重复段落及其在两份报告中的行号。本身文字少于
    ``copy-min-chars``（默认200字）的报告不判断。

    **Why**
    国办公开办函〔2021〕30号（明确责任：内容雷同）：年度报告应如实反映当年工作，不得照搬往年内容。

    **Example**
    2024年度报告就是2023年度报告改了年份。

    **Use instead**
    按2024年的实际工作重新撰写总体情况、存在的问题及改进情况等部分。

    The text largely repeats the unit's own previous report: after masking years, numbers and names
    and setting aside the format's fixed and common sentences, the share of character 5-grams found
    last year reaches thresholds.copy-own-share.
    """

    code = "GK603"
    severity = Severity.WARNING
    cost = 2  # the copying view (shared with GK604): every sentence sketch of the batch
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
            yield self.finding(
                "repeated",
                report=report,
                line=found.first_line(report.title_line),
                evidence={
                    **found.evidence(),
                    "previous": previous.path,
                    "previous_year": previous.year,
                },
                share=f"{found.share:.0%}",
                year=previous.year,
                other=previous.path,
                **words,
            )
