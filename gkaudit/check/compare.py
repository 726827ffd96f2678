"""Year on year, for people: ``gkaudit compare OLD NEW``.

The three tables side by side with changed cells marked, the carry-over chain (last year's
结转下年度 → this year's 上年结转) and the stock chain of Table A (last year's 现行有效 + 本年制发
− 本年废止 → this year's 现行有效), and the new report's text with the passages repeated from the
old one marked. Text for the terminal, HTML for a browser. Rows and columns are named as the
national form prints them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from gkaudit.base.vocabulary import REQUEST_COLUMN_NAMES, column_name, row_name
from gkaudit.check.copying import TextDigest, common_sentences, contained, digest_lines, prepare
from gkaudit.check.digest import Figures, ReportDigest, report_digest
from gkaudit.check.roster import infer_binding, own_names
from gkaudit.model.report import Number, Report

REQUEST_COLUMNS_ZH = tuple(name.zh for name in REQUEST_COLUMN_NAMES)


@dataclass(frozen=True)
class CellPair:
    table: str  # "active", "requests", "review"
    row: str  # the row as the form prints it
    column: str
    old: Number | None
    new: Number | None
    line: int | None  # in the new report

    @property
    def changed(self) -> bool:
        return self.old != self.new


def digested(report: Report | ReportDigest) -> ReportDigest:
    """A parsed report's digest (what the comparison reads); a digest as it is."""
    return report if isinstance(report, ReportDigest) else report_digest(report)


def cell_name(table: str, key: str, index: int) -> tuple[str, str]:
    """(row, column) of a cell as the national form prints them (gkaudit.base.vocabulary)."""
    return row_name(table, key).zh, column_name(table, key, index).zh


def table_cells(report: ReportDigest) -> dict[tuple[str, str, int], tuple[Number | None, int]]:
    """Every cell of the three tables: (table, key, column) → (value, line)."""
    return report.cells


def pair_cells(old: Tabled, new: Tabled) -> list[CellPair]:
    old_cells, new_cells = old.cells, new.cells
    pairs = []
    for position in [*new_cells, *(k for k in old_cells if k not in new_cells)]:
        table, key, index = position
        try:
            row, column = cell_name(table, key, index)
        except (KeyError, IndexError):
            continue  # an extra column the form does not print
        old_value = old_cells.get(position, (None, None))[0]
        new_value, line = new_cells.get(position, (None, None))
        pairs.append(CellPair(table, row, column, old_value, new_value, line))
    return pairs


def carry_over_chain(old: Tabled, new: Tabled) -> list[tuple[str, Number | None, Number | None]]:
    """(column, last year's 结转下年度, this year's 上年结转) for each column of Table B."""
    forward = old.values("requests", "carried_forward")
    over = new.values("requests", "carried_over")
    return [
        (name, forward[i] if forward and i < len(forward) else None,
         over[i] if over and i < len(over) else None)
        for i, name in enumerate(REQUEST_COLUMNS_ZH)
    ]  # fmt: skip


def stock_chain(old: Tabled, new: Tabled) -> list[dict]:
    """For 规章 and 行政规范性文件: last year's stock, this year's made and repealed, the stock
    that follows, and the stock this year's report states."""
    chains = []
    for key in ("regulations", "normative_documents"):
        before = old.values("active", key)
        now = new.values("active", key)
        if not before or not now or len(before) < 3 or len(now) < 3:
            continue
        expected = stock_expected(before[2], now[0], now[1])
        chains.append(
            {"row": row_name("active", key).zh, "key": key, "previous": before[2], "made": now[0],
             "repealed": now[1], "expected": expected, "stated": now[2]}
        )  # fmt: skip
    return chains


def stock_expected(
    previous: Number | None, made: Number | None, repealed: Number | None
) -> Number | None:
    if previous is None or made is None or repealed is None:
        return None
    return previous + made - repealed


def marked_lines(
    old: TextDigest, new: TextDigest, prose: dict[int, str]
) -> tuple[list[tuple[int, str, bool]], float]:
    """The new report's prose lines (``prose``: the lines as written), each marked when a
    sentence of it repeats the old report (after masking), and the share of the new report's
    own text found in the old one (the two reports alone: no sentence is common)."""
    common = common_sentences([old, new], 1.0)
    old_masked = {sentence.masked for sentence in old.sentences}
    repeated = {s.line for s in new.sentences if s.masked in old_masked}
    prepare(old, common)
    prepare(new, common)
    share = contained(new.own, old.own)
    with_text = {sentence.line for sentence in new.sentences}
    lines = [(n, text, n in repeated) for n, text in prose.items() if n in with_text]
    return lines, share


