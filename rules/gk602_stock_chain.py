from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view, nothing_to_compare
from gkaudit.check.rule import BatchRule


class StockChain(BatchRule):
    """现行有效件数 does not follow from last year's stock, made and repealed.

    Table A, 规章 and 行政规范性文件: this year's 现行有效件数 should be last year's 现行有效件数
    plus this year's 本年制发件数 minus 本年废止件数. A document can also lapse without being
    repealed (失效), so this is a warning: the report should explain the difference.

    Fails: 2023 现行有效 10; 2024 本年制发 2, 本年废止 1, 现行有效 8 (10 + 2 − 1 = 11).
    """

    code = "GK602"
    severity = Severity.WARNING
    title = {
        "zh": "现行有效件数与上年不衔接",
        "en": "stock in force does not follow from last year",
    }
    source = "国办公开办函〔2021〕30号 表二（第二十条第（一）项：本年制发、本年废止、现行有效）"
    messages = {
        "broken": {
            "zh": "主动公开情况表“{row}”现行有效件数为{stated}，但{year}年报告（{other}）现行有效{previous}+本年制发{made}−本年废止{repealed}={expected}",
            "en": "Table A '{row}': 现行有效件数 (in force) is {stated}, but the {year} report ({other}) had {previous} in force, + {made} made − {repealed} repealed = {expected}",
        }
    }

    def check_batch(self, reports, context):
        if nothing_to_compare(reports, context):
            return
        from gkaudit.check.compare import (
            stock_chain,  # loaded only when a batch runs
        )

        view = batch_view(reports, context)
        for report, previous in view.pairs(reports, context.history):
            if "active" not in report.tables or "active" not in previous.tables:
                continue
            for chain in stock_chain(previous, report):
                if chain["expected"] is None or chain["stated"] is None:
                    continue
                if chain["expected"] == chain["stated"]:
                    continue
                yield self.finding(
                    "broken",
                    report=report,
                    line=report.row_line("active", chain["key"]),
                    section=report.section_label(2),
                    evidence={
                        **chain,
                        "previous_report": previous.path,
                        "previous_year": previous.year,
                    },
                    year=previous.year,
                    other=previous.path,
                    **{
                        k: chain[k]
                        for k in ("row", "stated", "previous", "made", "repealed", "expected")
                    },
                )
