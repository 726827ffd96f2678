from gkaudit.findings import Severity
from gkaudit.messages import TABLE_NAMES
from gkaudit.rule import Rule
from gkaudit.vocabulary import row_name

CANONICAL_LABELS = {
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "penalty": "行政处罚",
    "enforcement": "行政强制",
    "fees": "行政事业性收费",
}


class LabelDrift(Rule):
    """Row or column labels of Table A drift from the format.

    Since 2021 the format says 行政规范性文件 (not 规范性文件), and the fee column is
    本年收费金额（单位：万元）: without the unit, readers cannot tell 万元 from 元.

    A row whose label is garbled or abbreviated but whose place in the form is certain is
    read as that row and reported here, with the label as written.

    Procedural, not a PatternRule: it compares the labels of the rows the parser placed in
    the form (and the parser's own notes on labels it placed by position) with the form's
    words, which no line pattern can know; only the fee-unit check reads a line.

    Fails: ``规范性文件\\t0\\t0\\t0``; ``本年收费金额`` with no ``（单位：万元）``;
    ``2.其他法律行政止公开`` (garbled) between 1.属于国家秘密 and 3.危及“三安全一稳定”.
    """

    code = "GK107"
    severity = Severity.INFO
    title = {"zh": "表格行列名称与格式不符", "en": "row or column label drift"}
    source = "国办公开办函〔2021〕30号（年度报告格式）"
    advice = {
        "zh": "将表格行名、列名改为格式规定的原文。",
        "en": "Use the format's exact row and column labels.",
    }
    messages = {
        "label": {
            "zh": "主动公开情况表行名“{label}”应为“{expected}”",
            "en": "Table A row label '{label}' should read '{expected}'",
        },
        "garbled": {
            "zh": "{table}行名“{label}”与格式不符，按所在位置读作“{row}”",
            "en": "{table}: row label '{label}' differs from the format; read as '{row}' by its "
            "place",
        },
        "fee-unit": {
            "zh": "收费金额栏未注明单位“万元”：“{quote}”",
            "en": "the fee column does not state its unit (万元): '{quote}'",
        },
    }

    def check(self, report, context):
        for problem in report.problems:
            if problem.kind == "placed-by-position" and problem.params.get("label"):
                table = problem.params["table"]
                yield self.finding(
                    "garbled",
                    line=problem.line,
                    evidence={"label": problem.params["label"]},
                    table=TABLE_NAMES[table],
                    label=problem.params["label"].replace("\t", " "),
                    row=row_name(table, problem.params["row"]).as_dict(),
                )
        table = report.tables.active
        if table is None:
            return
        for key, expected in CANONICAL_LABELS.items():
            row = table.rows.get(key)
            if row and row.label.split("\t")[-1] != expected:
                yield self.finding("label", line=row.line, label=row.label, expected=expected)
        for line in report.lines:
            if line.number >= table.line and "收费金额" in line.text:
                if "万元" not in line.text:
                    quote = line.text.replace("\t", " ")
                    yield self.finding(
                        "fee-unit", line=line.number, evidence={"quote": quote}, quote=quote
                    )
                break
