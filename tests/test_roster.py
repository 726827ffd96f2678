"""The roster: loading (CSV, xlsx), validation naming the row, binding reports to units."""

from __future__ import annotations

import re
import unicodedata

import pytest
from click.testing import CliRunner
from crossdoc_batch import DAYU, write
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook

from gkaudit.check.roster import RosterError, load_roster, normalise_name, squeeze, unit_key
from gkaudit.cli import main
from gkaudit.parse.parser import parse_text

ROSTER = """名称,别名,类型,上级,汇总,截止日期,备注
获嘉县人民政府,,县政府,,,03-31,本级
史庄镇人民政府,史庄镇,乡镇,获嘉县人民政府,,
城关街道办事处,,街道,,,02-28
县教育局,获嘉县教育局；教体局,部门,,,
县第一中学,,部门,县教育局,,
大峪镇人民政府,,乡镇,,,
"""


def report(unit: str, path: str = "x.txt"):
    return parse_text(DAYU.replace("大峪镇人民政府", unit, 1), path)


@pytest.fixture
def roster(tmp_path):
    return load_roster(write(tmp_path, "units.csv", ROSTER))


def test_rows_load_with_types_aliases_parents_and_deadlines(roster):
    assert [unit.name for unit in roster.units][:2] == ["获嘉县人民政府", "史庄镇人民政府"]
    education = roster.get("县教育局")
    assert education.aliases == ("获嘉县教育局", "教体局") and education.type == "department"
    assert roster.get("城关街道办事处").type == "township"
    assert roster.get("获嘉县人民政府").deadline == "03-31"
    assert [unit.name for unit in roster.children("县教育局")] == ["县第一中学"]
    assert roster.get("县教育局").row == 5


@pytest.mark.parametrize(
    ("written", "unit", "method"),
    [
        ("史庄镇人民政府", "史庄镇人民政府", "name"),
        ("史庄镇", "史庄镇人民政府", "alias"),
        ("史 庄 镇 人 民 政 府", "史庄镇人民政府", "name"),
        ("史庄镇政府", "史庄镇人民政府", "normalised"),
        ("获嘉县史庄镇人民政府", "史庄镇人民政府", "prefix"),
        ("新乡市获嘉县史庄镇", "史庄镇人民政府", "prefix"),
        ("城关街道", "城关街道办事处", "normalised"),
        ("教体局", "县教育局", "alias"),
        ("获嘉县人民政府", "获嘉县人民政府", "name"),
    ],
)
def test_reports_bind_by_name_alias_normalised_name_and_prefix(roster, written, unit, method):
    binding = roster.bind(report(written))
    assert (binding.unit, binding.method, binding.year) == (unit, method, 2024)


def test_no_match_and_two_matches_are_not_guessed(tmp_path, roster):
    assert roster.bind(report("石门乡人民政府")).unit is None
    two = load_roster(write(tmp_path, "two.csv", "名称,类型\n甲县城关镇,乡镇\n乙县城关镇,乡镇\n"))
    binding = two.bind(report("城关镇人民政府"))
    assert binding.unit is None and binding.method == "ambiguous"
    assert binding.candidates == ("乙县城关镇", "甲县城关镇")


def test_normalised_names():
    assert normalise_name("  大峪镇 人民政府") == "大峪镇"
    assert normalise_name("城关街道办事处") == "城关街道"
    assert unit_key("获嘉县史庄镇") == "史庄镇"
    assert unit_key("获嘉县人民政府") == "获嘉县"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("名称,类型\n甲乡,村\n", "row 2: type"),
        ("名称,类型\n甲乡,乡镇\n乙乡,乡镇\n甲,乡镇\n", "row 4: name: '甲' is too short"),
        ("名称,类型,上级\n甲乡,乡镇,乙县\n", "row 2: parent '乙县'"),
        ("名称,类型,汇总\n甲乡,乡镇,是\n", "row 2: '甲乡' is marked 汇总"),
        ("名称,类型,汇总\n甲乡,乡镇,也许\n", "row 2: summary"),
        (
            "名称,别名,类型\n甲乡,乙乡,乡镇\n乙乡,,乡镇\n",
            "row 3: name '乙乡' is already used by row 2",
        ),
        ("名称,类型,截止日期\n甲乡,乡镇,2月底\n", "row 2: deadline"),
        ("名称,类别\n甲乡,乡镇\n", "row 1: unknown column '类别'"),
    ],
)
def test_invalid_rows_are_named(tmp_path, text, message):
    with pytest.raises(RosterError, match=message):
        load_roster(write(tmp_path, "units.csv", text))


def test_xlsx_and_gb18030_rosters(tmp_path):
    book = Workbook()
    sheet = book.active
    for row in ROSTER.strip().split("\n"):
        sheet.append(row.split(","))
    book.save(tmp_path / "units.xlsx")
    assert len(load_roster(tmp_path / "units.xlsx").units) == 6
    (tmp_path / "gbk.csv").write_bytes(ROSTER.encode("gb18030"))
    assert load_roster(tmp_path / "gbk.csv").get("县教育局").aliases[1] == "教体局"


def test_units_command_shows_the_binding_and_the_units_without_report(tmp_path):
    write(tmp_path, "units.csv", ROSTER)
    write(tmp_path / "in", "a.txt", DAYU)
    write(tmp_path / "in", "b.txt", DAYU.replace("大峪镇人民政府", "获嘉县史庄镇", 1))
    result = CliRunner().invoke(
        main, ["units", str(tmp_path / "in"), "--units", str(tmp_path / "units.csv")]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(
        "b.txt" in line and "史庄镇人民政府" in line and "去掉行政区划前缀" in line
        for line in lines
    )
    assert "名册中没有2024年报告的单位（4个）：" in result.stdout
    assert "县教育局" in result.stdout and "units.csv:5" in result.stdout


def test_configuration_names_the_roster_and_archive_relative_to_itself(tmp_path):
    project = tmp_path / "county"
    write(project, "units.csv", ROSTER)
    write(project, "gkaudit.toml", 'units = "units.csv"\narchive = "gkaudit-archive.sqlite"\n')
    write(tmp_path / "in", "a.txt", DAYU)
    config = str(project / "gkaudit.toml")
    result = CliRunner().invoke(main, ["units", str(tmp_path / "in"), "--config", config])
    assert result.exit_code == 0 and "名册中没有2024年报告的单位（5个）" in result.stdout
    args = ["scan", str(tmp_path / "in"), "--config", config, "--jobs", "1", "--select", "GK607"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "县教育局" in result.stdout
    assert (project / "gkaudit-archive.sqlite").is_file()
    (project / "gkaudit-archive.sqlite").unlink()
    CliRunner().invoke(main, [*args, "--no-archive"])
    assert not (project / "gkaudit-archive.sqlite").exists()


WIDE_AND_ANY = st.one_of(
    st.characters(codec="utf-8", exclude_categories=["Cs"]),
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),  # full and half widths
    st.sampled_from(" \u3000\u00a0\t\u2002\u0301\u0323大峪镇，。"),
)


@given(st.text(alphabet=WIDE_AND_ANY))
@example("　一二三县 大峪镇（ＡＢＣ）\u00a0，１２３\u0301")
def test_squeeze_is_nfkc_without_spaces(text):
    assert squeeze(text) == re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
