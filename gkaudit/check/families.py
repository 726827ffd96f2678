"""The rule families as data: a rule of a family is a class that states *what* to check.

``IdentityRule``: an identity the national form prints, ``left`` operands = ``right`` operands,
  checked in every column (operands are rows) or every row (operands are columns); messages
  name every operand as the form prints it, with its value.
``PatternRule``: lines (optionally of one section) where a pattern occurs, or must not occur.
``RequiredTopicsRule``: topics a section (or the report's prose) must mention; the finding
  points at the passage where they belong.

Built-in rules (GK301–GK304, GK506, GK503, …) and auditors' declarative YAML rules
(gkaudit/check/declarative.py) run on these bases, so one engine checks both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from gkaudit.base.vocabulary import TABLE_NAMES, Name, column_name, row_name
from gkaudit.check.rule import Context, Result, Rule
from gkaudit.model.facts import Prose, SectionKind
from gkaudit.model.messages import listing
from gkaudit.model.report import Report, Row, Section, Table

Number = int | float

# --- identities -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One operand of an identity, as the form prints it, with its value."""

    name: Name
    value: Number


class IdentityRule(Rule):
    """Base of the table identities: the sum of ``left`` equals the sum of ``right``.

    ``axis = "rows"``: the operands are row keys and the identity holds in each column;
    ``axis = "columns"``: the operands are column indexes and it holds in each row of ``rows``
    (all of the table's rows when empty). A place with an unread or missing operand is left
    alone (GK106 reports those). The message key is ``broken``, with the fields ``{table}``,
    ``{place}`` (“自然人”列 / “本年新收”行), ``{left_terms}``, ``{left}``, ``{right_terms}``,
    ``{right}``.
    """

    table: ClassVar[str]  # "active", "requests" or "review"
    axis: ClassVar[str] = "rows"
    left: ClassVar[Sequence[str | int]]
    right: ClassVar[Sequence[str | int]]
    rows: ClassVar[Sequence[str]] = ()  # for axis "columns"
    columns: ClassVar[Sequence[int]] = ()  # for axis "rows": the columns checked (all if empty)

    def check(self, report: Report, context: Context) -> Iterator[Result]:
        table: Table | None = getattr(report.tables, self.table)
        if table is None:
            return
        if self.axis == "rows":
            yield from self._check_columns(report, table)
        else:
            yield from self._check_rows(report, table)

    def _check_columns(self, report: Report, table: Table) -> Iterator[Result]:
        keys = [*self.left, *self.right]
        rows = [table.rows.get(str(key)) for key in keys]
        if any(row is None for row in rows):
            return  # a missing row is GK106's finding; the identity cannot be judged
        present = [row for row in rows if row is not None]
        width = min(len(row.cells) for row in present)
        # each column's values, as far as the shortest row reaches
        by_column = list(zip(*[row.values for row in present], strict=False))
        for index in self.columns or range(width):
            values = by_column[index]
            if None in values or self._balanced(values):
                continue
            terms = [
                Term(row_name(self.table, row.key, report.template), value)
                for row, value in zip(present, values, strict=True)
                if value is not None
            ]
            place = column_name(self.table, present[0].key, index, report.template)
            line = present[len(self.left)].line
            yield from self._compare(report, terms, place, "column", line, {"column": index})

    def _check_rows(self, report: Report, table: Table) -> Iterator[Result]:
        indexes = [int(index) for index in (*self.left, *self.right)]
        last = max(indexes)
        for key in self.rows or list(table.rows):
            row = table.rows.get(key)
            if row is None or last >= len(row.cells):
                continue
            cells = row.cells
            values = [cells[index].value for index in indexes]
            if None in values or self._balanced(values):
                continue
            terms = [
                Term(column_name(self.table, key, index, report.template), value)
                for index, value in zip(indexes, values, strict=True)
                if value is not None
            ]
            place = row_name(self.table, key, report.template)
            line = _line_of(row, indexes[len(self.left)])
            yield from self._compare(report, terms, place, "row", line, {"row": key})

    def _balanced(self, values: Sequence[Any]) -> bool:
        """Whether the sums hold: the common case, judged before any cell is named."""
        split = len(self.left)
        return bool(sum(values[:split]) == sum(values[split:]))

    def _compare(
        self,
        report: Report,
        terms: list[Term],
        place: Name,
        kind: str,
        line: int,
        where: dict[str, Any],
    ) -> Iterator[Result]:
        left, right = terms[: len(self.left)], terms[len(self.left) :]
        left_sum, right_sum = sum(t.value for t in left), sum(t.value for t in right)
        if left_sum == right_sum:
            return
        yield self.finding(
            "broken",
            line=line,
            evidence={
                **where,
                "reported": right_sum,
                "computed": left_sum,
                "parts": {t.name.zh: t.value for t in left},
            },
            table=TABLE_NAMES[self.table].as_dict(),
            place=_place(place, kind),
            left_terms=_terms(left),
            left=_number(left_sum),
            right_terms=_terms(right),
            right=_number(right_sum),
        )


