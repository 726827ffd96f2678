"""The facts of one report's prose, computed once and read by every rule (``report.facts``).

A rule asks the facts — counts stated with their subject, enumerations of parts under a total,
percentages, dates, years, citations of the Regulation and the format notices, the report's
description of its own parts, claims (未收到, 均已办结, 无收费), the fee statement, whether the
unit is a government — and never re-parses the text itself. Every fact carries the source line
it stands on and the kind of section it stands in. Numbers may be Arabic digits or Chinese
numerals (numerals.py, the one parser).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, TypeVar, overload

from gkaudit.base.numerals import NUMBER, YEAR, cn_number, cn_year, find_dates
from gkaudit.base.vocabulary import form_for
from gkaudit.model.units import GOVERNMENTS, infer_unit_type

if TYPE_CHECKING:
    from gkaudit.model.report import Report, Section, TextLine

T = TypeVar("T")


class memoized(cached_property[T]):  # a decorator, named like functools.cached_property
    """``functools.cached_property`` without its lock (Python < 3.12 takes one per first
    read, a tenth of a fact's cost): the value is computed on first read and kept in the
    instance's ``__dict__``, where later reads find it without calling the descriptor."""

    @overload  # type: ignore[override]
    def __get__(self, instance: None, owner: type | None = None) -> memoized[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | memoized[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.attrname or ""] = self.func(instance)
        return value


NEGATION = r"(?:未(?!经)|无|没有|并未|均未|尚未|不存在)"  # 未经复议 is not a negation
SENTENCE_END = re.compile(r"[。；;!?！？]")
COUNT_UNIT = r"(?:件次|件|条|个|起|宗|份|次|人次|篇|期|场|项|家)"
COUNT = re.compile(rf"(?P<n>{NUMBER})\s*(?:余)?(?P<unit>{COUNT_UNIT})(?!工作日|日|天|小时|月)")
PERCENT = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)\s*[%％]|百分之(?P<cn>[零〇一二两三四五六七八九十百点]+)"
)
REPORT_TITLE_AFTER = re.compile(r"度?[^。；《》]{0,20}?年度报告")
ENUMERATION_MARK = re.compile(r"其中[，,：:]?|包含|包括|分别为|分别是|[：:]")
YEAR_MENTION = re.compile(rf"(?P<year>{YEAR})\s*年(?!\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)")


class SectionKind(IntEnum):
    """The six sections of the national format; PREAMBLE for the text before the first."""

    PREAMBLE = 0
    OVERVIEW = 1  # 总体情况
    ACTIVE = 2  # 主动公开政府信息情况
    REQUESTS = 3  # 收到和处理政府信息公开申请情况
    REVIEW = 4  # 政府信息公开行政复议、行政诉讼情况
    PROBLEMS = 5  # 存在的主要问题及改进情况
    OTHER = 6  # 其他需要报告的事项
    UNKNOWN = 7  # a numbered section that is none of the six


@dataclass(frozen=True)
class Prose:
    """The prose of one section (table interiors left out), joined, with a way back to lines."""

    section: Section | None
    kind: SectionKind
    text: str
    starts: list[int]
    lines: list[int]

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]

    @memoized
    def sentence_ends(self) -> list[int]:
        """Where each sentence ends: the offsets just after its 。；！？ (found once)."""
        return [match.end() for match in SENTENCE_END.finditer(self.text)]

    def sentences(self) -> Iterator[tuple[int, str]]:
        """(offset, sentence) pairs, split at 。；！？."""
        start = 0
        for end in self.sentence_ends:
            yield start, self.text[start:end]
            start = end
        if start < len(self.text):
            yield start, self.text[start:]

    def sentences_with(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, str]]:
        """The (offset, sentence) pairs of ``sentences()`` that hold a match of ``pattern``, in
        order, found without splitting the rest. ``pattern`` must not match 。；！？ (a match
        then lies within one sentence) nor look around its match."""
        return self._sentences_at(match.start() for match in pattern.finditer(self.text))

    def sentences_holding(self, words: tuple[str, ...]) -> Iterator[tuple[int, str]]:
        """The (offset, sentence) pairs of ``sentences()`` that hold one of ``words`` (none
        holding 。；！？), in order."""
        found = []
        for word in words:
            at = self.text.find(word)
            while at >= 0:
                found.append(at)
                at = self.text.find(word, at + 1)
        return self._sentences_at(sorted(found))

    def _sentences_at(self, offsets: Iterable[int]) -> Iterator[tuple[int, str]]:
        """The sentences holding the (ascending) ``offsets``, each once."""
        last = -1
        for offset in offsets:
            ends = self.sentence_ends
            index = bisect_right(ends, offset)
            if index == last:
                continue
            last = index
            start = ends[index - 1] if index else 0
            yield start, self.text[start : ends[index] if index < len(ends) else len(self.text)]


