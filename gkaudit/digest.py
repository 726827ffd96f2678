"""What the cross-document rules see of a report: a compact digest made where it is parsed.

A scan's workers parse and audit each file; when batch rules (GK601–GK609, plugins' batch
rules) or the archive are active, each worker sends back a ``ReportDigest`` instead of the
parsed ``Report``: the binding inputs (path, unit as written, year), the three tables' figures,
the prose lines (everything but the tables and the title), the section spans, the page breaks,
the copying ``TextDigest`` (masked sentences), the hashes of the file and of its text, and —
only when archiving — the model as compressed JSON. The parent keeps a few kilobytes per report
instead of the whole model, and every batch rule, the archive and the year-on-year comparison
work from digests.

This is the contract of ``BatchRule.check_batch(reports, context)`` for plugin authors:
``reports`` is a list of ``ReportDigest``; each has ``path``, ``unit``, ``year``,
``title_line``, ``unit_type``, ``content_hash``, ``text_hash``, ``cells`` ((table, row key,
column) → (value, line)), ``values(table, key)``, ``row_line(table, key)``, ``tables``,
``prose`` (line number → text), ``section_label(kind)`` and ``text`` (the masked sentences,
see gkaudit.copying). Give each result the digest it belongs to: ``self.finding(...,
report=digest)``.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gkaudit.model import ACTIVE_WIDTHS, REQUEST_KEYS, REVIEW_KEYS, Number, Report, TextLine

if TYPE_CHECKING:
    from gkaudit.copying import TextDigest
    from gkaudit.roster import Roster

CellKey = tuple[str, str, int]  # (table, row key, column index)
ROW_ORDER = {"requests": REQUEST_KEYS, "review": REVIEW_KEYS}


@dataclass(eq=False)
class ReportDigest:
    """A parsed report, reduced to what comparing it with other reports needs."""

    path: str | None
    unit: str | None  # as the report writes it
    year: int | None
    title_line: int | None
    content_hash: str | None  # of the file's bytes (the archive's key); None when not hashed
    text_hash: str  # of the text, line by line, spaces folded (GK608)
    tables: tuple[str, ...]  # the tables present: "active", "requests", "review"
    first_table_line: int | None
    cells: dict[CellKey, tuple[Number | None, int]]  # in the form's order
    row_lines: dict[tuple[str, str], int]
    prose: dict[int, str]  # every line but the tables' and the title: headings and text
    headings: frozenset[int]  # section and subsection heading lines
    sections: tuple[tuple[int, int, int | None, str], ...]  # (line, end line, kind, label)
    page_breaks: tuple[tuple[int, int], ...] = ()  # (first line, page) where a page starts
    last_line: int = 0
    unit_type: str = "unknown"
    text: TextDigest | None = None  # the masked sentences (gkaudit.copying)
    text_names: frozenset[str] = frozenset()  # the own names masked in ``text``
    model: bytes | None = None  # the model as zlib-compressed JSON, only when archiving
    derived: dict[str, Any] = field(default_factory=dict, repr=False)

    def values(self, table: str, key: str) -> list[Number | None] | None:
        """The row's figures in column order, None when the table or the row is absent."""
        if (table, key) not in self.row_lines:
            return None
        found = []
        index = 0
        while (table, key, index) in self.cells:
            found.append(self.cells[(table, key, index)][0])
            index += 1
        return found

    def row_line(self, table: str, key: str) -> int | None:
        return self.row_lines.get((table, key))

    def section_label(self, kind: int) -> str | None:
        """The section of kind 1–6 as written (``三、收到和处理政府信息公开申请情况``)."""
        return next((label for _, _, k, label in self.sections if k == kind), None)

    def page_of(self, line: int | None) -> int | None:
        if not line or not self.page_breaks:
            return None
        at = bisect_right([start for start, _ in self.page_breaks], line) - 1
        return self.page_breaks[at][1] if at >= 0 else None

    @property
    def lines(self) -> list[TextLine]:
        """Every line with its page (the text only for prose lines): for locating findings."""
        if not self.page_breaks:
            return []
        return [
            TextLine(number, self.prose.get(number, ""), self.page_of(number))
            for number in range(1, self.last_line + 1)
        ]

    def memo(self, key: str, compute: Any) -> Any:
        if key not in self.derived:
            self.derived[key] = compute(self)
        return self.derived[key]

    def lighten(self) -> None:
        """Drop what only the batch rules and the archive needed (after they ran)."""
        self.text = None
        self.model = None
        self.derived.clear()


def report_digest(
    report: Report,
    roster: Roster | None = None,
    unit_type: str = "unknown",
    model: bytes | None = None,
) -> ReportDigest:
    """The digest of a parsed report; its text is masked with the names the roster gives."""
    from gkaudit.copying import digest_lines
    from gkaudit.roster import bind, own_names

    tables = report.tables.present()
    in_tables = {
        number
        for table in tables
        for number in range(table.line, (table.end_line or table.line) + 1)
    }
    prose = {
        line.number: line.text
        for line in report.lines
        if line.number not in in_tables and line.number != report.title_line
    }
    headings = frozenset(
        {s.line for s in report.sections} | {u.line for s in report.sections for u in s.subsections}
    )
    sections = tuple(
        (s.line, s.end_line, s.kind, f"{s.number}、{s.heading}") for s in report.sections
    )
    cells: dict[CellKey, tuple[Number | None, int]] = {}
    row_lines: dict[tuple[str, str], int] = {}
    for table in tables:
        for key in ROW_ORDER.get(table.name, ACTIVE_WIDTHS):
            row = table.rows.get(key)
            if row is None:
                continue
            row_lines[(table.name, key)] = row.line
            for index, cell in enumerate(row.cells):
                cells[(table.name, key, index)] = (cell.value, cell.line or row.line)
    digest = ReportDigest(
        path=report.path,
        unit=report.unit,
        year=report.year,
        title_line=report.title_line,
        content_hash=report.derived.get("content_hash"),
        text_hash=text_hash(line.text for line in report.lines),
        tables=tuple(table.name for table in tables),
        first_table_line=min((table.line for table in tables), default=None),
        cells=cells,
        row_lines=row_lines,
        prose=prose,
        headings=headings,
        sections=sections,
        page_breaks=_page_breaks(report.lines),
        last_line=max((line.number for line in report.lines), default=0),
        unit_type=unit_type,
        model=model,
    )
    binding = bind(digest, roster)
    names = frozenset(own_names(digest, binding, roster))
    digest.text = digest_lines(digest, names, binding.unit)
    digest.text_names = names
    return digest


def text_hash(texts: Iterable[str]) -> str:
    text = "\n".join(" ".join(line.split()) for line in texts if line.strip())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _page_breaks(lines: list[TextLine]) -> tuple[tuple[int, int], ...]:
    breaks: list[tuple[int, int]] = []
    for line in lines:
        if line.page and (not breaks or breaks[-1][1] != line.page):
            breaks.append((line.number, line.page))
    return tuple(breaks)
