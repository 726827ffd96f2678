from gkaudit.check.findings import Severity
from gkaudit.check.roster import nothing_to_compare
from gkaudit.check.rule import BatchRule


class SharedText(BatchRule):
    """正文与同年度另一单位的报告大量相同。

    **What it does**
    与本批和存档中同年度的报告比较。年份、日期、数字和各单位名称先遮蔽，格式规定的固定语句和多数单位
    共有的句子（如一个县通用的模板段落）先剔除。用MinHash LSH在剩余文字中找出候选配对；对每一对计算
    本报告自身文字（按5字片段）见于对方的比例，达到``thresholds.copy-other-share``（默认0.5）时报
    告，给出各部分的比例、最长的相同段落及其在两份报告中的行号。每份报告最多与签名最接近的20份报告比
    较（即使一批中有上千份近似副本，计算量也有上限）。

    **Why**
    国办公开办函〔2021〕30号（明确责任：内容雷同）：各单位应如实报告本单位工作，不得相互抄袭。

    **Example**
    乙乡的报告由甲乡的报告替换单位名称而成。

    **Use instead**
    乙乡按本乡的实际工作撰写报告。

    The text is largely the same as another unit's report of the same year, from the batch or the
    archive: MinHash LSH pairs, at most 20 candidates per report, reported at thresholds.copy-other-
    share.
    """

    code = "GK604"
    severity = Severity.WARNING
    cost = 2  # the copying view (shared with GK603): every sentence sketch of the batch
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
            yield self.finding(
                "shared",
                report=report,
                line=found.first_line(report.title_line),
                evidence={
                    **found.evidence(),
                    "other": theirs.path,
                    "other_unit": theirs.unit,
                },
                share=f"{found.share:.0%}",
                unit=theirs.unit or theirs.path,
                year=theirs.year,
                other=theirs.path,
                **describe_overlap(found),
            )