@dataclass(frozen=True)
class Count:
    """A count stated in the text: ``受理…申请17件`` is 17, unit 件, subject ``受理…申请``."""

    value: int
    unit: str
    subject: str  # the words before the number, within its clause
    text: str
    line: int
    kind: SectionKind
    approximate: bool = False  # 15余条
    offset: int = 0  # where it stands in its section's prose text


@dataclass(frozen=True)
class Enumeration:
    """Parts stated under a total: ``共公开信息69条，其中政策文件12条、…``."""

    total: Count
    parts: tuple[Count, ...]
    form: str  # 其中, 包含, 包括, 分别为, 分别是, colon, list
    line: int
    kind: SectionKind


@dataclass(frozen=True)
class Percentage:
    value: float
    of: str  # what it is a share of: the words before it in its clause
    text: str
    line: int
    kind: SectionKind


@dataclass(frozen=True)
class DateFact:
    value: date | None  # None: written, but not a real date
    text: str
    line: int
    kind: SectionKind


@dataclass(frozen=True)
class YearMention:
    year: int
    context: str  # the clause it stands in
    # "report" (a report's own title), "carry-over", "as-of", "period" (it leads its line, or
    # the line's subheading, as the time of what follows: 2022年，…), "other"
    refers_to: str
    line: int
    kind: SectionKind


@dataclass(frozen=True)
class HeadCell:
    """A cell of a table's head as written (a column label, a block title), in the order of
    the text: what the form's own labels are compared with. Cells of values and row labels
    are not head cells."""

    table: str
    text: str
    line: int


@dataclass(frozen=True)
class WrittenWindow:
    """A statistics window the model could not read (``自202111日起至20211230日止``,
    ``从2023年1月1日至12月31止``).

    Each date is read when what is left of it is unambiguous: 年 may be missing
    (``20211月1日``), or all eight digits are there (``20211230日``); otherwise it is None.
    ``start_text`` is None when only an end is given (``截止日期为20251231日``).
    """

    text: str
    line: int
    start_text: str | None
    end_text: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class Citation:
    """A citation of a law or document: an order number, a document number, or a title."""

    kind: str  # "order", "document", "regulation-title", "notice-title"
    text: str
    line: int
    issuer: str | None = None  # 国办公开办函, 国办发, 国务院令
    year: int | None = None
    number: int | None = None


@dataclass(frozen=True)
class PartsDescription:
    """The report's description of its own parts: ``共分六部分：总体情况、…``."""

    stated: int | None
    listed: tuple[str, ...]
    text: str
    line: int
    open_ended: bool = False  # the list ends in 等 (…等六部分): it may name only some


@dataclass(frozen=True)
class Claim:
    """A claim the tables can confirm or contradict."""

    kind: str  # "no-requests", "all-closed", "no-fees", "no-review", "no-litigation"
    text: str
    line: int
    section: SectionKind


