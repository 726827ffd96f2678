"""Property tests: a report re-laid out still parses to the same model; nothing else ever raises."""

from __future__ import annotations

import contextlib
import os
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkaudit import GkauditError, parse_bytes, parse_text
from gkaudit.model.report import Report

from conftest import SEEDS
from layouts import encode, render, seed_blocks, split_at
from test_layouts import READABLE_TODAY  # every layout of issue 8 is in test_layouts

SETTINGS = settings(
    max_examples=int(os.environ.get("GKAUDIT_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@cache
def expected(name: str) -> dict:
    return essence(parse_text(SEEDS[name].read_text("utf-8")))


def essence(report: Report) -> dict:
    """The model without line numbers and raw text, which a re-layout legitimately changes."""
    data = report.to_dict()
    data["sections"] = [(s["number"], s["heading"], s["kind"]) for s in data["sections"]]
    window = data["window"]
    data["window"] = (window["text"], window["start"], window["end"])
    del data["path"], data["title"]
    data["problems"] = sorted(p.kind for p in report.problems)
    return data


@SETTINGS
@given(
    name=st.sampled_from(sorted(SEEDS)),
    layout=st.sampled_from(READABLE_TODAY),
    page_numbers=st.booleans(),
    cuts=st.lists(st.integers(1, 12), max_size=3),
)
def test_relayout_gives_the_same_model_and_the_same_problems(name, layout, page_numbers, cuts):
    """Beyond test_layouts: the parser's problems (not only the model) survive a re-layout."""
    text = render(
        seed_blocks(SEEDS[name].stem),
        layout,
        page_numbers=page_numbers,
        split=lambda label: split_at(label, cuts),
    )
    assert essence(parse_bytes(encode(text))) == expected(name)


FRAGMENTS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "3、收到和处理政府信息公开申请情况",
    "四、结转下年度继续办理\t0\t0",
    "第二十条第（一）项",
    "(本列数据的勾稽关系为：第一项加第二项之和)",
    "行政复议\t行政诉讼",
    "规章\t0\t0\t0",
    "(七) 总计\t1\t0\t0\t0\t0\t0\t1",
    "0\t0\t0\t0\t0",
    "\t0",
    "\t商业",
    "企业",
    "（一）主动公开",
    "2025年1月14日",
    "某某乡人民政府2024年政府信息公开工作年度报告",
    "年度报告",
    "| 行政许可 | 3 |",
    "|---|---|",
    "- 4 -",
    "",
]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=60))
def test_any_arrangement_of_report_fragments_parses_or_fails_cleanly(parts):
    with contextlib.suppress(GkauditError):
        parse_text("\n".join(parts))


@SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_text_raises_only_gkaudit_errors(text):
    with contextlib.suppress(GkauditError):
        parse_text(text)


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_gkaudit_errors(data):
    with contextlib.suppress(GkauditError):
        parse_bytes(data)


_HEAD_PIECES = ["申", "请", "人", "自然人", "勾", "第二", "十条", "行政", "复议", "本年新收", " ", "x"]
_BREAKS = ["\n", "\r\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"]


@given(st.lists(st.sampled_from(_HEAD_PIECES + _BREAKS), max_size=40))
def test_one_search_of_the_text_finds_every_line_a_head_word_stands_on(parts):
    """The layout step searches the whole text once for the words of a table head: every line
    whose own search finds one must be among the lines it returns, whatever the line breaks."""
    from gkaudit.read.layout import _HEAD_HINT, _hinted_lines

    text = "".join(parts)
    hinted = _hinted_lines(text)
    for number, line in enumerate(text.splitlines(), start=1):
        if _HEAD_HINT.search(line):
            assert number in hinted
