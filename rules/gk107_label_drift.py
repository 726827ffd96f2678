import re
from functools import cache, lru_cache

from gkaudit.base.vocabulary import ACTIVE_HEAD, active_column_labels, row_name
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule
from gkaudit.model.facts import HeadCell
from gkaudit.model.messages import TABLE_NAMES

BLOCK_WORDS = ("信息内容",)
FEE_COLUMN = re.compile(r"收费金额")  # the fee column: its unit is the fee-unit check's
MIN_PREFIX = 3  # a cut label keeps at least this many characters (本年新)

CANONICAL_LABELS = {
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "penalty": "行政处罚",
    "enforcement": "行政强制",
    "fees": "行政事业性收费",
}


class LabelDrift(Rule):
    """主动公开情况表等表格的行名、列名与格式不符。

    **What it does**
    检查以下几类：主动公开情况表的行名，如“规范性文件”应为“行政规范性文件”；收费金额栏未注明“（单
    位：万元）”；行名乱码或简写、但按位置可以确定是哪一行的，按该行读取并在此报告原文；只有表头而没
    有行名的行，报告为“没有行名”。主动公开情况表的列名被截短（“现行有效件”应为“现行有效件数”，“本年
    新”）或加了字（“现行有效件数（历史累计）”）也报告；跨两行断开的列名（“本年制发”/“件数”）、在文本
    末尾被截断的列名（分页所致）以及与格式任何列名都不相像的文字不报告。只是提示（info）。

    **Why**
    国办公开办函〔2021〕30号（年度报告格式）：自2021年起格式写作“行政规范性文件”；收费金额不注明单
    位，读者无法分辨万元和元。

    **Example**
    ``规范性文件\\t0\\t0\\t0``；``本年收费金额``而无“（单位：万元）”；位于“1.属于国家秘密”和“3.危及“
    三安全一稳定””之间的“2.其他法律行政止公开”（乱码）。

    **Use instead**
    ``行政规范性文件\\t0\\t0\\t0``；``本年收费金额（单位：万元）``。

    Row or column labels drift from the format: 规范性文件 for 行政规范性文件, a fee column without its unit,
    garbled or missing row labels placed by position, and Table A column labels cut short or
    lengthened.
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
        "unlabelled": {
            "zh": "{table}“{row}”行没有行名，按所在位置读作“{row}”",
            "en": "{table}: the row '{row}' has no label; read as '{row}' by its place",
        },
        "column": {
            "zh": "主动公开情况表列名“{label}”应为{expected}",
            "en": "Table A column label '{label}' should read {expected}",
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
                if _only_head_words(problem.params["label"]):
                    yield self._unlabelled(report, table, problem.params["row"], problem.line)
                    continue
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
        yield from self._column_labels(report, report.facts.head_cells)
        for key, expected in CANONICAL_LABELS.items():
            row = table.rows.get(key)
            if row and row.label.split("\t")[-1] != expected:
                yield self.finding("label", line=row.line, label=row.label, expected=expected)
        for line in report.facts.lines_holding(("收费金额",)):
            if line.number >= table.line:
                if "万元" not in line.text:
                    quote = line.text.replace("\t", " ")
                    yield self.finding(
                        "fee-unit", line=line.number, evidence={"quote": quote}, quote=quote
                    )
                break

    def _unlabelled(self, report, table_name, key, line):
        table = getattr(report.tables, table_name)
        row = table.rows.get(key) if table else None
        first = row.cells[0].line if row and row.cells and row.cells[0].line else line
        return self.finding(
            "unlabelled",
            line=first,
            evidence={"row": key},
            table=TABLE_NAMES[table_name],
            row=row_name(table_name, key).as_dict(),
        )

    def _column_labels(self, report, cells: list[HeadCell]):
        known = _known_labels()
        last_line = report.lines[-1].number if report.lines else None
        normals = [_normal(cell.text) for cell in cells]
        for index, cell in enumerate(cells):
            if cell.line == last_line and index == len(cells) - 1:
                continue  # the text ends inside the label: cut by the page, not by the unit
            text = normals[index]
            if text in known or text in BLOCK_WORDS or ACTIVE_HEAD.match(text):
                continue
            if FEE_COLUMN.search(text):
                continue
            following = normals[index + 1] if index + 1 < len(cells) else ""
            preceding = normals[index - 1] if index else ""
            if _completes(preceding, text, following, known):
                continue  # a label broken over lines: 本年制发 / 件数
            expected = _expected(text, known)
            if expected:
                yield self.finding(
                    "column",
                    line=cell.line,
                    evidence={"label": cell.text},
                    label=cell.text,
                    expected=expected,
                )


SPACES = re.compile(r"\s+")
HALF_WIDTH = str.maketrans("（）：", "():")


@lru_cache(maxsize=4096)
def _normal(text: str) -> str:
    """A label compared: no spaces, half-width brackets and colons."""
    return SPACES.sub("", text).translate(HALF_WIDTH)


@cache
def _known_labels() -> tuple[str, ...]:
    """Table A's column labels, compared as ``_normal`` makes them."""
    return tuple(_normal(label) for label in active_column_labels())


def _completes(preceding: str, text: str, following: str, known: tuple[str, ...]) -> bool:
    """Whether ``text`` is one piece of a label broken over lines."""
    return any(
        label in (preceding + text, text + following, preceding + text + following)
        for label in known
    )


def _expected(text: str, known: tuple[str, ...]) -> dict[str, str] | None:
    """The form's label a cut or lengthened label stands for, quoted; None when none."""
    cut = [label for label in known if len(text) >= MIN_PREFIX and label.startswith(text)]
    longer = [label for label in known if text.startswith(label) and len(text) > len(label)]
    candidates = cut or sorted(longer, key=len)[-1:]
    if not candidates:
        return None
    zh = "或".join(f"“{label}”" for label in candidates)
    en = " or ".join(f"'{label}'" for label in candidates)
    return {"zh": zh, "en": en}


def _only_head_words(label: str) -> bool:
    """A 'label' made of the table's head alone (第二十条第 / 信息内容 / column labels)."""
    known = set(_known_labels())
    parts = [_normal(part) for part in label.split("\t") if part.strip()]
    return bool(parts) and all(
        part in known or part in BLOCK_WORDS or ACTIVE_HEAD.match(part) for part in parts
    )