@dataclass(frozen=True)
class Side:
    """One of the two reports as the comparison shows it: who, which year, its figures."""

    path: str | None
    unit: str | None
    year: int | None
    figures: Figures

    @property
    def cells(self) -> dict[tuple[str, str, int], tuple[Number | None, int]]:
        return self.figures.cells

    def values(self, table: str, key: str) -> list[Number | None] | None:
        return self.figures.values(table, key)


Tabled = ReportDigest | Side  # anything with the tables' ``cells`` and ``values``


@dataclass(eq=False)
class YearOnYear:
    """A unit's report and its previous one, as the comparison shows them: both reports'
    figures and the new report's prose lines with the repeated ones marked — nothing else."""

    old: Side
    new: Side
    lines: list[tuple[int, str, bool]]  # (line, text as written, repeated)
    share: float  # of the new report's own text found in the old one


def year_on_year_of(
    old: ReportDigest,
    new: ReportDigest,
    old_text: TextDigest | None = None,
    new_text: TextDigest | None = None,
) -> YearOnYear:
    """The comparison of two reports. Their masked texts default to each masked with its own
    names as written (``gkaudit compare``); a scan passes the ones it masked with the roster."""
    if old_text is None:
        old_text = digest_lines(old, own_names(old, infer_binding(old), None), None)
    if new_text is None:
        new_text = digest_lines(new, own_names(new, infer_binding(new), None), None)
    lines, share = marked_lines(old_text, new_text, new.prose)
    return YearOnYear(_side(old), _side(new), lines, share)


def _side(report: ReportDigest) -> Side:
    return Side(report.path, report.unit, report.year, report.figures)


def year_on_year(reports: list[ReportDigest], roster: Any, history: Any) -> dict[str, YearOnYear]:
    """By path: each report of the batch compared with the same unit's previous report (from
    the batch, --previous or the archive), made from the texts the batch rules masked."""
    from gkaudit.check.copying import text_of
    from gkaudit.check.roster import batch_pairs

    pairs = {}
    for report, previous in batch_pairs(reports, roster, history):
        old_text, new_text = text_of(previous, roster), text_of(report, roster)
        pairs[report.path or ""] = year_on_year_of(previous, report, old_text, new_text)
    return pairs


# --- rendering ------------------------------------------------------------------------------

WORDS = {
    "zh": {"tables": "统计表对照", "table": "表", "row": "行", "column": "列", "old": "上年",
           "new": "本年", "changed": "有变化", "carry": "结转链条（上年“结转下年度继续办理” → 本年“上年结转政府信息公开申请数量”）",
           "stock": "现行有效件数链条（上年现行有效 + 本年制发 − 本年废止 → 本年现行有效）",
           "text": "正文（标记处与上年报告重复，已屏蔽年份、数字和单位名称）", "share": "正文重复比例",
           "expected": "应为", "stated": "本年报告", "unchanged": "与上年相同的单元格", "ok": "一致",
           "legend": "单元格为本年数据；有变化的单元格标色，并在前面划去上年数据。",
           "carry_columns": "上年报告结转下年度|本年报告上年结转|核对",
           "stock_columns": "上年现行有效|本年制发|本年废止|应为|本年报告|核对",
           "broken": "不一致", "unknown": "无法核对"},
    "en": {"tables": "Tables side by side", "table": "table", "row": "row", "column": "column",
           "old": "last year", "new": "this year", "changed": "changed",
           "carry": "Carry-over chain (last year's carried forward → this year's carried over)",
           "stock": "Stock chain (last year's in force + made − repealed → this year's in force)",
           "text": "Text (marked: repeated from last year's report, years, numbers and names masked)",
           "share": "share of text repeated", "expected": "follows", "stated": "stated",
           "unchanged": "cells unchanged", "ok": "consistent", "broken": "inconsistent",
           "legend": "Each cell shows this year's figure; a changed cell is marked, last year's figure struck out before it.",
           "carry_columns": "last year's carried forward|this year's carried over|check",
           "stock_columns": "last year in force|made|repealed|follows|stated|check",
           "unknown": "cannot check"},
}  # fmt: skip
TABLE_TITLES = {"active": "主动公开", "requests": "依申请公开", "review": "行政复议、行政诉讼"}


def _show(value: Number | None) -> str:
    return "—" if value is None else str(value)


def _verdict(a: Number | None, b: Number | None, words: dict[str, str]) -> str:
    if a is None or b is None:
        return words["unknown"]
    return words["ok"] if a == b else words["broken"]


