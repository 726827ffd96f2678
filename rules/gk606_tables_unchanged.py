from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view, nothing_to_compare
from gkaudit.check.rule import BatchRule


class TablesUnchanged(BatchRule):
    """三张统计表与上年度报告逐项完全相同，且不全为0。

    **What it does**
    只在两份报告都有三张统计表时比较：主动公开情况表、收到和处理政府信息公开申请情况表、行政复议和行
    政诉讼情况表的每一个单元格都与上年度报告相同时报告（警告）。全部为0的报告不报告（没有业务的单位
    重复0是正常的）。

    **Why**
    国办公开办函〔2021〕30号（明确责任：内容雷同）：一年的工作几乎不可能在三张表的每一格都与上年相
    同；媒体曾报道有单位连续三年公布同样的数据。

    **Example**
    2024年度报告三张表与2023年度报告完全相同，其中行政处罚均为5。

    **Use instead**
    按2024年的实际数据填写三张统计表。

    All three tables repeat last year's report figure for figure and are not all zero; compared only
    when both reports have all three tables.
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
