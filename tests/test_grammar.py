"""Awkward cases of the report structure, each on a small edit of a real seed."""

import pytest

from gkaudit import NotAReportError, parse_text
from gkaudit.model.report import REQUEST_KEYS

from conftest import SEEDS

SEED = SEEDS["002"].read_text("utf-8")  # tab layout, non-zero cells


def edited(old: str, new: str, text: str = SEED) -> str:
    assert old in text, old
    return text.replace(old, new)


def kinds(report) -> list[tuple[str, dict]]:
    return [(p.kind, p.params) for p in report.problems]


def test_row_labels_that_look_like_headings_stay_in_table_b():
    report = parse_text(SEED)
    assert [s.number for s in report.sections] == list("一二三四五六")
    assert report.tables.requests.values("carried_forward") == [0] * 7


def test_arabic_numbered_heading_is_a_section():
    report = parse_text(
        edited("三、收到和处理政府信息公开申请情况", "3、收到和处理政府信息公开申请情况")
    )
    assert [(s.number, s.ordinal, s.kind) for s in report.sections][2] == ("3", 3, 3)


def test_long_numbered_body_lines_are_not_headings():
    text = edited("没有其他", "x") if "没有其他" in SEED else SEED
    text = text.replace(
        "2024年度无收取信息处理费情况",
        "1、按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》规定，2024年度无收取信息处理费情况",
    )
    assert len(parse_text(text).sections) == 6


def test_heading_with_its_text_on_the_same_line():
    text = edited(
        "五、存在的主要问题及改进情况\n\n(一) 存在的主要问题:",
        "五、存在的主要问题及改进情况：部分问题如下。",
    )
    report = parse_text(text)
    assert report.section(5).line == 84


def test_eighth_subtotal_column_is_recognised_and_kept_apart():
    text = SEED
    for key_label, values in [
        ("一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2\t", "2\t1\t0\t1\t0\t0\t2\t4"),
    ]:
        text = edited(key_label, key_label.split("\t")[0] + "\t\t" + values + "\t", text)
    report = parse_text(text)
    assert report.tables.requests.values("new") == [2, 1, 0, 1, 0, 0, 4]
    assert report.tables.requests.subtotals["new"].value == 2


def test_template_2019_is_detected():
    text = edited(
        "本年制发件数\t本年废止件数\t现行有效件数", "本年新制作数量\t本年新公开数量\t对外公开总数量"
    )
    assert parse_text(text).template == "2019"
    assert parse_text(SEED).template == "2021"


def test_old_single_other_row_counts_as_other_3():
    text = edited(
        "\t3. 其他\t0\t0\t0\t0\t0\t0\t0\t",
        "",
        edited(
            "\t2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\t\n",
            "",
            edited(
                "(六) 其他处理\t1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "(六) 其他处理",
            ),
        ),
    )
    report = parse_text(text)
    assert report.tables.requests.values("other_3") == [0] * 7
    assert ("old-other-row", {"label": "(六)其他处理"}) in kinds(report)
    assert {p.params.get("row") for p in report.problems if p.kind == "row-missing"} == {
        "other_1",
        "other_2",
    }


@pytest.mark.parametrize("placeholder", ["", "/", "—", "-", "无"])
def test_blank_and_placeholder_cells_are_none_never_zero(placeholder):
    report = parse_text(edited("行政处罚\t5\t\t", f"行政处罚\t{placeholder}\t\t"))
    assert report.tables.active.values("penalty") == [None]
    text = edited(
        "二、上年结转政府信息公开申请数量\t\t0\t0",
        f"二、上年结转政府信息公开申请数量\t\t{placeholder}\t0",
    )
    assert report.tables.requests.values("carried_over") == [0] * 7
    assert parse_text(text).tables.requests.values("carried_over")[0] is None


def test_negative_and_decimal_values_are_kept_as_written():
    text = edited("行政事业性收费\t0\t\t", "行政事业性收费\t12.35\t\t")
    text = edited("行政处罚\t5\t\t", "行政处罚\t-5\t\t", text)
    report = parse_text(text)
    assert report.tables.active.values("fees") == [12.35]
    assert report.tables.active.values("penalty") == [-5]


