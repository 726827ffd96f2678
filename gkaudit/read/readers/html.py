from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gkaudit.base.errors import budget_error, corrupt_error
from gkaudit.read.blocks import Document, document_from_parts
from gkaudit.read.source import Reader, decode, read_bytes

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
BLOCKS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "blockquote", "pre", "center", "dd", "dt", "dl", "form", "address", "figure",
}  # fmt: skip
# Page furniture; not <form>, which ASP.NET portals wrap around the whole page.
DROPPED = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "iframe",
    "object",
    "embed",
    "select",
    "button",
)
WEB_PAGE = {"zh": "网页", "en": "web page"}  # the kind of file, in corrupt_error
MAX_SPAN = 100  # rows or columns one cell may span
MAX_CELLS = 200_000  # grid places of all the page's tables, spans resolved (real: < 2,000)
SECTION_WORDS = ("总体情况", "主动公开", "收到和处理", "行政复议", "存在的主要问题", "其他需要报告")


class HtmlReader(Reader):
    """A saved web page (.html/.htm/.shtml): the report body without the portal around it,
    tables with rowspan/colspan resolved into a grid (spanned places left empty), the charset
    from the page or detected. No resource is fetched."""

    name = "html"
    suffixes = (".html", ".htm", ".shtml", ".xhtml")

    def sniff(self, head: bytes) -> bool:
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
        return start.startswith((b"<!doctype html", b"<html")) or b"<html" in start[:200]

    def read(self, path: Path, max_bytes: int) -> Document:
        from lxml import etree
        from lxml import html as lxml_html

        data = read_bytes(path, max_bytes)
        text = _decode(data)
        # huge_tree=False keeps libxml2's limits: nesting is cut at 255 levels, text nodes at
        # 10 MB, and no entity is expanded beyond them.
        parser = lxml_html.HTMLParser(
            no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
        )
        try:
            root = lxml_html.document_fromstring(text, parser=parser)
        except (etree.ParserError, ValueError) as error:
            message = f"cannot parse the web page: {error}"
            raise corrupt_error(message, WEB_PAGE, type(error).__name__) from None
        title = _title(root)
        for element in list(root.iter(*DROPPED)):
            if element.getparent() is not None:
                element.drop_tree()
        content = _content(root)
        lines: list[str | list[list[str]]] = []
        if title and title not in content.text_content():
            lines.append(title)
        _walk(content, lines, [MAX_CELLS])
        return document_from_parts(lines, self.name)


def _decode(data: bytes) -> str:
    declared = META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _title(root: Any) -> str | None:
    """The report's title: a heading that names it, else the page title without the site."""
    for heading in root.iter("h1", "h2", "h3"):
        text = re.sub(r"\s+", "", heading.text_content())
        if "信息公开" in text and ("报告" in text or "年" in text):
            return text
    title = root.find(".//title")
    if title is not None and title.text:
        return re.split(r"[-_|–—]", title.text.strip())[0].strip() or None
    return None


def _content(root: Any) -> Any:
    """The smallest element holding as many of the report's section headings as the page does."""
    body = root.find("body") if root.find("body") is not None else root
    best, best_score = body, _score(body)
    for element in body.iter("div", "td", "article", "section", "main"):
        score = _score(element)
        if score >= best_score and score >= 3:
            best, best_score = element, score  # iteration is depth-first: later = deeper
    return best


def _score(element: Any) -> int:
    text = element.text_content()
    return sum(1 for word in SECTION_WORDS if word in text)


def _walk(element: Any, lines: list[str | list[list[str]]], cells_left: list[int]) -> None:
    if element.tag == "table":
        lines.append(_grid(element, cells_left))
        lines.append("")
        return
    block = element.tag in BLOCKS
    if block:
        lines.append("")
    _append(lines, element.text)
    for child in element:
        if not isinstance(child.tag, str):
            _append(lines, child.tail)
            continue
        if child.tag == "br":
            lines.append("")
        else:
            _walk(child, lines, cells_left)
        _append(lines, child.tail)
    if block:
        lines.append("")


def _append(lines: list[str | list[list[str]]], text: str | None) -> None:
    if not text:
        return
    text = re.sub(r"\s+", " ", text)
    if not lines or not isinstance(lines[-1], str):
        lines.append("")
    lines[-1] += text  # type: ignore[operator]


def _grid(table: Any, cells_left: list[int]) -> list[list[str]]:
    """Rows of cell texts, rowspan and colspan resolved: a spanned place holds an empty cell.
    Spans are clamped to MAX_SPAN and the places they fill count against ``cells_left``."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    rows = [row for row in table.iter("tr") if _owner(row) is table]
    for r, row in enumerate(rows):
        cells: list[str] = []
        column = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            while (r, column) in pending:
                cells.append(pending.pop((r, column)))
                column += 1
            text = re.sub(r"\s+", " ", cell.text_content()).strip()
            colspan, rowspan = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            cells_left[0] -= colspan * rowspan
            if cells_left[0] < 0:
                raise budget_error(
                    f"网页表格单元格总数超过 {MAX_CELLS}", f"more than {MAX_CELLS} table cells"
                )
            cells.append(text)
            cells.extend([""] * (colspan - 1))
            for extra in range(1, rowspan):
                for offset in range(colspan):
                    pending[(r + extra, column + offset)] = ""
            column += colspan
        while (r, column) in pending:
            cells.append(pending.pop((r, column)))
            column += 1
        grid.append(cells)
    return grid


def _owner(row: Any) -> Any:
    parent = row.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), MAX_SPAN))
    except ValueError:
        return 1
