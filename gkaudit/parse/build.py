"""Step 4 of the data flow: the grammar's parse tree -> the typed report model."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from datetime import date
from itertools import accumulate

from lark import Token, Tree

from gkaudit.base.numerals import DATE, MONTH_DAY, YEAR, cn_number, make_date
from gkaudit.base.vocabulary import TEMPLATE_2019_MARKERS, form_for, section_kind
from gkaudit.model.report import (
    Problem,
    Report,
    Section,
    Subsection,
    Tables,
    TextLine,
    Window,
)
from gkaudit.parse.lexer import Line
from gkaudit.parse.tables import read_table

TABLE_NODES = {"active_table": "active", "requests_table": "requests", "review_table": "review"}
PROSE_TOKENS = frozenset({"TEXT", "SUBHEADING", "DATE_LINE"})
_HEADING = re.compile(r"^(?P<number>[一二三四五六七八九十]+|\d{1,2})[、.,]\s*(?P<heading>.*)$")
_SUBHEADING = re.compile(r"^\((?P<number>[一二三四五六七八九十]+)\)\s*(?P<heading>[^。:;,]*)")
_TITLE = re.compile(
    r"^(?:Page\s*\d+\s*[-—–]\s*)?(?:关于)?"  # page furniture before it; 关于… of a covering letter
    r"(?P<before>.*?)(?P<year>(?:19|20)\d\d)年度?(?P<after>.*?)(?:政府信息公开|政务公开|信息公开)"
)
_UNIT_BEFORE_YEAR = re.compile(r"^(?P<unit>.+?)(?P<year>(?:19|20)\d\d)年度?[^\t]{0,12}$")
_WINDOW = re.compile(
    r"(?:统计|数据)[^。\d]{0,20}?"
    rf"(?P<text>(?P<y1>{YEAR})年(?P<m1>{MONTH_DAY})月(?P<d1>{MONTH_DAY})日起?"
    rf"\s*(?:至|到|—|-|~|－)\s*(?:(?P<y2>{YEAR})年)?(?P<m2>{MONTH_DAY})月(?P<d2>{MONTH_DAY})日止?)"
)
_SIGNATORY = re.compile(r"(?:政府|办事处|局|委员会|委|办公室|办|中心|院|署|所|队|站)$")


def build_report(tree: Tree, lines: list[Line], path: str | None = None) -> Report:
    """Turn the grammar's tree over ``lines`` into a Report."""
    front, *section_trees = tree.children
    problems: list[Problem] = []
    title_tokens = _title_tokens(front)
    title = _joined(lines, title_tokens)
    table_tokens = {id(node): _tokens(node) for node in _table_nodes(tree)}  # walked once
    text_lines = [_TUPLE_NEW(TextLine, (line.number, line.text, line.page)) for line in lines]
    sections = [_section(node, lines, table_tokens, text_lines) for node in section_trees]
    tables = _tables(tree, lines, problems, table_tokens)
    offsets, text = _offsets_and_text(lines)
    window = _window(lines, offsets, text, problems)
    signature = _signature(tree, lines, table_tokens)
    title_index = _index(title_tokens[0]) if title_tokens else None
    unit, year = _unit_and_year(title, title_index, lines, signature)
    if year is None and window and window.start:
        year = window.start.year
    return Report(
        path=path,
        unit=unit,
        year=year,
        title=_joined(lines, title_tokens, raw=True),
        title_line=_line(lines, title_tokens[0]).number if title_tokens else None,
        window=window,
        signature_date=signature[0] if signature else None,
        signature_line=signature[1] if signature else None,
        template=_template(text, tables),
        sections=sections,
        tables=tables,
        problems=problems,
        lines=text_lines,
    )


_TUPLE_NEW = tuple.__new__  # NamedTuple(...) without its Python-level __new__: the hot path