def render_compare_text(
    old: Report | ReportDigest, new: Report | ReportDigest, lang: str = "zh"
) -> str:
    words = WORDS[lang]
    compared = year_on_year_of(digested(old), digested(new))
    before, after = compared.old, compared.new
    out = [
        f"{before.path}（{before.unit} {before.year}）→ {after.path}（{after.unit} {after.year}）",
        "",
    ]
    pairs = pair_cells(before, after)
    out.append(f"{words['tables']}（* = {words['changed']}）")
    for pair in pairs:
        mark = "*" if pair.changed else " "
        out.append(
            f" {mark} {TABLE_TITLES[pair.table]} | {pair.row} | {pair.column} | "
            f"{_show(pair.old)} → {_show(pair.new)}"
        )
    same = sum(1 for pair in pairs if not pair.changed)
    out.append(f"   {words['unchanged']}: {same}/{len(pairs)}")
    out += ["", words["carry"]]
    for column, forward, over in carry_over_chain(before, after):
        out.append(
            f"   {column}: {_show(forward)} → {_show(over)}  {_verdict(forward, over, words)}"
        )
    out += ["", words["stock"]]
    for chain in stock_chain(before, after):
        out.append(
            f"   {chain['row']}: {_show(chain['previous'])} + {_show(chain['made'])} − "
            f"{_show(chain['repealed'])} = {_show(chain['expected'])}；{words['stated']} "
            f"{_show(chain['stated'])}  {_verdict(chain['expected'], chain['stated'], words)}"
        )
    lines, share = compared.lines, compared.share
    out += ["", f"{words['share']}: {share:.0%}", words["text"]]
    for number, text, repeated in lines:
        out.append(f" {'»' if repeated else ' '} {number:4d}  {text}")
    return "\n".join(out) + "\n"


def table_grids(old: Side, new: Side) -> str:
    """The three tables as the form lays them out, this year's figures in each cell; a cell
    that changed shows last year's figure struck out before it and is marked."""
    e = html.escape
    rows: dict[str, dict[str, list[CellPair]]] = {}
    for pair in pair_cells(old, new):
        rows.setdefault(pair.table, {}).setdefault(pair.row, []).append(pair)
    grids = []
    for table in ("active", "requests", "review"):
        if table not in rows:
            continue
        header = max(rows[table].values(), key=len)
        columns = [pair.column for pair in header]
        body = []
        for row, cells in rows[table].items():
            if [pair.column for pair in cells] == columns[: len(cells)]:
                tds = "".join(_grid_cell(pair) for pair in cells)
                tds += "<td></td>" * (len(columns) - len(cells))
            else:  # a row of other columns (行政许可 in Table A): each cell names its column
                tds = "".join(_grid_cell(pair, named=True) for pair in cells)
                tds += (
                    f'<td colspan="{len(columns) - len(cells)}"></td>'
                    if len(cells) < len(columns)
                    else ""
                )
            body.append(f"<tr><th>{e(row)}</th>{tds}</tr>")
        head = "".join(f"<th>{e(column)}</th>" for column in columns)
        grids.append(
            f'<table class="grid" data-table="{table}"><caption>{e(TABLE_TITLES[table])}</caption>'
            f"<tr><th></th>{head}</tr>{''.join(body)}</table>"
        )
    return "".join(grids)


def _grid_cell(pair: CellPair, named: bool = False) -> str:
    e = html.escape
    label = f'<span class="column">{e(pair.column)}</span> ' if named else ""
    if not pair.changed:
        return f"<td>{label}{e(_show(pair.new))}</td>"
    return (
        f'<td class="changed" data-old="{e(_show(pair.old))}">{label}'
        f"<s>{e(_show(pair.old))}</s> → {e(_show(pair.new))}</td>"
    )


def _title(old: Side, new: Side) -> str:
    return f"{old.unit or old.path} {old.year} → {new.unit or new.path} {new.year}"