CLAIMS = {
    "no-requests": re.compile(
        rf"{NEGATION}[^。；;，,]{{0,8}}?(?:收到|接到|受理)[^。；;，,]{{0,12}}?(?:依申请公开|信息公开申请|政府信息公开申请|申请)"
    ),
    "all-closed": re.compile(r"(?:均已|全部|已全部)(?:按时|依法|按期)?(?:办结|答复|办理完毕)"),
    "no-fees": re.compile(r"(?:未|没有|无|不)(?:收取|收)[^。；;，,]{0,8}?(?:费|费用)|无收费"),
}
ORDER = re.compile(r"国务院令(?:（|\()?第?\s*(?P<number>\d+)\s*号")
DOCUMENT = re.compile(
    r"(?P<issuer>[\u4e00-\u9fff]{1,8})\s*[〔\[【（(]\s*(?P<year>(?:19|20)\d\d)\s*[〕\]】）)]"
    r"\s*第?(?P<number>\d{1,4})\s*号"
)
DOCUMENT_YEAR = re.compile(r"[〔\[【（(]\s*(?:19|20)\d\d\s*[〕\]】）)]")
ISSUER_START = re.compile(r"国办|国务院")
REGULATION_TITLE = re.compile(r"《(?P<title>(?:中华人民共和国)?[^《》]{0,10}?信息公开条例)》")
NOTICE_TITLE = re.compile(r"《[^《》]*?关于[^《》]*?年度报告[^《》]*?(?:通知|格式)》")
PART_COUNT = r"(?P<count>[一二三四五六七八九十\d]{1,2})个?部分"
PARTS_FORMS = (  # 共分六部分：甲、乙… / 由甲、乙…六部分组成 / …等六部分
    re.compile(
        rf"(?:共分为|共分成|共分|分为|分成|共有|共){PART_COUNT}(?:组成|构成)?[，,：:]?"
        r"(?P<list>[^。]{0,200})"
    ),
    re.compile(rf"(?:包括|包含|由|分为|分成)(?P<list>[^。：:]{{2,200}}?)(?:等|共)?{PART_COUNT}"),
    re.compile(rf"(?:等|共){PART_COUNT}"),
)
PART_COUNT_BEFORE = re.compile(r"[一二三四五六七八九十\d]个?\Z")  # before 部分 in every form
GARBLED_DATE = r"(?:19|20)\d\d\s*年?\s*\d{0,4}\s*月?\s*\d{0,2}\s*日"
GARBLED_WINDOW = re.compile(
    r"(?:统计期限|统计时限|统计时间|统计区间|统计周期)[^。\d]{0,12}?"
    rf"(?P<start>{GARBLED_DATE})\s*起?\s*(?:至|到|—|-|~|－)\s*"
    rf"(?P<end>(?:{GARBLED_DATE})|\d{{1,2}}\s*月\s*\d{{1,2}}\s*(?:日|(?=止)))"
    r"|(?:截止日期|截至日期|截止时间|截至时间)为?\s*(?P<only>" + GARBLED_DATE + ")"
)
GARBLED_PARTS = re.compile(
    r"(?P<year>(?:19|20)\d\d)\s*年?\s*(?:(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})|(?P<digits>\d*))\s*日"
)
PERIOD_AFTER = re.compile(r"度?\s*[，,]")
LINE_LEAD = re.compile(  # nothing, or a subheading: (三) 政府信息管理情况
    r"\s*(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）、.．]\s*[^，,。；\d]{0,16}?\s*)?"
)
UNIT_LINE = re.compile(r"[\u4e00-\u9fff]{2,28}(?:人民政府|办事处|局|委员会|委|办公室)")
TOWNSHIP_SELF = re.compile(r"[我本](?:镇|乡|街道)(?![长村])")
FEE_WORDS = re.compile(r"信息处理费|处理费|收费|收取[^。；]{0,8}费|费用")


