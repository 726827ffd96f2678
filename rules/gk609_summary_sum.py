from gkaudit.check.findings import Severity
from gkaudit.check.roster import batch_view
from gkaudit.check.rule import BatchRule

TOLERANCE = 0.005  # 万元 amounts are decimals: half of the last printed digit


class SummarySum(BatchRule):
    """汇总报告的数字与其下属单位报告之和不一致。

    **What it does**
    只在名册注明时检查（上级单位“汇总”为“是”，各下属单位的“上级”为该单位）：上级报告三张统计表的每一
    个单元格，应等于同年度各下属单位报告同一单元格之和（警告）。任何一份报告中为空的单元格不比较。有
    下属单位的报告缺失时无法核对合计，改为给出提示，列出缺失的单位。

    **Why**
    县政务公开办名册（汇总报告）：汇总报告的数字由下属单位的数字汇总而成。

    **Example**
    县教育局汇总报告行政处罚10件，其两所学校分别报告3件和4件。

    **Use instead**
    县教育局汇总报告行政处罚7件，或核对学校报告中的数字。

    A summary (汇总) report's table cells differ from the sum of its units' reports, where the roster
    says so; while some units' reports are missing, an info finding names them instead.
    """

    code = "GK609"
    severity = Severity.WARNING
    title = {
        "zh": "汇总报告数据与所属单位报告之和不符",
        "en": "summary report ≠ sum of its units' reports",
    }
    source = "县政务公开办名册（汇总报告）"
    messages = {
        "differs": {
            "zh": "汇总报告有{count}处数据与所属{units}个单位报告之和不符：{cells}",
            "en": "{count} figures of this summary report differ from the sum of its {units} units' reports: {cells}",
        },
        "incomplete": {
            "zh": "汇总报告无法核对：所属单位{missing}没有{year}年报告",
            "en": "summary report cannot be checked: no {year} report of {missing}",
        },
    }

    def check_batch(self, reports, context):
        roster = context.roster
        if roster is None:
            return  # only the roster says which report is a 汇总 of which units
        from gkaudit.check.compare import (  # loaded only when a batch runs
            TABLE_TITLES,
            cell_name,
            table_cells,
        )

        view = batch_view(reports, context)
        for (unit, year), group in sorted(view.by_unit_year.items()):
            entry = roster.get(unit)
            if entry is None or not entry.summary:
                continue
            parent = group[0]
            children = roster.children(unit)
            missing = [c.name for c in children if (c.name, year) not in view.by_unit_year]
            if missing:
                yield self.finding(
                    "incomplete", report=parent, line=parent.title_line, severity=Severity.INFO,
                    evidence={"missing": missing, "year": year},
                    missing={"zh": "、".join(missing), "en": ", ".join(missing)}, year=year,
                )  # fmt: skip
                continue
            parts = [table_cells(view.by_unit_year[(c.name, year)][0]) for c in children]
            differing = []
            for position, (value, line) in table_cells(parent).items():
                values = [part.get(position, (None, None))[0] for part in parts]
                if value is None or None in values:
                    continue
                total = sum(values)
                if abs(value - total) > TOLERANCE:
                    row, column = cell_name(*position)
                    differing.append(
                        {"table": TABLE_TITLES[position[0]], "row": row, "column": column,
                         "reported": value, "sum": round(total, 4), "line": line}
                    )  # fmt: skip
            if not differing:
                continue
            shown = differing[:5]
            more = len(differing) - len(shown)
            cells = {
                "zh": "；".join(
                    f"{d['row']}“{d['column']}”{d['reported']}≠{d['sum']}" for d in shown
                )
                + (f"；另有{more}处" if more else ""),
                "en": "; ".join(
                    f"{d['row']} '{d['column']}' {d['reported']} != {d['sum']}" for d in shown
                )
                + (f"; {more} more" if more else ""),
            }
            yield self.finding(
                "differs", report=parent, line=differing[0]["line"],
                evidence={"cells": differing, "units": [c.name for c in children]},
                count=len(differing), units=len(children), cells=cells,
            )  # fmt: skip
