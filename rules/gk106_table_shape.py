from gkaudit.base.vocabulary import column_name, row_name
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule
from gkaudit.model.messages import TABLE_NAMES, describe, listing

SHAPE_PROBLEMS = ("row-missing", "row-width", "duplicate-row")


class TableShape(Rule):
    """Table shape wrong: a row missing, a row with too few or too many values, a repeated
    row, an empty, non-numeric or negative cell.

    Every cell of the three tables holds a non-negative whole number (the fee amount of
    Table A may be a decimal, in 万元). An empty cell, ``/`` or ``—`` is not a zero: the
    format asks for 0 where nothing happened (国办公开办函〔2021〕30号). Rows and columns are
    named as the form prints them; a pattern is one finding (the five 法人或其他组织 columns
    left blank in every row of Table B is one finding, not 25), otherwise each row is reported
    once per kind of bad cell. A table gkaudit cannot read as a whole is GK104's; of its rows
    that were read, only cells left empty beside a number of the same row are reported here,
    as a warning (the rest of the table is unseen).

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