@dataclass
class Facts:
    """The facts of one report; each kind computed on first use, then kept."""

    report: Report

    @memoized
    def prose(self) -> list[Prose]:
        return _prose(self.report)

    def prose_of(self, kind: SectionKind) -> list[Prose]:
        return [prose for prose in self.prose if prose.kind == kind]

    @memoized
    def text(self) -> str:
        """All the report's prose, joined."""
        return "".join(prose.text for prose in self.prose)

    @memoized
    def all_text(self) -> str:
        """Every line of the report (table rows too) joined by newlines: to learn quickly
        whether a word occurs anywhere before looking for it line by line."""
        return "\n".join([line.text for line in self.report.lines])

    @memoized
    def line_starts(self) -> list[int]:
        """Where each of ``report.lines`` starts in ``all_text``."""
        return list(accumulate([len(line.text) + 1 for line in self.report.lines[:-1]], initial=0))

    def lines_holding(self, words: tuple[str, ...]) -> list[TextLine]:
        """The report's lines that hold one of ``words`` (none holding a newline), in order."""
        text, starts, found = self.all_text, self.line_starts, set()
        for word in words:
            at = text.find(word)
            while at >= 0:
                found.add(bisect_right(starts, at) - 1)
                at = text.find(word, at + 1)
        return [self.report.lines[index] for index in sorted(found)]

    @memoized
    def unit_type(self) -> str:
        """The unit's type from its name (units.py); when the model read no name, from a
        unit's name standing on a line of its own before the first section (桃江县松木塘镇人民政府
        between two title lines); else a township that calls itself 我镇/我乡/本街道 at least
        twice in its prose."""
        named = infer_unit_type(self.report.unit or self.unit_line)
        if named != "unknown":
            return named
        return "township" if len(TOWNSHIP_SELF.findall(self.text)) >= 2 else "unknown"

    @memoized
    def unit_line(self) -> str | None:
        """A unit's name alone on a line before the first section, when the model read none."""
        if self.report.unit:
            return None
        first = min((section.line for section in self.report.sections), default=0)
        for line in self.report.lines:
            if line.number >= first:
                break
            if UNIT_LINE.fullmatch(line.text.strip()):
                return line.text.strip()
        return None

    @memoized
    def is_government(self) -> bool:
        """True when the unit is a township or county government (units.py)."""
        return self.unit_type in GOVERNMENTS

    @memoized
    def counts(self) -> list[Count]:
        return [count for prose in self.prose for count in _counts(prose, prose.text, 0)]

    @memoized
    def document_counts(self) -> list[Count]:
        """The counts stated of 规范性文件 (制定规范性文件3件): those of ``counts`` whose subject
        ends in the word, found without reading the others."""
        return [count for prose in self.prose for count in _document_counts(prose)]

    @memoized
    def enumerations(self) -> list[Enumeration]:
        return [item for prose in self.prose for item in _enumerations(prose)]

    @memoized
    def percentages(self) -> list[Percentage]:
        return [item for prose in self.prose for item in _percentages(prose)]

    @memoized
    def dates(self) -> list[DateFact]:
        return [
            DateFact(value, match.group(0), prose.line_at(match.start()), prose.kind)
            for prose in self.prose
            for value, match in find_dates(prose.text)
        ]

    @memoized
    def years(self) -> list[YearMention]:
        return [item for prose in self.prose for item in _years(prose)]

    def years_except(self, year: int) -> list[YearMention]:
        """``years`` without the mentions of ``year`` (a rule comparing the years of the text
        with the report's), the others not classified when ``years`` is not yet known."""
        if "years" in self.__dict__:
            return [mention for mention in self.years if mention.year != year]
        return [item for prose in self.prose for item in _years(prose, year)]

    @memoized
    def citations(self) -> list[Citation]:
        lines = self.lines_holding(CITATION_MARKS)
        return [item for line in lines for item in _citations(line.number, line.text)]

    @memoized
    def parts(self) -> PartsDescription | None:
        """The report's description of its own parts, the first in the text."""
        for prose in self.prose:
            if not _names_part_count(prose.text):
                continue  # every form names the count: 六部分
            found = [m for form in PARTS_FORMS if (m := form.search(prose.text))]
            if found:
                match = min(found, key=lambda m: m.start())
                listed = _listed_parts(match["list"] or "") if "list" in match.re.groupindex else ()
                open_ended = match.group(0)[: match.start("count") - match.start()].endswith("等")
                return PartsDescription(
                    cn_number(match["count"]),
                    listed,
                    match.group(0),
                    prose.line_at(match.start()),
                    open_ended,
                )
        return None

    @memoized
    def claims(self) -> list[Claim]:
        return [
            Claim(kind, match.group(0), prose.line_at(match.start()), prose.kind)
            for prose in self.prose
            for kind, pattern in CLAIMS.items()
            for match in pattern.finditer(prose.text)
        ]

    @memoized
    def head_cells(self) -> list[HeadCell]:
        """The head cells of Table A, from its first line to its last row: the lines that hold
        no value, split into cells (tab or |), row labels left out."""
        return _head_cells(self.report, "active")

    @memoized
    def written_window(self) -> WrittenWindow | None:
        """The window as written when the model could not read it (``report.window`` is None)."""
        if self.report.window is not None:
            return None
        for prose in self.prose:
            match = GARBLED_WINDOW.search(prose.text)
            if match:
                return _written_window(prose, match)
        return None

    @memoized
    def fee_statement(self) -> tuple[int, str] | None:
        """(line, sentence) of the first sentence about fees in prose, if any."""
        for prose in self.prose:
            for offset, sentence in prose.sentences():
                if FEE_WORDS.search(sentence):
                    return prose.line_at(offset), sentence
        return None