def test_label_alone_means_blank_cells():
    report = parse_text(edited("行政强制\t0\t\t", "行政强制\t\t\t"))
    row = report.tables.active.rows["enforcement"]
    assert row.values == [None] and row.line == 41


def test_duplicate_row_is_reported_once_and_first_wins():
    text = edited("行政强制\t0\t\t", "行政强制\t0\t\t\n行政强制\t9\t\t")
    report = parse_text(text)
    assert report.tables.active.values("enforcement") == [0]
    assert ("duplicate-row", {"table": "active", "row": "enforcement", "first": 41}) in kinds(
        report
    )


def test_row_width_problem_leaves_the_row_unread():
    report = parse_text(edited("规章\t0\t0\t0", "规章\t0\t0"))
    assert report.tables.active.values("regulations") is None
    assert (
        "row-width",
        {"table": "active", "row": "regulations", "found": 2, "expected": 3},
    ) in kinds(report)


def test_table_c_with_wrong_count_is_reported():
    report = parse_text(
        edited("0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0", "0\t0\t0\t0\t0\t0\t0")
    )
    assert ("review-count", {"table": "review", "found": 7, "expected": 15}) in kinds(report)


def test_table_c_as_three_labelled_rows():
    text = edited(
        "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
        "行政复议\t1\t0\t0\t0\t1\n未经复议直接起诉\t0\t0\t0\t2\t2\n复议后起诉\t0\t1\t0\t0\t1",
    )
    review = parse_text(text).tables.review
    assert review.values("review") == [1, 0, 0, 0, 1]
    assert review.values("litigation_direct") == [0, 0, 0, 2, 2]
    assert review.values("litigation_after_review") == [0, 1, 0, 0, 1]


def test_window_variants():
    base = SEED.replace(
        "大峪镇人民政府 2024 年政府信息公开工作年度报告",
        "大峪镇人民政府 2024 年政府信息公开工作年度报告\n{w}",
    )
    cases = {
        "本报告所列数据统计期限自2024年1月1日起至2024年12月31日止。": ("2024-01-01", "2024-12-31"),
        "所列数据的统计时限为 2024 年 1 月 1 日到 12 月 31 日": ("2024-01-01", "2024-12-31"),
        "数据统计期限为2023年1月1日至2024年6月30日": ("2023-01-01", "2024-06-30"),
    }
    for sentence, (start, end) in cases.items():
        window = parse_text(base.format(w=sentence)).window
        assert (window.start.isoformat(), window.end.isoformat()) == (start, end), sentence
        assert window.line == 4


def test_invalid_window_date_is_kept_as_written_and_reported():
    text = SEED.replace("现将本年度", "统计期限为2024年2月30日至2024年12月31日。现将本年度")
    report = parse_text(text)
    assert report.window.text == "2024年2月30日至2024年12月31日" and report.window.start is None
    assert report.problems[-1].kind == "window-invalid"


def test_signature_date_at_the_end():
    report = parse_text(SEED + "\n\n大峪镇人民政府\n2025年1月20日\n")
    assert report.signature_date.isoformat() == "2025-01-20" and report.signature_line == 99