def compare_body(pair: YearOnYear, lang: str, level: int = 2) -> str:
    """The comparison as HTML: the tables side by side, the two chains, the marked text.
    Shared by ``gkaudit compare --format html`` and the scan's HTML report."""
    words = WORDS[lang]
    e = html.escape
    h = f"h{level}"
    old, new = pair.old, pair.new

    def head(*names: str) -> str:
        return "<tr>" + "".join(f"<th>{e(name)}</th>" for name in names) + "</tr>"

    def verdict(a: Number | None, b: Number | None) -> str:
        css = "" if a is None or b is None or a == b else ' class="broken"'
        return f"<td{css}>{e(_verdict(a, b, words))}</td>"

    carry = "".join(
        f"<tr><td>{e(c)}</td><td>{e(_show(f))}</td><td>{e(_show(o))}</td>{verdict(f, o)}</tr>"
        for c, f, o in carry_over_chain(old, new)
    )
    stock = "".join(
        f"<tr><td>{e(c['row'])}</td><td>{e(_show(c['previous']))}</td>"
        f"<td>{e(_show(c['made']))}</td><td>{e(_show(c['repealed']))}</td>"
        f"<td>{e(_show(c['expected']))}</td><td>{e(_show(c['stated']))}</td>"
        f"{verdict(c['expected'], c['stated'])}</tr>"
        for c in stock_chain(old, new)
    )
    lines, share = pair.lines, pair.share
    text = "".join(
        f'<p data-line="{n}">{"<mark>" if r else ""}{e(t)}{"</mark>" if r else ""}</p>'
        for n, t, r in lines
    )
    carry_head = head(words["column"], *words["carry_columns"].split("|"))
    stock_head = head(words["row"], *words["stock_columns"].split("|"))
    return (
        f'<{h}>{e(words["tables"])}</{h}><p class="legend">{e(words["legend"])}</p>'
        f'<div class="cells">{table_grids(old, new)}</div>'
        f'<{h}>{e(words["carry"])}</{h}><table class="carry">{carry_head}{carry}</table>'
        f'<{h}>{e(words["stock"])}</{h}><table class="stock">{stock_head}{stock}</table>'
        f"<{h}>{e(words['share'])}: {share:.0%}</{h}><{h}>{e(words['text'])}</{h}>"
        f'<div class="text">{text}</div>'
    )


COMPARE_STYLE = (
    "td.changed{background:#ffe3a3;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "table.grid{font-size:12px;margin:6px 0 12px}table.grid caption{text-align:left;font-weight:bold}"
    "table.grid td{text-align:right;white-space:nowrap}table.grid th{font-weight:normal}"
    "td.broken{color:#b00020;font-weight:bold}td.changed s{color:#777}.column{color:#555;font-size:11px}.legend{font-size:12px;color:#444}"
    "mark{background:#ffb3b3;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
)


def render_compare_html(
    old: Report | ReportDigest, new: Report | ReportDigest, lang: str = "zh"
) -> str:
    pair = year_on_year_of(digested(old), digested(new))
    title = html.escape(_title(pair.old, pair.new))
    body = compare_body(pair, lang)
    for part in ("cells", "carry", "stock", "text"):  # ids of the standalone page
        body = body.replace(f'class="{part}"', f'id="{part}" class="{part}"', 1)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:"Noto Sans CJK SC",sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #bbb;padding:2px 6px}}{COMPARE_STYLE}</style>
</head><body><h1>{title}</h1>
{body}
</body></html>
"""


# --- inside the scan's HTML report ----------------------------------------------------------

YOY_WORDS = {
    "zh": {"title": "与上年报告对照", "link": "对照上年"},
    "en": {"title": "Compared with last year's report", "link": "vs last year"},
}
YOY_STYLE = (
    ".yoy{margin:12px 0;border:1px solid #ccd;padding:0 8px;scroll-margin-top:48px}.yoy-body{display:none}"
    ".yoy:target .yoy-body,.yoy.open .yoy-body{display:block}.yoy h5{font-size:14px;margin:10px 0 4px}"
    ".yoy .text p{margin:2px 0;font-size:13px}"
    + COMPARE_STYLE
    + "@media print{.yoy-body{display:block}.yoy{break-inside:auto}}"
)
YOY_SCRIPT = (
    "document.querySelectorAll('.yoy-toggle').forEach(function(a){a.addEventListener('click',"
    "function(ev){var s=a.closest('.yoy');if(location.hash==='#'+s.id){ev.preventDefault();"
    "s.classList.toggle('open');}else{s.classList.add('open');}});});"
)


def yoy_anchor(anchor: str) -> str:
    """The comparison's stable anchor, from the report's (``yoy-unit-<unit>-<year>``)."""
    return f"yoy-{anchor}"


def yoy_link(pair: YearOnYear | None, anchor: str, lang: str) -> str:
    """A link to the comparison, for the unit's entry in the ranking; empty without one."""
    if pair is None:
        return ""
    label = html.escape(YOY_WORDS[lang]["link"])
    return f' <a class="yoy-link" href="#{html.escape(yoy_anchor(anchor))}">{label}</a>'


def yoy_section(pair: YearOnYear | None, anchor: str, lang: str) -> str:
    """The year-on-year comparison of one report, collapsed until opened or linked to."""
    if pair is None:
        return ""
    e = html.escape
    old = pair.old
    where = f"：{old.year}（{old.path}）" if lang == "zh" else f": {old.year} ({old.path})"
    heading = f"{YOY_WORDS[lang]['title']}{where} → {pair.new.year}"
    return (
        f'<section class="yoy" id="{e(yoy_anchor(anchor))}">'
        f'<h4><a class="yoy-toggle" href="#{e(yoy_anchor(anchor))}">{e(heading)}</a></h4>'
        f'<div class="yoy-body">{compare_body(pair, lang, level=5)}</div></section>'
    )