def _line_of(row: Row, index: int) -> int:
    return row.cells[index].line or row.line


def _place(name: Name, kind: str) -> dict[str, str]:
    if kind == "column":
        return {"zh": f"“{name.zh}”列", "en": f"column '{name.en}'"}
    return {"zh": f"“{name.zh}”行", "en": f"row '{name.en}'"}


def _terms(terms: list[Term]) -> dict[str, str]:
    """本年新收2＋上年结转0 / new 2 + carried over 0; in long sums zeros are summed up."""
    shown = terms if len(terms) <= 4 else [t for t in terms if t.value]
    hidden = len(terms) - len(shown)
    zh = "+".join(f"{t.name.zh}{_number(t.value)}" for t in shown) or "各项均为0"
    en = " + ".join(f"{t.name.en} {_number(t.value)}" for t in shown) or "all items 0"
    if hidden and shown:
        zh += f"（其余{hidden}项为0）"
        en += f" (the other {hidden} items 0)"
    return {"zh": zh, "en": en}


def _number(value: Number) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- patterns ---------------------------------------------------------------------------------


class PatternRule(Rule):
    """Base of the line patterns: every occurrence of ``pattern`` is a finding ``found``.

    ``section`` limits the search to one of the format's sections (1–6); ``prefilter``, a
    cheap pattern every match contains, skips lines quickly; ``words``, literal words one of
    which every match contains, limits the search to the lines holding one (found in the
    report's text at once); ``limit`` stops after that many
    matches; ``applies`` says whether the report is concerned at all. The message fields are
    ``{quote}`` (the match), ``{section}`` and those ``params`` adds.
    """

    pattern: ClassVar[re.Pattern[str]]
    section: ClassVar[int | None] = None
    prefilter: ClassVar[re.Pattern[str] | None] = None
    words: ClassVar[tuple[str, ...]] = ()
    key: ClassVar[str] = "found"
    limit: ClassVar[int | None] = None  # report at most this many matches (1: the first)

    def applies(self, report: Report, context: Context) -> bool:
        """Whether the rule concerns this report at all (default: always)."""
        return True

    def params(self, report: Report, context: Context) -> dict[str, Any]:
        """Message fields beyond ``{quote}`` and ``{section}`` (default: none)."""
        return {}

    def check(self, report: Report, context: Context) -> Iterator[Result]:
        if not self.applies(report, context):
            return
        lines = report.facts.lines_holding(self.words) if self.words else report.lines
        section = report.section(self.section) if self.section else None
        if self.section and section is None:
            return  # a missing section is GK101's finding
        heading = f"{section.number}、{section.heading}" if section else None
        extra = self.params(report, context)
        found = 0
        for line in lines:
            if section and not section.line <= line.number <= section.end_line:
                continue
            if self.prefilter and not self.prefilter.search(line.text):
                continue
            for match in self.pattern.finditer(line.text):
                if not self.accept(report, match):
                    continue
                yield self.finding(
                    self.key,
                    line=line.number,
                    section=heading,
                    evidence={"quote": match.group(0)},
                    params={**extra, "quote": match.group(0), "section": _section_text(section)},
                )
                found += 1
                if self.limit is not None and found >= self.limit:
                    return

    def accept(self, report: Report, match: re.Match[str]) -> bool:
        """Whether a match is a finding (default: always); subclasses narrow it."""
        return True


# --- required topics ----------------------------------------------------------------------------


# A heading or paragraph led by its topic: (五) 监督保障 / 五、监督保障 / 3.监督保障
SPACE = re.compile(r"\s")
ANCHOR_LEAD = r"\s*(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）、.．]\s*)?"


@dataclass(frozen=True)
class Topic:
    """A topic a report must mention: any of its words counts, a stated nil included."""

    name: Name
    pattern: re.Pattern[str]


