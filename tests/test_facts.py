"""The facts layer: what rules read instead of re-parsing the text (gkaudit/model/facts.py)."""

from __future__ import annotations

from datetime import date

from gkaudit import parse_text
from gkaudit.model.facts import SectionKind

from conftest import SEEDS

PREAMBLE = "本报告依据《中华人民共和国政府信息公开条例》（国务院令第711号）编制。"


def report_of(body: str, year: int = 2024, unit: str = "大河镇人民政府"):
    text = f"{unit}{year}年政府信息公开工作年度报告\n\n一、总体情况\n\n{body}\n\n二、主动公开政府信息情况\n\n略。\n"
    return parse_text(text)


def test_facts_are_computed_once_and_kept_on_the_report():
    report = parse_text(SEEDS["000"].read_text("utf-8"))
    assert report.facts is report.facts
    assert report.facts.prose is report.facts.prose


def test_prose_leaves_table_rows_out_and_knows_its_section():
    report = parse_text(SEEDS["000"].read_text("utf-8"))
    kinds = [prose.kind for prose in report.facts.prose]
    assert SectionKind.OVERVIEW in kinds and SectionKind.PROBLEMS in kinds
    assert all("\t" not in prose.text for prose in report.facts.prose)
    overview = report.facts.prose_of(SectionKind.OVERVIEW)[0]
    offset = overview.text.index("国务院令")
    line = next(line for line in report.lines if line.number == overview.line_at(offset))
    assert "国务院令" in line.text


def test_counts_carry_subject_unit_and_line():
    report = report_of("全年受理政府信息公开申请十二件，累计公布信息69条。")
    counts = [(c.value, c.unit, c.subject) for c in report.facts.counts]
    assert (12, "件", "全年受理政府信息公开申请") in counts
    assert (69, "条", "累计公布信息") in counts
    assert {c.kind for c in report.facts.counts} == {SectionKind.OVERVIEW}


def test_enumerations_in_every_form():
    forms = {
        "其中": "共公开信息69条，其中政策文件12条、人事信息7条、财政信息50条。",
        "包括": "发布信息30条，包括动态信息20条、通知公告10条。",
        "分别为": "收到申请9件，分别为自然人7件、法人2件。",
        "colon": "公开信息18条：政策文件8条、规划信息10条。",
    }
    for form, sentence in forms.items():
        [enumeration] = report_of(sentence).facts.enumerations
        assert enumeration.form == form, sentence
        assert enumeration.total.value == sum(part.value for part in enumeration.parts) or (
            form == "其中" and enumeration.total.value == 69
        )


def test_years_years_of_dates_and_what_they_refer_to():
    report = report_of(
        "编制了《大河镇2023年政府信息公开工作年度报告》。上年结转至2024年的申请已办结。"
        "截至2024年12月31日，共公开信息10条。"
    )
    refers = {(y.year, y.refers_to) for y in report.facts.years}
    assert (2023, "report") in refers
    assert (2024, "carry-over") in refers
    assert date(2024, 12, 31) in [d.value for d in report.facts.dates]


def test_a_year_leading_its_line_or_subheading_is_a_period():
    report = report_of(
        "2024年，大河镇主动公开信息10条。\n(三) 政府信息管理情况 2023年,共制定规范性文件0件。\n"
        "与2022年相比，公开信息增加3条。"
    )
    refers = {(y.year, y.refers_to) for y in report.facts.years}
    assert {(2024, "period"), (2023, "period"), (2022, "other")} <= refers


def test_a_window_with_day_lost_before_its_end_is_read_as_written():
    report = report_of("本报告中所列数据的统计期限从2023年1月1日至12月31止。")
    written = report.facts.written_window
    assert written is not None and written.text == "2023年1月1日至12月31"
    assert (written.start, written.end) == (date(2023, 1, 1), date(2023, 12, 31))


def test_citations_of_the_regulation_and_notices():
    report = report_of(
        "根据《中华人民共和国政府信息公开条例》（国务院令第711号）和国办公开办函〔2021〕30号、"
        "国办函〔2020〕109号，依《政府政务信息公开条例》办理。"
    )
    found = {(c.kind, c.issuer, c.year, c.number) for c in report.facts.citations}
    assert ("order", "国务院令", None, 711) in found
    assert ("document", "国办公开办函", 2021, 30) in found
    assert ("document", "国办函", 2020, 109) in found
    titles = [c.text for c in report.facts.citations if c.kind == "regulation-title"]
    assert titles == ["《中华人民共和国政府信息公开条例》", "《政府政务信息公开条例》"]


def test_parts_description_claims_fee_statement_and_percentages():
    report = report_of(
        "本报告共分六部分：总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
        "全年未收到政府信息公开申请，未收取信息处理费。办结率达100%。"
    )
    parts = report.facts.parts
    assert parts is not None and parts.stated == 6 and len(parts.listed) == 6
    assert {claim.kind for claim in report.facts.claims} >= {"no-requests", "no-fees"}
    assert report.facts.fee_statement is not None
    [percentage] = report.facts.percentages
    assert percentage.value == 100.0 and percentage.of == "办结率达"


def test_a_window_garbled_in_the_source_is_read_only_where_certain():
    garbled = report_of("统计期限为202411日至20241230日。").facts.written_window
    assert garbled is not None and garbled.start is None and garbled.end == date(2024, 12, 30)
    readable = report_of("统计期限为20241月1日至12月31日。").facts.written_window
    assert readable is not None and (readable.start, readable.end) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
    )
    assert report_of("统计期限为2024年1月1日至12月31日。").facts.written_window is None


def test_whether_the_unit_is_a_government():
    assert report_of("略。").facts.is_government
    assert not report_of("略。", unit="某县民政局").facts.is_government


def test_a_unit_named_on_a_line_of_its_own_gives_the_unit_type():
    text = (
        "2022年政府信息公开工作年度报告\n桃江县松木塘镇人民政府\n2022年政府信息公开工作年度报告\n"
        "一、总体情况\n\n本年度主动公开信息10条。\n\n二、主动公开政府信息情况\n\n略。\n"
    )
    report = parse_text(text)
    if report.unit is None:  # the model reads no unit from these lines
        assert report.facts.unit_line == "桃江县松木塘镇人民政府"
    assert report.facts.unit_type == "township"
