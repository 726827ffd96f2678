"""The facts layer's shortcuts give what the plain way gives (gkaudit/model/facts.py).

Each shortcut (a year found from its 年, sentences found from a match, a clause's bounds by
bisection, the counts of 规范性文件 read where the word stands, line owners from a table) is
compared with the plain computation it replaces, on random text and on the corpus.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gkaudit import parse_text
from gkaudit.base.errors import GkauditError
from gkaudit.model import facts
from gkaudit.model.facts import (
    CLAUSE_BREAK,
    PARTS_FORMS,
    SENTENCE_END,
    SUBJECT_LEAD,
    YEAR_MENTION,
    Prose,
    SectionKind,
)
from gkaudit.model.report import TextLine

CORPUS = sorted((Path(__file__).parent / "data" / "corpus").glob("*.txt"))
# Characters the patterns turn on, and some that they do not.
ALPHABET = "20194一二〇九年月日 \u3000\t。；，、：规范性文件制定共3件六个部分收到申请其中,!？的"
FRAGMENTS = ["2023年", "二〇二三年", "2024", "年", " ", "\u3000", "12月31日", "规范性文件", "3件",
             "十二件", "六部分", "6个部分", "共分", "。", "；", "，", "其中", "收到申请", "第", "20"]
texts = st.text(alphabet=ALPHABET, max_size=80) | st.lists(
    st.sampled_from(FRAGMENTS) | st.text(alphabet=ALPHABET, max_size=3), max_size=20
).map("".join)


def prose_of(text: str) -> Prose:
    return Prose(None, SectionKind.OVERVIEW, text, [0], [1])


def spans(matches) -> list[tuple[int, int]]:
    return [match.span() for match in matches]


@settings(max_examples=400, deadline=None)
@given(texts)
@example("2023 年、二〇二三\u3000 年12月31日，2024年 12月31日止 20 24年")
def test_years_found_from_their_nian_are_those_the_pattern_finds(text):
    assert spans(facts._year_mentions(text)) == spans(YEAR_MENTION.finditer(text))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_a_part_count_is_named_where_a_parts_form_could_match(text):
    could = any(form.search(text) for form in PARTS_FORMS)
    assert facts._names_part_count(text) >= could  # never skips a text a form matches
    assert facts._names_part_count(text) == bool(re.search(r"[一二三四五六七八九十\d]个?部分", text))


@settings(max_examples=400, deadline=None)
@given(texts, st.sampled_from(["申请", "其中", "年", "收到|规范性文件"]))
def test_sentences_with_a_match_are_the_sentences_holding_one(text, words):
    pattern = re.compile(words)
    prose = prose_of(text)
    expected = [(o, s) for o, s in prose.sentences() if pattern.search(s)]
    assert list(prose.sentences_with(pattern)) == expected


@settings(max_examples=400, deadline=None)
@given(texts, st.data())
def test_clause_and_subject_by_bisection_match_the_scan(text, data):
    end = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(0, end))
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right = SENTENCE_END.search(text, end)
    assert facts._clause(text, start, end) == text[left : right.end() if right else len(text)]
    begin = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, end)), default=0)
    assert facts._subject(text, end) == SUBJECT_LEAD.sub("", text[begin:end].strip())


@settings(max_examples=400, deadline=None)
@given(texts)
@example("制定规范性文件 3件，废止规范性文件2023年，现行有效规范性文件十二件。规范性文件第3件")
def test_document_counts_are_the_counts_of_documents(text):
    prose = prose_of(text)
    counts = [c for c in facts._counts(prose, text, 0) if c.subject.endswith("规范性文件")]
    assert list(facts._document_counts(prose)) == counts


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=5),
    st.lists(st.integers(0, 40), max_size=20),
)
def test_line_owners_and_interiors_are_those_a_scan_finds(spans_, lines):
    numbers = sorted(set(lines))
    owners = facts._first_owner(spans_, numbers)
    inside = facts._numbers_within(spans_, numbers)
    for number in numbers:
        plain = next((i for i, (a, b) in enumerate(spans_) if a <= number <= b), -1)
        assert owners.get(number, -1) == plain
        assert (number in inside) == any(a <= number <= b for a, b in spans_)


@pytest.mark.parametrize("path", CORPUS, ids=[path.stem for path in CORPUS])
def test_corpus_facts_by_shortcut_equal_the_plain_ones(path):
    try:
        report = parse_text(path.read_text("utf-8"))
    except GkauditError:
        pytest.skip("not a report")
    known = report.facts
    year = report.year or 2024
    others = known.years_except(year)  # before ``years``: the mentions of ``year`` unread
    assert others == [mention for mention in known.years if mention.year != year]
    documents = [c for c in known.counts if c.subject.endswith("规范性文件")]
    assert known.document_counts == documents
    for prose in known.prose:
        assert spans(facts._year_mentions(prose.text)) == spans(YEAR_MENTION.finditer(prose.text))


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=8), st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3))
def test_lines_holding_a_word_are_those_a_scan_finds(lines, words):
    report = SimpleNamespace(lines=[TextLine(n * 2 + 1, text) for n, text in enumerate(lines)])
    found = facts.Facts(report).lines_holding(tuple(words))  # type: ignore[arg-type]
    assert found == [line for line in report.lines if any(w in line.text for w in words)]


@settings(max_examples=300, deadline=None)
@given(texts, st.lists(st.sampled_from(["申请", "其中", "年", "收到", "规范性文件", "件"]), max_size=3))
def test_sentences_holding_a_word_are_the_sentences_holding_one(text, words):
    prose = prose_of(text)
    expected = [(o, s) for o, s in prose.sentences() if any(w in s for w in words)]
    assert list(prose.sentences_holding(tuple(words))) == expected


def plain_prose_lines(report) -> dict[int, list]:
    """The grouping as first written: a scan of every span for every line."""
    bounds = [(s.line, s.end_line) for s in report.sections]
    interiors = [(t.line, t.end_line) for t in report.tables.present() if t.end_line]
    headings = {s.line for s in report.sections}
    groups: dict[int, list] = {}
    for line in report.lines:
        if "\t" in line.text or any(a <= line.number <= b for a, b in interiors):
            continue
        if line.number in headings:
            continue
        index = next((i for i, (a, b) in enumerate(bounds) if a <= line.number <= b), -1)
        groups.setdefault(index, []).append(line)
    return groups


bounds = st.tuples(st.integers(0, 30), st.integers(0, 30))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.booleans()), max_size=25),
    st.lists(bounds, max_size=6),
    st.lists(bounds, max_size=3),
    st.booleans(),
)
def test_prose_lines_by_slices_or_one_by_one_are_the_plain_grouping(lines, sections, tables, ascend):
    numbers = sorted(n for n, _ in lines) if ascend else [n for n, _ in lines]
    report = SimpleNamespace(
        lines=[TextLine(n, "a\tb" if tab else f"句{n}") for n, (_, tab) in zip(numbers, lines, strict=True)],
        sections=[SimpleNamespace(line=a, end_line=b) for a, b in sections],
        tables=SimpleNamespace(
            present=lambda: [SimpleNamespace(line=a, end_line=b) for a, b in tables]
        ),
    )
    plain = plain_prose_lines(report)
    assert facts._prose_lines(report) == plain  # type: ignore[arg-type]
    assert facts._prose_lines(report, by_slices=False) == plain  # type: ignore[arg-type]
