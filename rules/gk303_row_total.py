"""GK303: Table B, identity 3 (each row's 总计 = its applicant columns), as data on
IdentityRule, with the 8-column table's 法人或其他组织 subtotal."""

from collections.abc import Iterator

from gkaudit.base.vocabulary import TABLE_NAMES, column_name, row_name
from gkaudit.check.families import IdentityRule, Term, _terms
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Context, Result
from gkaudit.model.report import REQUEST_KEYS, Report


class RowTotal(IdentityRule):
    """依申请公开情况表：每行的总计等于自然人与五类法人或其他组织之和；法人或其他组织小计等于五类之和。

    **What it does**
    在“收到和处理政府信息公开申请情况”表的25行逐行核对：自然人＋商业企业＋科研机构＋社会公益组织＋
    法律服务机构＋其他 = 总计。表格有第8列（法人或其他组织小计）时，小计须等于五类组织之和。

    **Why**
    表头把申请人分为自然人和法人或其他组织（五类），总计为各类之和（国办公开办函〔2021〕30号 表三）。

    **Example**
    一、本年新收：自然人2，商业企业1，其余0，总计2（2+1≠2）。

    **Use instead**
    总计3。

    Table B, identity 3: each row's total equals the natural persons plus the five
    organisation columns; an eighth column (the organisations' subtotal) equals the five.
    """

    code = "GK303"
    severity = Severity.ERROR
    title = {"zh": "行总计与申请人各列之和不符", "en": "row total ≠ sum of applicant columns"}
    source = "国办公开办函〔2021〕30号 表三（申请人情况）"
    advice = {
        "zh": "核对该行数字，使总计等于自然人与法人或其他组织各列之和。",
        "en": "Correct the row so that its total equals the sum of the applicant columns.",
    }
    messages = {
        "broken": {
            "zh": "{table}{place}：总计为{right}，自然人与法人或其他组织各列之和为{left}：{left_terms}",
            "en": "{table}, {place}: total is {right}, the applicant columns add up to {left}: "
            "{left_terms}",
        },
        "subtotal": {
            "zh": "{table}“{row}”行：法人或其他组织小计为{reported}，五类组织之和为{computed}：{terms}",
            "en": "{table}, row '{row}': the organisations' subtotal is {reported}, the five add "
            "up to {computed}: {terms}",
        },
    }
    table = "requests"
    axis = "columns"
    rows = REQUEST_KEYS
    left = (0, 1, 2, 3, 4, 5)
    right = (6,)

    def check(self, report: Report, context: Context) -> Iterator[Result]:
        yield from super().check(report, context)
        table = report.tables.requests
        if table is None or not table.subtotals:
            return  # no eighth column: no subtotal to check
        for key in REQUEST_KEYS:
            row, subtotal = table.rows.get(key), table.subtotals.get(key)
            if row is None or subtotal is None or subtotal.value is None:
                continue
            organisations = row.values[1:6]
            if any(value is None for value in organisations):
                continue
            computed = sum(value for value in organisations if value is not None)
            if subtotal.value == computed:
                continue
            terms = [
                Term(column_name("requests", key, index), value)
                for index, value in enumerate(organisations, start=1)
                if value is not None
            ]
            yield self.finding(
                "subtotal",
                line=subtotal.line,
                evidence={
                    "row": key,
                    "reported": subtotal.value,
                    "computed": computed,
                    "parts": organisations,
                },
                table=TABLE_NAMES["requests"].as_dict(),
                row=row_name("requests", key, report.template).as_dict(),
                reported=subtotal.value,
                computed=computed,
                terms=_terms(terms),
            )
