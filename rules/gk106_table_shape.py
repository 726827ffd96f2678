from gkaudit.findings import Severity
from gkaudit.messages import TABLE_NAMES, describe
from gkaudit.rule import Rule

SHAPE_PROBLEMS = (
    "row-missing",
    "row-width",
    "unrecognised-row",
    "unlabelled-row",
    "review-count",
    "duplicate-row",
)


class TableShape(Rule):
    """Table shape wrong: a row or column missing, an empty, non-numeric or negative cell.

    Every cell of the three tables holds a non-negative whole number (the fee amount of
    Table A may be a decimal, in 万元). An empty cell, ``/`` or ``—`` is not a zero: the
    format asks for 0 where nothing happened (国办公开办函〔2021〕30号). Each row is reported
    once per kind of bad cell, naming the columns and what was found there.

    Fails: ``行政许可\\t/`` or ``规章\\t0\\t0`` (one value short).
    """

    code = "GK106"
    severity = Severity.ERROR
    title = {"zh": "表格结构或单元格错误", "en": "table shape or cell wrong"}
    source = "国办公开办函〔2021〕30号（年度报告格式）"
    advice = {
        "zh": "对照格式核对统计表的行列和每个单元格，补全缺项、改正错位的数字；没有数据的填“0”。",
        "en": "Check the table's rows, columns and cells against the format; fill gaps, fix misplaced numbers, write 0 where there is nothing.",
    }
    messages = {
        "problem": {"zh": "{text}", "en": "{text}"},
        "empty": {
            "zh": "{table}“{key}”行第{column}列为空，应填写数字（无则填0）",
            "en": "{table}: row '{key}' column {column} is empty; a number (0 for none) is required",
        },
        "not-number": {
            "zh": "{table}“{key}”行第{column}列“{raw}”不是数字",
            "en": "{table}: row '{key}' column {column} holds '{raw}', not a number",
        },
        "negative": {
            "zh": "{table}“{key}”行第{column}列为负数{value}",
            "en": "{table}: row '{key}' column {column} is negative ({value})",
        },
        "fraction": {
            "zh": "{table}“{key}”行第{column}列{value}不是整数",
            "en": "{table}: row '{key}' column {column} is not a whole number ({value})",
        },
    }

    def check(self, report, context):
        present = {table.name for table in report.tables.present()}
        for problem in report.problems:
            if problem.kind in SHAPE_PROBLEMS and problem.params.get("table", "review") in present:
                text = {"zh": describe(problem, "zh"), "en": describe(problem, "en")}
                yield self.finding("problem", line=problem.line, text=text)
        for table in report.tables.present():
            for row in table.rows.values():
                yield from self._row(table.name, row)

    def _row(self, table, row):
        """One finding per row and kind of bad cell, naming its columns."""
        bad: dict[str, list[tuple[int, object]]] = {}
        for column, cell in enumerate(row.cells, start=1):
            kind = _cell_kind(cell, row.key)
            if kind:
                bad.setdefault(kind, []).append((column, cell))
        for kind, cells in bad.items():
            first = cells[0][1]
            params = {
                "table": TABLE_NAMES[table],
                "key": row.key,
                "column": "、".join(str(column) for column, _ in cells),
                "raw": first.raw,
                "value": "、".join(str(cell.value) for _, cell in cells),
            }
            evidence = {
                "columns": [column for column, _ in cells],
                "raw": [cell.raw for _, cell in cells],
            }
            yield self.finding(kind, line=first.line, evidence=evidence, params=params)


def _cell_kind(cell, key):
    if cell.value is None:
        return "not-number" if cell.raw.strip() else "empty"
    if cell.value < 0:
        return "negative"
    if isinstance(cell.value, float) and key != "fees":
        return "fraction"
    return None
