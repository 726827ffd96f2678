from gkaudit.check.findings import Severity
from gkaudit.check.rule import Option, Rule

ROW_NAMES = {"regulations": "规章", "normative_documents": "行政规范性文件"}


class ActivePlausibility(Rule):
    """主动公开政府信息情况表中不可能同时成立的数字。

    **What it does**
    对主动公开情况表检查两件事。其一，“规章”和“行政规范性文件”两行：本年制发件数大于现行有效件数与本
    年废止件数之和（本年制发的文件要么仍现行有效，要么已废止）；该行有空格的不判断。其二，“行政事业
    性收费”的本年收费金额以万元计：乡镇（街道）或县级部门的金额超过上限（配置项``fee-max-wan-yuan`
    `，默认乡镇1000万元、部门50000万元），多半是按“元”误填；县级人民政府默认不设上限。均为警告。

    **Why**
    国办公开办函〔2021〕30号 表二规定了本年制发件数、本年废止件数、现行有效件数三栏，以及以万元为单
    位的收费金额栏。

    **Example**
    ``行政规范性文件\\t5\\t0\\t3``（本年制发5件，多于现行有效3件与本年废止0件之和）；乡镇的行政事业
    性收费填``35000``。

    **Use instead**
    ``行政规范性文件\\t5\\t2\\t3``；乡镇收费35000元填作``3.5``（万元）。

    Table A figures that cannot both be right: 本年制发件数 above 现行有效件数 plus 本年废止件数, or a township or
    department fee amount above the option fee-max-wan-yuan, most likely written in yuan.
    """

    code = "GK306"
    severity = Severity.WARNING
    title = {"zh": "主动公开情况表数据不合理", "en": "implausible Table A figures"}
    source = "国办公开办函〔2021〕30号 表二"
    advice = {
        "zh": "核对主动公开情况表的件数和金额，改正明显不合理的数字。",
        "en": "Check Table A's counts and amounts and correct implausible figures.",
    }
    options = {
        "fee-max-wan-yuan": Option(
            {"township": 1000, "department": 50000},
            {
                "type": "object",
                "propertyNames": {"enum": ["township", "department", "county"]},
                "additionalProperties": {"type": "number", "exclusiveMinimum": 0},
            },
            {
                "zh": "各类单位收费金额的上限（万元），超过疑为按“元”误填",
                "en": "per unit type, the fee (万元) above which it looks written in yuan",
            },
        )
    }
    messages = {
        "made": {
            "zh": "“{row}”本年制发{made}件，多于现行有效{in_force}件与本年废止{repealed}件之和",
            "en": "'{row}': {made} made this year, more than {in_force} in force plus {repealed} repealed",
        },
        "fees": {
            "zh": "行政事业性收费金额{value}万元明显过大，可能误以“元”为单位填写",
            "en": "fee amount {value} (万元) is implausibly large; it was probably written in yuan",
        },
    }

    def check(self, report, context):
        table = report.tables.active
        if table is None:
            return
        for key, name in ROW_NAMES.items():
            row = table.rows.get(key)
            if row is None or None in row.values:
                continue
            made, repealed, in_force = row.values
            if made > in_force + repealed:
                yield self.finding(
                    "made",
                    line=row.line,
                    evidence={
                        "reported": made,
                        "computed": in_force + repealed,
                        "parts": {"in_force": in_force, "repealed": repealed},
                    },
                    row=name,
                    made=made,
                    in_force=in_force,
                    repealed=repealed,
                )
        limit = self.option(context, "fee-max-wan-yuan").get(context.unit_type)
        fees = table.rows.get("fees")
        if limit is not None and fees and fees.values[0] is not None and fees.values[0] > limit:
            yield self.finding(
                "fees",
                line=fees.line,
                evidence={"value": fees.values[0], "threshold": limit},
                value=fees.values[0],
            )