def test_unit_and_year_from_the_title_forms():
    for title, unit, year in [
        ("2025年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2025),
        ("获嘉县史庄镇2024年政府信息公开工作年度报告", "获嘉县史庄镇", 2024),
        ("策勒乡人民政府2024年度政府信息公开工作年度报告", "策勒乡人民政府", 2024),
    ]:
        report = parse_text(edited("大峪镇人民政府 2024 年政府信息公开工作年度报告", title))
        assert (report.unit, report.year) == (unit, year)


def test_two_line_title():
    report = parse_text(
        edited(
            "大峪镇人民政府 2024 年政府信息公开工作年度报告",
            "大峪镇人民政府2024年度政府信息公开工作\n年度报告",
        )
    )
    assert report.title == "大峪镇人民政府2024年度政府信息公开工作 年度报告"
    assert report.unit == "大峪镇人民政府"


def test_report_without_tables_parses_with_problems():
    text = SEED[: SEED.index("二、主动公开政府信息情况")]
    report = parse_text(text)
    assert not report.tables.present()
    assert {p.params["table"] for p in report.problems} == {"active", "requests", "review"}


def test_not_a_report():
    with pytest.raises(NotAReportError):
        parse_text("会议纪要\n今天开会讨论了三件事。\n")


def test_every_request_row_is_found_on_its_own_line():
    rows = parse_text(SEED).tables.requests.rows
    assert set(rows) == set(REQUEST_KEYS)
    assert len({row.line for row in rows.values()}) == len(REQUEST_KEYS)


def test_a_second_title_line_after_preamble_text():
    # LALR state merging once made the lexer offer TITLE where the parser refused it.
    text = (
        "正文\n甲局2023年政府信息公开年度报告\n正文\n甲局2023年政府信息公开年度报告\n一、总体情况\n"
    )
    report = parse_text(text + "甲局2023年政府信息公开年度报告\n二、主动公开政府信息情况\n")
    assert report.unit == "甲局" and report.title_line == 2


TOKEN_KINDS = [
    "TEXT", "ROW", "LABEL_ROW", "VALUES", "SUBHEADING", "DATE_LINE", "SECTION_HEADING", "ACTIVE_HEAD", "REQUESTS_HEAD", "REVIEW_HEAD", "REGULATIONS", "FEES",
    "PROCUREMENT", "NEW", "OTHER_2019", "TOTAL", "CARRIED_FORWARD", "REVIEW", "LITIGATION_DIRECT",
]  # fmt: skip


def test_the_grammar_accepts_every_sequence_of_three_token_kinds():
    """Any order of paragraphs and rows parses: the grammar never rejects a document (what
    does not fit the form becomes a located problem, not a parse error)."""
    from itertools import product

    from lark import Token

    from gkaudit.parse.parser import report_parser

    heads = {"REGULATIONS": "ACTIVE", "FEES": "ACTIVE", "PROCUREMENT": "ACTIVE",
             "NEW": "REQUESTS", "OTHER_2019": "REQUESTS", "TOTAL": "REQUESTS",
             "CARRIED_FORWARD": "REQUESTS", "REVIEW": "REVIEW", "LITIGATION_DIRECT": "REVIEW"}
    parser = report_parser()
    for kinds in product(TOKEN_KINDS, repeat=3):
        # The lexer names a row after the form only inside its table: after the table's head.
        body = [token for kind in kinds for token in
                ([f"{heads[kind]}_HEAD", kind] if kind in heads else [kind])]  # fmt: skip
        for start in ([], ["TITLE"], ["TITLE", "TITLE_TAIL"]):  # the lexer's only title forms
            stream = [*start, *body]
            parser.parse([Token(kind, "x", line=i + 1, column=1) for i, kind in enumerate(stream)])


def test_every_declared_token_is_a_row_or_line_of_the_grammar():
    import re

    from gkaudit.base.resources import grammar_text

    declared = set(" ".join(re.findall(r"(?m)^%declare (.*)$", grammar_text("report"))).split())
    assert set(TOKEN_KINDS) <= declared
    assert {"DENIED_8", "NOT_PROCESSED_5", "LITIGATION_AFTER_REVIEW", "OTHER_SERVICES"} <= declared


def test_the_lexers_tokens_are_lark_tokens_in_every_attribute():
    """The lexer makes its tokens without lark's constructor: each must equal what
    ``Token(type, value, start_pos, line, column)`` makes, in every attribute lark has."""
    from lark import Token

    from gkaudit.parse.lexer import _make_token

    made, expected = _make_token("TEXT", "一、总体情况", None, 3, 1), Token("TEXT", "一、总体情况", None, 3, 1)
    assert made == expected and type(made) is Token
    for name in Token.__slots__:
        assert getattr(made, name) == getattr(expected, name), name
