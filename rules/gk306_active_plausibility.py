from gkaudit.check.findings import Severity
from gkaudit.check.rule import Option, Rule

ROW_NAMES = {"regulations": "规章", "normative_documents": "行政规范性文件"}


class ActivePlausibility(Rule):
    """Table A figures that cannot both be right.

    * 本年制发件数 greater than 现行有效件数 + 本年废止件数: a document made this year is
      either still in force or was repealed, so the made count cannot exceed their sum.
    * 本年收费金额 is in 万元. A township or department figure above the threshold
      (option ``fee-max-wan-yuan``; defaults: township 1,000, department 50,000) was most
      likely written in 元.

    Fails: ``行政规范性文件\\t5\\t0\\t3``; a township's 行政事业性收费 ``35000``.
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
