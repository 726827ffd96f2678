from gkaudit.base.vocabulary import column_name, row_name
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule
from gkaudit.model.messages import TABLE_NAMES, describe, listing

SHAPE_PROBLEMS = ("row-missing", "row-width", "duplicate-row")


class TableShape(Rule):
    """统计表结构或单元格错误：缺行、数值个数不对、行重复，单元格为空、不是数字或为负数。

    **What it does**
    三张统计表的每个单元格都应是非负整数（主动公开情况表的收费金额以万元计，可为小数）。空格、“/”“—”
    不等于0。按格式印出的名称指明行和列；同一模式只报告一次（收到和处理政府信息公开申请情况表中“法人
    或其他组织”的五列在每一行都为空，报告一次而不是25次），其余按行、按错误种类各报告一次。整表无法
    读取的由GK104报告；对部分读取的表格，只报告已读出数字的行中的空格，且为警告（表格其余部分未读
    到）。

    **Why**
    国办公开办函〔2021〕30号（年度报告格式）：没有发生的事项应填“0”。

    **Example**
    ``行政许可\\t/``；或 ``规章\\t0\\t0``（少一个数值）。

    **Use instead**
    ``行政许可\\t0``；``规章\\t0\\t0\\t0``：每一栏都填数字，没有的填“0”。

    Table shape or cell wrong: a missing, short, long or repeated row; an empty, non-numeric,
    negative or fractional cell. A pattern is one finding; of a table read only in part, only empty
    cells beside a number are reported, as warnings.
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
            "zh": "{table}“{row}”行{columns}为空，应填写数字（无则填0）",
            "en": "{table}: row '{row}', {columns} empty; a number (0 for none) is required",
        },
        "empty-columns": {
            "zh": "{table}{columns}在全部{count}行均为空，应填写数字（无则填0）",
            "en": "{table}: {columns} empty in all {count} rows; numbers (0 for none) are required",
        },
        "not-number": {
            "zh": "{table}“{row}”行{columns}填写“{raw}”，不是数字",
            "en": "{table}: row '{row}', {columns} holds '{raw}', not a number",
        },
        "negative": {
            "zh": "{table}“{row}”行{columns}为负数{value}",
            "en": "{table}: row '{row}', {columns} is negative ({value})",
        },
        "fraction": {
            "zh": "{table}“{row}”行{columns}为{value}，不是整数",
            "en": "{table}: row '{row}', {columns} is not a whole number ({value})",
        },
    }

    def check(self, report, context):
        readable = {t.name for t in report.tables.present() if not t.unreadable}
        for problem in report.problems:
            if problem.kind in SHAPE_PROBLEMS and problem.params.get("table") in readable:
                text = {"zh": describe(problem, "zh"), "en": describe(problem, "en")}
                yield self.finding("problem", line=problem.line, text=text)
        for table in report.tables.present():
            if table.name in readable:
                yield from self._cells(table)
            else:
                yield from self._cells(table, partly_read=True)

    def _cells(self, table, partly_read=False):
        """The bad cells of a table; of a table read only in part, the empty cells of rows
        that hold a number, at warning."""
        bad = _bad_cells(table, partly_read)
        if not bad:
            return
        severity = Severity.WARNING if partly_read else None
        whole = _empty_in_every_row(table, bad)
        if whole:
            first = min(table.rows[key].line for key in table.rows)
            yield self.finding(
                "empty-columns",
                line=first,
                severity=severity,
                evidence={"columns": [column + 1 for column in whole]},
                table=TABLE_NAMES[table.name],
                columns=_columns(table, next(iter(table.rows)), whole),
                count=len(table.rows),
            )
        for key, row in table.rows.items():
            by_kind: dict[str, list[int]] = {}
            for column in range(len(row.cells)):
                found = bad.get((key, column))
                if found and not (found[0] == "empty" and column in whole):
                    by_kind.setdefault(found[0], []).append(column)
            for kind, columns in by_kind.items():
                cells = [row.cells[column] for column in columns]
                yield self.finding(
                    kind,
                    line=cells[0].line,
                    severity=severity,
                    evidence={"columns": [c + 1 for c in columns], "raw": [c.raw for c in cells]},
                    table=TABLE_NAMES[table.name],
                    row=row_name(table.name, key, table.template).as_dict(),
                    columns=_columns(table, key, columns),
                    raw=cells[0].raw,
                    value="、".join(str(cell.value) for cell in cells),
                )


def _bad_cells(table, partly_read):
    """{(row key, column): (kind, cell)} of the cells ``_cell_kind`` objects to; of a table
    read only in part, the empty cells of rows that hold a number."""
    bad = {}
    for key, row in table.rows.items():
        if partly_read and all(cell.value is None for cell in row.cells):
            continue
        for column, cell in enumerate(row.cells):
            if type(cell.value) is int and cell.value >= 0:
                continue  # the common case, a count
            kind = _cell_kind(cell, key)
            if kind and (not partly_read or kind == "empty"):
                bad[(key, column)] = (kind, cell)
    return bad


def _empty_in_every_row(table, bad) -> list[int]:
    """Columns of Table B left empty in every row read (a pattern, reported once)."""
    if table.name != "requests" or len(table.rows) < 2:
        return []
    width = min(len(row.cells) for row in table.rows.values())
    return [
        column
        for column in range(width)
        if all(bad.get((key, column), ("",))[0] == "empty" for key in table.rows)
    ]


def _columns(table, key, columns) -> dict[str, str]:
    names = [column_name(table.name, key, c, table.template).as_dict() for c in columns]
    quoted = listing([{lang: f"“{name[lang]}”" if lang == "zh" else f"'{name[lang]}'"
                       for lang in name} for name in names])  # fmt: skip
    return {"zh": f"{quoted['zh']}列", "en": f"column{'s' if len(names) > 1 else ''} "
            f"{quoted['en']}"}  # fmt: skip


def _cell_kind(cell, key):
    if cell.value is None:
        return "not-number" if cell.raw.strip() else "empty"
    if cell.value < 0:
        return "negative"
    if isinstance(cell.value, float) and key != "fees":
        return "fraction"
    return None
