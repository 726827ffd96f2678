from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view, nothing_to_compare
from gkaudit.check.rule import BatchRule


class StockChain(BatchRule):
    """“现行有效件数”与上年现行有效、本年制发、本年废止推算不符。

    **What it does**
    主动公开情况表“规章”和“行政规范性文件”两行：本年现行有效件数应等于上年度报告的现行有效件数，加本
    年制发件数，减本年废止件数。文件也可能未经废止而失效，所以只是警告：报告应说明差异。

    **Why**
    国办公开办函〔2021〕30号 表二（第二十条第（一）项：本年制发、本年废止、现行有效）。

    **Example**
    2023年现行有效10件；2024年本年制发2件、本年废止1件、现行有效8件（10＋2－1＝11）。

    **Use instead**
    2024年现行有效11件；或现行有效8件，并在报告中说明另有3件失效。

    现行有效件数 of 规章 and 行政规范性文件 does not equal last year's stock plus this year's made minus repealed;
    a warning, as documents can also lapse.
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