def facts_of(report: Report) -> Facts:
    """The report's facts, made once (``report.facts`` calls this)."""
    return report.memo("facts", Facts)  # type: ignore[no-any-return]


# --- prose ------------------------------------------------------------------------------------


def _prose(report: Report) -> list[Prose]:
    """One prose view per section (and one for the text before the first section).

    Lines inside a table (from its start to its last row) are left out: in text extracted
    from PDFs they are label fragments, not sentences.
    """
    groups = _prose_lines(report)
    result = []
    for index, lines in sorted(groups.items()):
        texts = [line.text for line in lines]
        starts = list(accumulate(map(len, texts[:-1]), initial=0))
        section = report.sections[index] if index >= 0 else None
        result.append(
            Prose(section, _kind(section), "".join(texts), starts, [line.number for line in lines])
        )
    return result


def _prose_lines(report: Report, by_slices: bool = True) -> dict[int, list[TextLine]]:
    """The prose lines of each section by its index (-1: before the first or between), those
    of no section left out of none. Table rows, and label fragments between them, are not
    prose; nor is a heading part of the sentence that follows it."""
    lines = report.lines
    in_order = [line.number for line in lines]
    ascending = in_order == sorted(in_order)
    numbers = in_order if ascending else sorted(set(in_order))  # for bisection
    tables = [(t.line, t.end_line) for t in report.tables.present() if t.end_line]
    skipped = _numbers_within(tables, numbers) | {section.line for section in report.sections}
    spans = [(section.line, section.end_line) for section in report.sections]
    slices = _section_slices(spans, in_order) if by_slices and ascending else None
    groups: dict[int, list[TextLine]] = {}
    if slices is not None:  # the lines ascend and no two sections overlap: cut, not sorted
        position = 0
        for low, high, index in slices:
            groups.setdefault(-1, []).extend(lines[position:low])
            groups[index] = lines[low:high]
            position = high
        groups.setdefault(-1, []).extend(lines[position:])
        kept = {
            index: [line for line in held if "\t" not in line.text and line.number not in skipped]
            for index, held in groups.items()
        }
        return {index: held for index, held in kept.items() if held}
    owner_of = _first_owner(spans, numbers)
    for line in lines:
        if "\t" in line.text or line.number in skipped:
            continue
        groups.setdefault(owner_of.get(line.number, -1), []).append(line)
    return groups


def _section_slices(
    spans: list[tuple[int, int]], in_order: list[int]
) -> list[tuple[int, int, int]] | None:
    """(low, high, index): ``lines[low:high]`` are those of ``spans[index]``, in order (the
    line numbers ``in_order`` ascend); None when two spans overlap (then lines are owned one
    by one, by the first span holding them)."""
    held = sorted((first, last, i) for i, (first, last) in enumerate(spans) if first <= last)
    slices = []
    for position, (first, last, index) in enumerate(held):
        if position and first <= held[position - 1][1]:
            return None
        low, high = bisect_left(in_order, first), bisect_right(in_order, last)
        if low < high:
            slices.append((low, high, index))
    return slices


