"""Reading the tables as the form: rows known by place, digits that ran together, and the words
of every problem message (never a canonical key)."""

import re

import pytest

from gkaudit import parse_text
from gkaudit.base.vocabulary import REQUESTS_2021, REVIEW_KEYS, row_name
from gkaudit.model.messages import PROBLEMS, describe
from gkaudit.model.report import Problem

LABELS = [row.name.zh.split(" ")[-1] for row in REQUESTS_2021.rows]  # 1.属于国家秘密 …


def crawled_report(rows: dict[str, str]) -> str:
    """A report whose Table B lost its separators, as crawled pages do: each row's label and its
    digits on one line (a row given in ``rows`` as tab-separated values keeps its tabs)."""
    lines = ["某镇人民政府2024年政府信息公开工作年度报告", "一、总体情况", "全年工作有序开展。",
             "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "申请人情况"]  # fmt: skip
    for row, label in zip(REQUESTS_2021.rows, LABELS, strict=True):
        value = rows.get(row.key, "0000000")
        lines.append(f"{label}\t{value}" if "\t" in value else f"{label}{value}")
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n"


def test_run_together_digits_with_one_reading_are_read():
    report = parse_text(crawled_report({"new": "21710000218", "granted": "21710000218",
                                        "total": "21710000218"}))  # fmt: skip
    requests = report.tables.requests
    assert requests.values("new") == [217, 1, 0, 0, 0, 0, 218]
    assert requests.values("total") == [217, 1, 0, 0, 0, 0, 218]
    assert requests.values("carried_forward") == [0] * 7
    assert requests.status == "whole"


def test_the_identities_decide_between_readings():
    # 110000011 reads as 1|10|0|0|0|0|11 or 11|0|0|0|0|0|11; the total row, written with tabs,
    # and identity 1 (new + carried over = total + carried forward) leave only the second.
    report = parse_text(crawled_report({"new": "110000011", "granted": "11\t0\t0\t0\t0\t0\t11",
                                        "total": "11\t0\t0\t0\t0\t0\t11"}))  # fmt: skip
    assert report.tables.requests.values("new") == [11, 0, 0, 0, 0, 0, 11]


def test_digits_with_several_readings_are_unread_never_guessed():
    report = parse_text(crawled_report({"new": "110000011", "granted": "110000011",
                                        "total": "110000011"}))  # fmt: skip
    requests = report.tables.requests
    for key in ("new", "granted", "total"):
        assert requests.values(key) is None
    problems = [p for p in report.problems if p.kind == "run-together"]
    assert {p.params["row"] for p in problems} == {"new", "granted", "total"}
    assert "有2种读法" in describe(problems[0], "zh")
    assert requests.status == "partial"


def test_a_row_without_its_label_is_placed_only_when_its_place_is_certain():
    text = crawled_report({})
    garbled = text.replace("1.属于国家秘密0000000", "1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0")
    garbled = garbled.replace("2.其他法律行政法规禁止公开0000000", "\t4\t0\t0\t0\t0\t0\t4")
    report = parse_text(garbled)
    assert report.tables.requests.values("denied_2") == [4, 0, 0, 0, 0, 0, 4]
    placed = [p for p in report.problems if p.kind == "placed-by-position"]
    assert [p.params["row"] for p in placed] == ["denied_2"]
    # Two unlabelled rows where the form has one: neither is placed.
    twice = garbled.replace("\t4\t0\t0\t0\t0\t0\t4", "\t4\t0\t0\t0\t0\t0\t4\n\t5\t0\t0\t0\t0\t0\t5")
    report = parse_text(twice)
    assert report.tables.requests.values("denied_2") is None
    assert [p.kind for p in report.problems].count("unplaced-row") == 2


# A canonical key or Python name in a message: any Latin word in a Chinese message; a
# snake_case identifier in an English one (plain words such as "total" are English there).
LEAKED = {"zh": re.compile(r"[A-Za-z_]{3,}"), "en": re.compile(r"\b[a-z]+_[a-z0-9_]+\b")}


@pytest.mark.parametrize("kind", sorted(PROBLEMS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_problem_messages_name_rows_as_the_form_prints_them(kind, lang):
    params = {"table": "requests", "row": "carried_forward", "key": "x", "found": 2,
              "expected": 7, "first": 3, "label": "", "values": "1 2", "digits": "110000011",
              "readings": 2, "text": "2024年"}  # fmt: skip
    message = describe(Problem(kind, 1, params), lang)
    assert not LEAKED[lang].search(message), message


def test_row_names_cover_every_row_of_the_form():
    for row in REQUESTS_2021.rows:
        assert row_name("requests", row.key).zh == row.name.zh
    assert [row_name("review", key).en for key in REVIEW_KEYS] == [
        "administrative review", "litigation without review", "litigation after review"]  # fmt: skip
