from gkaudit.base.vocabulary import REQUEST_COLUMN_NAMES
from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view, nothing_to_compare
from gkaudit.check.rule import BatchRule


class CarryOverChain(BatchRule):
    """本年“上年结转”与本单位上年度报告的“结转下年度继续办理”不一致。

    **What it does**
    一年结束时结转的申请，就是下一年开始时的上年结转：本年报告收到和处理政府信息公开申请情况表的“
    二、上年结转政府信息公开申请数量”，应与上年度报告的“四、结转下年度继续办理”逐列相等。上年度报告
    取自本批、存档或``--previous``目录，按名册（或单位名称）配对。空格不比较。

    **Why**
    国办公开办函〔2021〕30号 表三（二、上年结转 / 四、结转下年度继续办理）：两年的报告前后衔接。

    **Example**
    2023年度报告“结转下年度继续办理”总计5，2024年度报告“上年结转政府信息公开申请数量”总计3。

    **Use instead**
    2024年度报告“上年结转政府信息公开申请数量”总计5。

    This year's 上年结转 (Table B row 二) differs, column by column, from the same unit's 结转下年度 (row 四)
    of last year's report, found in the batch, the archive or the --previous folder.
    """

    code = "GK601"
    severity = Severity.WARNING
    title = {
        "zh": "上年结转与上年报告的结转下年度不一致",
        "en": "carried over ≠ last year's carried forward",
    }
    source = "国办公开办函〔2021〕30号 表三（二、上年结转 / 四、结转下年度继续办理）"
    messages = {
        "broken": {
            "zh": "依申请公开情况表“二、上年结转政府信息公开申请数量”与{year}年报告（{other}）“四、结转下年度继续办理”不一致：{cells}",
            "en": "Table B '二、上年结转政府信息公开申请数量' differs from '四、结转下年度继续办理' in the {year} report ({other}): {cells}",
        }
    }

    def check_batch(self, reports, context):
        if nothing_to_compare(reports, context):
            return
        from gkaudit.check.compare import (  # loaded only when a batch runs
            REQUEST_COLUMNS_ZH,
            carry_over_chain,
        )

        view = batch_view(reports, context)
        for report, previous in view.pairs(reports, context.history):
            if "requests" not in report.tables:
                continue
            if "requests" not in previous.tables:
                continue
            line = report.row_line("requests", "carried_over")
            if line is None:
                continue
            broken = [
                (index, forward, over)
                for index, (_, forward, over) in enumerate(carry_over_chain(previous, report))
                if forward is not None and over is not None and forward != over
            ]
            if not broken:
                continue
            cells = {
                lang: ("、" if lang == "zh" else ", ").join(
                    (
                        f"{names[i]}列{over}（上年报告{forward}）"
                        if lang == "zh"
                        else f"{names[i]} {over} (last year's report: {forward})"
                    )
                    for i, forward, over in broken
                )
                for lang, names in (
                    ("zh", REQUEST_COLUMNS_ZH),
                    ("en", [name.en for name in REQUEST_COLUMN_NAMES]),
                )
            }
            yield self.finding(
                "broken",
                report=report,
                line=line,
                section=report.section_label(3),
                evidence={
                    "previous": previous.path,
                    "previous_year": previous.year,
                    "cells": [
                        {
                            "column": REQUEST_COLUMNS_ZH[i],
                            "carried_over": over,
                            "previous_carried_forward": forward,
                        }
                        for i, forward, over in broken
                    ],
                },
                year=previous.year,
                other=previous.path,
                cells=cells,
            )