def _numbers_within(spans: list[tuple[int, int]], numbers: list[int]) -> set[int]:
    """Those of the sorted line ``numbers`` that lie in one of the inclusive ``spans``."""
    inside: set[int] = set()
    for first, last in spans:
        inside.update(numbers[bisect_left(numbers, first) : bisect_right(numbers, last)])
    return inside


def _first_owner(spans: list[tuple[int, int]], numbers: list[int]) -> dict[int, int]:
    """Each of the sorted line ``numbers`` held by a span: the index of the first such span
    in ``spans`` (its inclusive bounds). The work is what the spans hold, never more than
    testing every span for every line."""
    owner: dict[int, int] = {}
    for index, (first, last) in enumerate(spans):
        for number in numbers[bisect_left(numbers, first) : bisect_right(numbers, last)]:
            owner.setdefault(number, index)
    return owner


def _kind(section: Section | None) -> SectionKind:
    if section is None:
        return SectionKind.PREAMBLE
    if not section.kind:
        return SectionKind.UNKNOWN
    return KINDS.get(section.kind) or SectionKind(section.kind)


KINDS = {kind.value: kind for kind in SectionKind}


# --- counts, enumerations, percentages ----------------------------------------------------------

CLAUSE_BREAK = re.compile(r"[。；;，,、：:（）()]")
SUBJECT_LEAD = re.compile(r"^(?:其中|包括|包含|分别为|分别是)")


def _subject(text: str, end: int, breaks: list[int] | None = None) -> str:
    """The words before ``end`` back to the previous clause break (其中, 包括… left out).

    ``breaks``: where each clause break of ``text`` ends (``_clause_breaks``), when known."""
    if breaks is None:
        breaks = _clause_breaks(text)
    before = bisect_right(breaks, end) - 1
    start = breaks[before] if before >= 0 else 0
    return SUBJECT_LEAD.sub("", text[start:end].strip())


def _clause_breaks(text: str) -> list[int]:
    return [match.end() for match in CLAUSE_BREAK.finditer(text)]


def _counts(prose: Prose, text: str, base: int) -> Iterator[Count]:
    breaks: list[int] | None = None
    for match in COUNT.finditer(text):
        value = cn_number(match["n"])
        if value is None or _is_year_or_date(text, match):
            continue
        if breaks is None:
            breaks = _clause_breaks(text)
        yield _count(prose, text, base, match, value, breaks)


def _count(
    prose: Prose, text: str, base: int, match: re.Match[str], value: int, breaks: list[int]
) -> Count:
    return Count(
        value,
        match["unit"],
        _subject(text, match.start(), breaks),
        match.group(0),
        prose.line_at(base + match.start()),
        prose.kind,
        "余" in match.group(0),
        base + match.start(),
    )


DOCUMENTS = "规范性文件"


def _document_counts(prose: Prose) -> Iterator[Count]:
    """The counts of ``_counts(prose, prose.text, 0)`` whose subject ends in 规范性文件, read
    only where the word stands. Such a count starts right after the word and its spaces, and
    no count of the text reaches into the word (规 is no numeral), so it is the one COUNT
    matches there."""
    text = prose.text
    breaks = None
    found = text.find(DOCUMENTS)
    while found >= 0:
        start = found + len(DOCUMENTS)
        while start < len(text) and text[start].isspace():
            start += 1
        match = COUNT.match(text, start)
        if match:
            value = cn_number(match["n"])
            if value is not None and not _is_year_or_date(text, match):
                breaks = breaks if breaks is not None else _clause_breaks(text)
                yield _count(prose, text, 0, match, value, breaks)
        found = text.find(DOCUMENTS, start)


def _is_year_or_date(text: str, match: re.Match[str]) -> bool:
    return text[match.end("n") : match.end("n") + 1] in ("年", "月") or text[
        max(0, match.start() - 1) : match.start()
    ] in ("第", "令")


