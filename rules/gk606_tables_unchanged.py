from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view, nothing_to_compare
from gkaudit.check.rule import BatchRule


class TablesUnchanged(BatchRule):
    """All three tables repeat last year's report figure for figure, and are not all zero.

    A year of disclosure work rarely produces exactly last year's counts in every cell of all
    three tables; the press has reported units publishing the same data three years running.
    Compared only when both reports have all three tables; reports with nothing but zeros are
    left alone (a unit with no activity legitimately repeats zeros).

    Fails: a 2024 report whose Tables A, B and C equal its 2023 report's, with 行政处罚 5.
    """

    code = "GK606"
    severity = Severity.WARNING
    title = {"zh": "统计表数据与上年完全相同", "en": "all tables identical to last year's"}
    source = "国办公开办函〔2021〕30号（明确责任：内容雷同）"
    messages = {
        "same": {
            "zh": "三张统计表的全部{cells}个数据与{year}年报告（{other}）完全相同，且并非全为0",
            "en": "all {cells} figures of the three tables equal those of the {year} report ({other}), and are not all zero",
        }
    }

    def check_batch(self, reports, context):
        if nothing_to_compare(reports, context):
            return
        from gkaudit.check.compare import (
            table_cells,  # loaded only when a batch runs
        )

        view = batch_view(reports, context)
        for report, previous in view.pairs(reports, context.history):
            if len(report.tables) < 3 or len(previous.tables) < 3:
                continue
            now = {k: value for k, (value, _) in table_cells(report).items()}
            before = {k: value for k, (value, _) in table_cells(previous).items()}
            values = [v for v in now.values() if v is not None]
            if now != before or not values or not any(values):
                continue
            yield self.finding(
                "same",
                report=report,
                line=report.first_table_line,
                evidence={
                    "previous": previous.path,
                    "previous_year": previous.year,
                    "cells": len(now),
                },
                cells=len(now),
                year=previous.year,
                other=previous.path,
            )