class RequiredTopicsRule(Rule):
    """Base of the required topics: each of ``topics`` must be mentioned in ``section``'s prose
    (the report's whole prose when None).

    The finding points at the passage where the topics belong: the first heading or paragraph
    led by ``anchor`` (a pattern such as 监督保障), else the section's heading (the overview
    when ``section`` is None), else the report's title. Message keys: ``all`` (none
    mentioned) and ``some`` (fields ``{missing}``, ``{section}``); ``all_severity`` when none
    is mentioned. With a ``token_key``, a section whose prose is shorter than the rule's
    option ``min-chars`` (whitespace not counted) is a token answer: that finding alone
    (field ``{length}``), the topics unchecked. ``searched_text`` may leave out passages that
    only name the topics (a list of the report's own contents).
    """

    topics: ClassVar[Sequence[Topic]]
    section: ClassVar[int | None] = None
    anchor: ClassVar[re.Pattern[str] | None] = None
    all_severity: ClassVar[Any] = None
    all_key: ClassVar[str] = "all"
    some_key: ClassVar[str] = "some"
    token_key: ClassVar[str | None] = None

    def applies(self, report: Report, context: Context) -> bool:
        return True

    def check(self, report: Report, context: Context) -> Iterator[Result]:
        if not self.applies(report, context):
            return
        prose = self.prose(report)
        if prose is None:
            return
        if self.token_key is not None:
            token = self._token(report, context, prose)
            if token is not None:
                yield token
                return
        text = self.searched_text(report, prose)
        missing = [topic for topic in self.topics if not mentions(topic.pattern, text)]
        if not missing:
            return
        line, section = self.location(report, prose)
        params = {"section": section or "", **self.params(report, context)}
        params["missing"] = listing([topic.name.as_dict() for topic in missing])
        if len(missing) == len(self.topics):
            yield self.finding(
                self.all_key, line=line, section=section, severity=self.all_severity, params=params
            )
        else:
            yield self.finding(self.some_key, line=line, section=section, params=params)

    def _token(self, report: Report, context: Context, prose: list[Prose]) -> Result | None:
        """A token answer: prose shorter than the option ``min-chars``."""
        text = SPACE.sub("", "".join(part.text for part in prose))
        if len(text) >= self.option(context, "min-chars"):
            return None
        line, section = self.location(report, prose)
        return self.finding(
            self.token_key or "token",
            line=line,
            section=section,
            evidence={"quote": text},
            params={"section": section or "", "length": len(text)},
        )

    def searched_text(self, report: Report, prose: list[Prose]) -> str:
        """The text the topics are looked for in (default: all of ``prose``)."""
        if prose is report.facts.prose:
            return report.facts.text  # the report's whole prose, joined once
        return "".join(part.text for part in prose)

    def prose(self, report: Report) -> list[Prose] | None:
        """The prose searched; None when the section is missing (GK101's finding)."""
        if self.section is None:
            return report.facts.prose
        if report.section(self.section) is None:
            return None
        return report.facts.prose_of(SectionKind(self.section))

    def params(self, report: Report, context: Context) -> dict[str, Any]:
        return {}

    def location(self, report: Report, prose: list[Prose]) -> tuple[int | None, str | None]:
        """The passage where the topics belong: a heading or paragraph led by ``anchor``."""
        if self.anchor is not None:
            lead = _anchor_lead(self.anchor)
            texts = _line_texts(report)
            for part in prose:
                for line_number in part.lines:
                    if lead.match(texts.get(line_number, "")):
                        return line_number, _heading(part)
        kind = self.section or 1
        section = report.section(kind)
        if section is not None:
            return section.line, f"{section.number}、{section.heading}"
        return report.title_line, None


# A pattern that is words and |, nothing else: 考核|考评 (no class, group, repeat or escape).
LITERAL_WORDS = re.compile(r"[^\\.^$*+?{}\[\]()|]+(?:\|[^\\.^$*+?{}\[\]()|]+)*")


def mentions(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` occurs in ``text``; a pattern of plain words is tested word by word
    with ``in``, quicker than the pattern tried at every place."""
    words = _literal_words(pattern)
    if words is None:
        return pattern.search(text) is not None
    return any(word in text for word in words)


@cache
def _literal_words(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """The words of a pattern that is plain words joined by |, else None."""
    if pattern.flags != re.UNICODE or not LITERAL_WORDS.fullmatch(pattern.pattern):
        return None
    return tuple(pattern.pattern.split("|"))


@cache
def _anchor_lead(anchor: re.Pattern[str]) -> re.Pattern[str]:
    """A heading or paragraph led by ``anchor``."""
    return re.compile(ANCHOR_LEAD + f"(?:{anchor.pattern})")


def _line_texts(report: Report) -> dict[int, str]:
    lines = report.memo("lines-by-number", lambda r: {line.number: line.text for line in r.lines})
    return lines  # type: ignore[no-any-return]



def _section_text(section: Section | None) -> str:
    return section.heading if section else ""


def _heading(prose: Prose) -> str | None:
    section = prose.section
    return f"{section.number}、{section.heading}" if section else None