def _enumerations(prose: Prose) -> Iterator[Enumeration]:
    for offset, sentence in prose.sentences():
        counts = list(_counts(prose, sentence, offset))
        if len(counts) < 3:
            continue
        total = counts[0]
        mark = ENUMERATION_MARK.search(sentence, total.offset - offset + len(total.text))
        if mark is None or offset + mark.start() > counts[1].offset:
            continue
        form = mark.group(0).rstrip("，,：:") or "colon"
        parts = tuple(part for part in counts[1:] if part.unit == total.unit)
        if len(parts) >= 2:
            yield Enumeration(total, parts, form, total.line, prose.kind)


def _percentages(prose: Prose) -> Iterator[Percentage]:
    breaks: list[int] | None = None
    for match in PERCENT.finditer(prose.text):
        if match["n"]:
            value = float(match["n"])
        else:
            number = cn_number(match["cn"].split("点")[0])
            if number is None:
                continue
            value = float(number)
        if breaks is None:
            breaks = _clause_breaks(prose.text)
        yield Percentage(
            value,
            _subject(prose.text, match.start(), breaks),
            match.group(0),
            prose.line_at(match.start()),
            prose.kind,
        )


# --- years, citations, parts ---------------------------------------------------------------------


def _years(prose: Prose, left_out: int | None = None) -> Iterator[YearMention]:
    ends: list[int] | None = None
    for match in _year_mentions(prose.text):
        year = cn_year(match["year"])
        if year is None or year == left_out:
            continue
        after = prose.text[match.end() : match.end() + 40]
        before = prose.text[max(0, match.start() - 12) : match.start()]
        if REPORT_TITLE_AFTER.match(after):
            refers = "report"
        elif CARRIED_BEFORE.search(before) or after.startswith("结转"):
            refers = "carry-over"
        elif before.endswith("截至") or before.endswith("截止"):
            refers = "as-of"
        elif PERIOD_AFTER.match(after) and _leads_its_line(prose, match.start()):
            refers = "period"
        else:
            refers = "other"
        if ends is None:
            ends = prose.sentence_ends
        yield YearMention(
            year,
            _clause(prose.text, match.start(), match.end(), ends),
            refers,
            prose.line_at(match.start()),
            prose.kind,
        )


CARRIED_BEFORE = re.compile(r"结转(?:至|到)?$")


def _year_mentions(text: str) -> Iterator[re.Match[str]]:
    """``YEAR_MENTION.finditer(text)``, found from each 年 instead of tried at every place.

    A mention is four year characters, spaces, and its 年: it starts before the spaces before
    a 年, and no two mentions overlap (a year holds no 年)."""
    found = text.find("年")
    while found >= 0:
        start = found - 4
        while start >= 0 and text[start + 3].isspace():
            start -= 1  # ``\s*`` before 年: str.isspace is the class re's \s tests
        if start >= 0:
            match = YEAR_MENTION.match(text, start)
            if match and match.end() == found + 1:
                yield match
        found = text.find("年", found + 1)


CELL_SPLIT = re.compile(r"\t|\s*[|｜]\s*")
VALUE = re.compile(r"[-—–/／\d.．,，\s]*")


def _head_cells(report: Report, name: str) -> list[HeadCell]:
    table = getattr(report.tables, name)
    if table is None or not table.end_line:
        return []
    value_lines = {cell.line for row in table.rows.values() for cell in row.cells if cell.line}
    first, last = table.line, table.end_line
    cells = []
    for number, line_text, _ in report.lines:
        if not first <= number <= last or number in value_lines:
            continue
        for part in CELL_SPLIT.split(line_text):
            text = part.strip()
            if text and _is_head_text(name, table.template, text):
                cells.append(HeadCell(name, text, number))
    return cells


@lru_cache(maxsize=8192)
def _is_head_text(name: str, template: str, text: str) -> bool:
    """Whether a cell's text is the table's head: no value, no row label of its form.
    (Head cells repeat from report to report: the answer is kept.)"""
    return not VALUE.fullmatch(text) and form_for(name, template).classify(text) is None


def _leads_its_line(prose: Prose, offset: int) -> bool:
    """Whether only a subheading ((三) 政府信息管理情况) stands before ``offset`` on its line."""
    line_start = prose.starts[max(0, bisect_right(prose.starts, offset) - 1)]
    return LINE_LEAD.fullmatch(prose.text[line_start:offset]) is not None


