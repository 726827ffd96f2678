"""The report model: what a parsed 政府信息公开工作年度报告 says, as typed data.

Pure data, no I/O: parse builds it, rules read it, reports render it. The canonical keys
follow the national form (gkaudit/base/vocabulary.py). A cell that is blank, ``/``, ``—`` or
unreadable has value ``None``; it is never turned into 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

# The form's keys and widths, re-exported for rules and plugins (gkaudit.base.vocabulary has
# the names).
from gkaudit.base.vocabulary import (
    ACTIVE_WIDTHS,
    REQUEST_COLUMN_NAMES,
    REQUEST_COLUMNS,
    REQUEST_KEYS,
    REVIEW_COLUMN_NAMES,
    REVIEW_COLUMNS,
    REVIEW_KEYS,
    SECTION_HEADINGS,
    form_for,
)

if TYPE_CHECKING:
    from gkaudit.model.facts import Facts

__all__ = [
    "ACTIVE_WIDTHS",
    "REQUEST_COLUMNS",
    "REQUEST_KEYS",
    "REVIEW_COLUMNS",
    "REVIEW_KEYS",
    "SECTION_HEADINGS",
    "Cell",
    "Problem",
    "Report",
    "Row",
    "Section",
    "Table",
    "Tables",
]

Number = int | float


class Cell(NamedTuple):
    """One table cell: its number (or None), its text as written, its source line and page."""

    value: Number | None
    raw: str
    line: int
    page: int | None = None


@dataclass(slots=True)
class Row:
    """One table row under its canonical key."""

    key: str
    label: str
    line: int
    cells: list[Cell]

    @property
    def values(self) -> list[Number | None]:
        return [cell.value for cell in self.cells]

    def __getitem__(self, column: str | int) -> Number | None:
        """A value by column: its index, canonical key or printed name (``row["自然人"]``)."""
        if isinstance(column, int):
            return self.cells[column].value
        return self.cells[_column_index(column, len(self.cells))].value


@dataclass(slots=True)
class Table:
    """One of the three tables: its rows by canonical key, and where it starts."""

    name: str  # "active", "requests" or "review"
    line: int
    rows: dict[str, Row] = field(default_factory=dict)
    end_line: int | None = None  # the last source line of the table's last row
    subtotals: dict[str, Cell] = field(default_factory=dict)  # Table B's optional 8th column
    template: str = "2021"  # the form the table follows: "2021", or "2019" for Table A
    unread: list[str] = field(default_factory=list)  # rows of the form that could not be read
    page: int | None = None

    def values(self, key: str) -> list[Number | None] | None:
        row = self.rows.get(key)
        return row.values if row else None

    @property
    def unreadable(self) -> bool:
        """Fewer than half of the form's rows could be read: the table as a whole is unread."""
        return len(self.rows) * 2 < len(form_for(self.name, self.template).keys)

    @property
    def status(self) -> str:
        """"whole" (every row of the form read), "partial", or "unread" (no row read)."""
        if not self.rows:
            return "unread"
        return "partial" if self.unread else "whole"


@dataclass(slots=True)
class Tables:
    active: Table | None = None
    requests: Table | None = None
    review: Table | None = None

    def present(self) -> list[Table]:
        return [table for table in (self.active, self.requests, self.review) if table]


class TextLine(NamedTuple):
    """A logical line of the report (rows included), with its source line number.

    Immutable like the other parts of the model; a NamedTuple because a report has hundreds
    and a frozen dataclass costs ten times as much to make."""

    number: int
    text: str
    page: int | None = None  # the PDF page the line stands on


@dataclass(frozen=True, slots=True)
class Window:
    """The statistics window as written, and its dates when they are valid."""

    text: str
    line: int
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Subsection:
    number: str
    heading: str
    line: int


@dataclass(slots=True)
class Section:
    """A numbered section. ``kind`` is 1–6 when the heading is one of the format's six."""

    number: str
    ordinal: int | None
    kind: int | None
    heading: str
    line: int
    end_line: int
    subsections: list[Subsection] = field(default_factory=list)
    body: list[TextLine] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.body)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the parser could not read; ``kind`` selects the message, ``params`` fill it."""

    kind: str
    line: int | None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Report:
    path: str | None
    unit: str | None
    year: int | None
    title: str | None
    title_line: int | None
    window: Window | None
    signature_date: date | None
    signature_line: int | None
    template: str | None  # "2021", "2019" or None when no table says
    sections: list[Section]
    tables: Tables
    problems: list[Problem]
    lines: list[TextLine]
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: str, compute: Any) -> Any:
        """A view derived from the report, computed once and shared by every rule."""
        if key not in self.derived:
            self.derived[key] = compute(self)
        return self.derived[key]

    @property
    def facts(self) -> Facts:
        """The facts of the report's prose (gkaudit/model/facts.py), computed once."""
        made = self.derived.get("facts")
        if made is not None:
            return made  # type: ignore[no-any-return]
        from gkaudit.model.facts import facts_of

        return facts_of(self)

    def section(self, kind: int) -> Section | None:
        """The first section of the format's kind 1–6, if present."""
        return next((section for section in self.sections if section.kind == kind), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form described by gkaudit/schemas/report.schema.json (problems as given)."""
        return {
            "path": self.path,
            "unit": self.unit,
            "year": self.year,
            "title": self.title,
            "window": {
                "text": self.window.text if self.window else None,
                "line": self.window.line if self.window else None,
                "start": _iso(self.window.start) if self.window else None,
                "end": _iso(self.window.end) if self.window else None,
            },
            "signature_date": _iso(self.signature_date),
            "template": self.template,
            "sections": [
                {
                    "number": section.number,
                    "heading": section.heading,
                    "line": section.line,
                    "end_line": section.end_line,
                    "kind": section.kind,
                    "subsections": [
                        {"number": sub.number, "heading": sub.heading, "line": sub.line}
                        for sub in section.subsections
                    ],
                }
                for section in self.sections
            ],
            "tables": {
                "active": _active_dict(self.tables.active),
                "requests": _requests_dict(self.tables.requests),
                **_review_dict(self.tables.review),
            },
            "read": {
                name: {"status": table.status if table else "missing",
                       "unread": list(table.unread) if table else []}
                for name, table in (("active", self.tables.active),
                                    ("requests", self.tables.requests),
                                    ("review", self.tables.review))
            },
        }  # fmt: skip


def _column_index(column: str, width: int) -> int:
    for keys, names in (
        (REQUEST_COLUMNS, REQUEST_COLUMN_NAMES),
        (REVIEW_COLUMNS, REVIEW_COLUMN_NAMES),
    ):
        if len(keys) == width:
            if column in keys:
                return keys.index(column)
            printed = [name.zh for name in names]
            if column in printed:
                return printed.index(column)
    raise KeyError(column)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _active_dict(table: Table | None) -> dict[str, Any] | None:
    if table is None:
        return None
    result: dict[str, Any] = {}
    keys = list(ACTIVE_WIDTHS) + [key for key in table.rows if key not in ACTIVE_WIDTHS]
    for key in keys:
        values = table.values(key)
        result[key] = values[0] if values is not None and len(values) == 1 else values
    return result


def _requests_dict(table: Table | None) -> dict[str, Any] | None:
    if table is None:
        return None
    result: dict[str, Any] = {key: table.values(key) for key in REQUEST_KEYS}
    if table.subtotals:
        result["subtotal"] = {key: cell.value for key, cell in table.subtotals.items()}
    return result


def _review_dict(table: Table | None) -> dict[str, Any]:
    return {key: table.values(key) if table else None for key in REVIEW_KEYS}
