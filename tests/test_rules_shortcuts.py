"""Rules' shortcuts give what the plain way gives: the passages a rule skips or narrows to
hold no finding (rules/*.py)."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from gkaudit.check.families import _literal_words, mentions
from gkaudit.model.facts import SENTENCE_END
from gkaudit.rules import gk402_text_arithmetic as gk402
from gkaudit.rules import gk504_overview_topics as gk504
from gkaudit.rules import gk506_template_leftovers as gk506
from gkaudit.rules import gk508_prose_hygiene as gk508

WORDS = ["主动公开", "依申请", "信息管理", "平台", "监督", "包括", "全文", "等方面", "。", "；", "！",
         "其中", "分别为", "3条", "：", ":", "件：", "XX", "×", "填写", "具体", "【模板】", "的", " ",
         "?", ";", "？", "!", "201X年", "(请填写单位)", "[bookmark: _GoBack]", "（具体网址）", "政府信息公开工作年度报告格式", "“", "”"]
texts = st.lists(st.sampled_from(WORDS), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
@example("全文包括主动公开、依申请公开、平台建设、监督保障。本年主动公开信息12条")
def test_overview_without_enumerations_is_the_filtered_sentences(text):
    plain = "".join(s for s in SENTENCE_END.split(text) if not gk504._enumeration(s))
    assert gk504._without_enumerations(text) == plain


@settings(max_examples=300, deadline=None)
@given(texts)
@example("收到申请3件：其中予以公开2件")
def test_breakdown_triggers_are_those_of_the_lookbehind_pattern(text):
    units = gk402.UNITS.replace("|", "")
    plain = re.compile(rf"其中|包含|包括|分别为|分别是|(?<=[{units}])[：:]")
    assert [m.span() for m in gk402.BREAKDOWN.finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]


@settings(max_examples=300, deadline=None)
@given(texts | st.text(max_size=30))
def test_a_line_with_a_template_leftover_holds_one_of_the_rules_words(text):
    if gk506.LEFTOVERS.search(text):
        assert any(word in text for word in gk506.WORDS)
        assert gk506.SUSPECT.search(text)


def test_the_marks_a_sentence_ends_at_are_those_the_facts_split_at():
    assert SENTENCE_END.pattern == f"[{gk504.SENTENCE_MARKS}]"


@settings(max_examples=300, deadline=None)
@given(texts)
def test_quote_marks_are_those_a_pattern_finds(text):
    plain = [(m.start(), m.group()) for m in re.finditer("[“”]", text)]
    assert gk508._quote_marks(text) == plain


@settings(max_examples=300, deadline=None)
@given(texts)
@example("共3条：其中1条包括2件：分别为、分别是:其中")
def test_breakdowns_found_by_their_words_are_the_patterns_matches(text):
    found = [m.span() for m in gk402._breakdowns(text)]
    assert found == [m.span() for m in gk402.BREAKDOWN.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(["考核|考评|绩效评估", "主动公开", "依申请|公开申请", "a.b", "包括|全文"]))
def test_a_topic_is_mentioned_where_its_pattern_matches(text, pattern):
    compiled = re.compile(pattern)
    assert mentions(compiled, text) == bool(compiled.search(text))


def test_only_patterns_of_plain_words_are_tested_word_by_word():
    assert _literal_words(re.compile("考核|考评")) == ("考核", "考评")
    for pattern in (r"a.b", r"(x)", r"a\|b", r"x{2}", "[a]", "a|", r"\s"):
        assert _literal_words(re.compile(pattern)) is None
    assert _literal_words(re.compile("abc", re.IGNORECASE)) is None