def _clause(text: str, start: int, end: int, ends: list[int] | None = None) -> str:
    """The sentence around ``text[start:end]``; ``ends``: where each sentence of ``text``
    ends (``_sentence_ends``), when known."""
    if ends is None:
        ends = _sentence_ends(text)
    before = bisect_right(ends, start) - 1
    after = bisect_right(ends, end)
    left = ends[before] if before >= 0 else 0
    return text[left : ends[after] if after < len(ends) else len(text)]


def _sentence_ends(text: str) -> list[int]:
    return [match.end() for match in SENTENCE_END.finditer(text)]


CITATION_MARKS = ("号", "《")  # one of them stands in every citation


def _citations(line: int, text: str) -> Iterator[Citation]:
    # Every pattern needs 号 (orders, documents) or 《 (titles): most lines are skipped unsearched.
    if "号" in text:
        yield from _numbered_citations(line, text)
    if "《" in text:
        yield from _title_citations(line, text)


def _numbered_citations(line: int, text: str) -> Iterator[Citation]:
    if "国务院令" in text:
        for match in ORDER.finditer(text):
            yield Citation("order", match.group(0), line, "国务院令", None, int(match["number"]))
    if not DOCUMENT_YEAR.search(text):
        return  # no bracketed year: no document number (DOCUMENT holds one)
    for match in DOCUMENT.finditer(text):
        found = ISSUER_START.search(match["issuer"])  # 根据国办公开办函… : from 国办 on
        skip = found.start() if found else 0
        yield Citation(
            "document",
            match.group(0)[skip:],
            line,
            match["issuer"][skip:],
            int(match["year"]),
            int(match["number"]),
        )


def _title_citations(line: int, text: str) -> Iterator[Citation]:
    for match in REGULATION_TITLE.finditer(text):
        yield Citation("regulation-title", match.group(0), line)
    for match in NOTICE_TITLE.finditer(text):
        yield Citation("notice-title", match.group(0), line)


def _names_part_count(text: str) -> bool:
    """Whether ``text`` names a number of parts (六部分, 6个部分), as every PARTS_FORMS does."""
    found = text.find("部分")
    while found >= 0:
        if PART_COUNT_BEFORE.search(text, max(0, found - 2), found):
            return True
        found = text.find("部分", found + 1)
    return False


def _listed_parts(text: str) -> tuple[str, ...]:
    """The part names listed after ``共分六部分：``, split at 、，；."""
    text = re.split(r"[。]|(?:现将|特此|本报告中)", text)[0]
    items = [item.strip(" “”\"'（）()") for item in re.split(r"[、，,；;]", text)]
    return tuple(item for item in items if 2 <= len(item) <= 30 and not item.isdigit())


def _written_window(prose: Prose, match: re.Match[str]) -> WrittenWindow:
    start_text = match["start"]
    end_text = match["end"] or match["only"]
    start = _garbled_date(start_text, None) if start_text else None
    end = _garbled_date(end_text, start.year if start else None)
    begin = match.start("start") if start_text else match.start("only")
    return WrittenWindow(
        prose.text[begin : match.end()], prose.line_at(begin), start_text, end_text, start, end
    )


def _garbled_date(text: str, year: int | None) -> date | None:
    """A date from what is left of it; None when the digits allow more than one reading."""
    parts = GARBLED_PARTS.fullmatch(re.sub(r"\s+", "", text))
    if parts is None:
        short = re.fullmatch(r"(\d{1,2})月(\d{1,2})日?", re.sub(r"\s+", "", text))
        return _date(year, short[1], short[2]) if short and year else None
    if parts["month"]:
        return _date(int(parts["year"]), parts["month"], parts["day"])
    digits = parts["digits"]
    if len(digits) == 4:  # every digit there: MMDD
        return _date(int(parts["year"]), digits[:2], digits[2:])
    return None  # 202411日: 年 and 月 lost, more than one reading


def _date(year: int | None, month: str, day: str) -> date | None:
    try:
        return date(year, int(month), int(day)) if year else None
    except ValueError:
        return None