def chinese_ordinal(number: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十 -> 20, "3" -> 3; None for anything else."""
    value = cn_number(number) if number else None
    return value if value is not None and 0 < value < 100 else None


def _tokens(node: Tree) -> list[Token]:
    """The node's tokens in order (the tree is three levels deep: a list, not a generator)."""
    found: list[Token] = []
    for child in node.children:
        if isinstance(child, Token):
            found.append(child)
        else:
            found += _tokens(child)
    return found


def _index(token: Token) -> int:
    """The token's place in the logical lines: the lexer numbers them from 1."""
    assert token.line is not None, "the block lexer numbers every token"
    return token.line - 1


def _line(lines: list[Line], token: Token) -> Line:
    return lines[token.line - 1]  # type: ignore[operator]  # the lexer numbers lines from 1


def _title_tokens(front: Tree) -> list[Token]:
    title = next((c for c in front.children if isinstance(c, Tree) and c.data == "title"), None)
    return [child for child in title.children if isinstance(child, Token)] if title else []


def _joined(lines: list[Line], tokens: list[Token], raw: bool = False) -> str | None:
    if not tokens:
        return None
    parts = [_line(lines, t).raw.strip() if raw else _line(lines, t).text for t in tokens]
    return " ".join(parts) if raw else "".join(parts)


def _section(
    node: Tree, lines: list[Line], table_tokens: dict[int, list[Token]], text_lines: list[TextLine]
) -> Section:
    heading_token, *rest = node.children
    assert isinstance(heading_token, Token), "a section starts with its heading"
    heading_line = _line(lines, heading_token)
    match = _HEADING.match(heading_line.text)
    number, heading = (match["number"], match["heading"]) if match else ("", heading_line.text)
    body = [_index(child) for child in rest if isinstance(child, Token)]
    ends = [lines[index].end for index in body]
    ends.append(heading_line.end)
    for child in rest:
        if isinstance(child, Tree):  # a table: its lines, and the prose after its last row
            tokens = table_tokens[id(child)]
            table_lines = [_line(lines, token) for token in tokens]
            ends += [line.end for line in table_lines]
            body += _trailing_text(tokens[1:], table_lines[1:])
    last = max(ends)
    body_lines = [lines[index] for index in body]
    return Section(
        number=number,
        ordinal=chinese_ordinal(number),
        kind=section_kind(heading),
        heading=heading.rstrip("。:"),
        line=heading_line.number,
        end_line=last,
        subsections=[_subsection(line) for line in body_lines if line.text.startswith("(")],
        body=[  # the report's own text lines, without their pages
            line if line.page is None else _TUPLE_NEW(TextLine, (line.number, line.text, None))
            for line in [text_lines[index] for index in body]
        ],
    )


def _trailing_text(tokens: list[Token], lines: list[Line]) -> list[int]:
    """Text after a table's last row (``tokens`` after the head, and their ``lines``) belongs
    to the section's body, not to the table: the indexes of its logical lines."""
    last_row = max((i for i, line in enumerate(lines) if line.cells is not None), default=-1)
    return [_index(t) for t in tokens[last_row + 1 :] if t.type in PROSE_TOKENS]


def _subsection(line: Line) -> Subsection:
    match = _SUBHEADING.match(line.text)
    if not match:
        return Subsection("", line.text, line.number)
    return Subsection(match["number"], match["heading"], line.number)


def _tables(
    tree: Tree, lines: list[Line], problems: list[Problem], table_tokens: dict[int, list[Token]]
) -> Tables:
    """Each table from the row tokens of its regions (Table A's 第二十条 blocks are one table)."""
    items: dict[str, list[tuple[str, Line]]] = {name: [] for name in TABLE_NODES.values()}
    starts: dict[str, int] = {}
    for node in _table_nodes(tree):
        name = TABLE_NODES[node.data]
        head, *rows = table_tokens[id(node)]
        starts.setdefault(name, _line(lines, head).number)
        items[name] += [(token.type, lines[token.line - 1]) for token in rows]  # type: ignore[operator]
    tables = Tables()
    for name, found in items.items():
        if name not in starts:
            problems.append(Problem("table-missing", None, {"table": name}))
            continue
        template = "2019" if name == "active" and _is_2019(found) else None
        table, seen = read_table(name, found, starts[name], template)
        table.end_line = max(
            [line.end for _, line in found if line.cells is not None], default=None
        )
        table.unread = [key for key in form_for(name, template).keys if key not in table.rows]
        table.page = next((line.page for _, line in found if line.page), None)
        problems.extend(seen)
        setattr(tables, name, table)
    return tables


def _table_nodes(tree: Tree) -> Iterator[Tree]:
    """The tables in document order: the grammar puts them in the front matter and sections."""
    for part in tree.children:
        assert isinstance(part, Tree), "the front matter and sections are rules"
        for child in part.children:
            if isinstance(child, Tree) and child.data in TABLE_NODES:
                yield child


def _is_2019(items: list[tuple[str, Line]]) -> bool:
    return any(TEMPLATE_2019_MARKERS.search(line.text) for _, line in items)


def _offsets_and_text(lines: list[Line]) -> tuple[list[int], str]:
    """All lines' text joined without separators (PDF lines break mid-sentence), and where each
    line starts in it (and, last, the end)."""
    texts = [line.text for line in lines]
    return list(accumulate(map(len, texts), initial=0)), "".join(texts)


def _window(
    lines: list[Line], offsets: list[int], text: str, problems: list[Problem]
) -> Window | None:
    """The stated statistics window; it may run over a line break."""
    match = _WINDOW.search(text)
    if not match:
        return None
    index = bisect_right(offsets, match.start("text")) - 1
    start = make_date(match["y1"], match["m1"], match["d1"])
    end = make_date(match["y2"] or match["y1"], match["m2"], match["d2"])
    if start is None or end is None:
        problems.append(Problem("window-invalid", lines[index].number, {"text": match["text"]}))
    return Window(match["text"], lines[index].number, start, end)


def _signature(
    tree: Tree, lines: list[Line], table_tokens: dict[int, list[Token]]
) -> tuple[date, int] | None:
    """The last date standing on a line of its own: the signature date, else a publication date."""
    for token in _tokens_last_first(tree, table_tokens):  # it is near the end: walk from there
        if token.type != "DATE_LINE":
            continue
        line = _line(lines, token)
        found = DATE.search(line.text)
        day = make_date(found["year"], found["month"], found["day"]) if found else None
        if day:
            return day, line.number
    return None


def _tokens_last_first(tree: Tree, table_tokens: dict[int, list[Token]]) -> Iterator[Token]:
    """Every token of the tree in reverse order, the tables' as already gathered."""
    for part in reversed(tree.children):
        assert isinstance(part, Tree), "the front matter and sections are rules"
        for child in reversed(part.children):
            if isinstance(child, Token):
                yield child
            else:
                yield from reversed(table_tokens.get(id(child)) or _tokens(child))


def _unit_and_year(
    title: str | None,
    title_index: int | None,
    lines: list[Line],
    signature: tuple[date, int] | None,
) -> tuple[str | None, int | None]:
    """From the title; else the unit standing on the line above it (淮安市人民政府 / 2024年…
    年度报告), or above the signature date."""
    unit, year = None, None
    if title:
        match = _TITLE.match(title)
        if match:
            unit = (match["before"] or match["after"]).strip(" ,") or None
            year = int(match["year"])
    if unit is None and title_index:
        unit = _unit_line(lines[title_index - 1])
        split = _UNIT_BEFORE_YEAR.match(unit) if unit else None
        if split:  # a title broken over two lines: 某街道办事处2024年度政府 / 信息公开工作年度报告
            unit, year = split["unit"], year or int(split["year"])
    if unit is None and signature:
        index = [line.number for line in lines].index(signature[1])
        unit = _unit_line(lines[index - 1]) if index > 0 else None
    return unit, year


def _unit_line(line: Line) -> str | None:
    text = line.text
    return text if len(text) <= 30 and not line.is_row and _SIGNATORY.search(text) else None


def _template(text: str, tables: Tables) -> str | None:
    if TEMPLATE_2019_MARKERS.search(text):
        return "2019"
    return "2021" if tables.present() else None
