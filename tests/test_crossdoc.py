"""GK601–GK609 on batches built from the seeds, and clean controls where none is right."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest
from click.testing import CliRunner
from crossdoc_batch import (
    BIANLUKOU,
    CARRIED_FORWARD,
    CELE,
    DAYU,
    NORMATIVE,
    ROSTER,
    copied_report,
    set_row,
    write,
    years_back,
)

from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine
from gkaudit.base.resources import schema
from gkaudit.check.copying import candidate_pairs, common_sentences, digest, overlap, prepare
from gkaudit.check.roster import infer_binding, own_names
from gkaudit.cli import main
from gkaudit.parse.parser import parse_text

from conftest import REALWORLD, SAMPLES


def scan(*args: str) -> list[tuple[str, str, int | None, str]]:
    result = CliRunner().invoke(
        main, ["scan", "--select", "GK6", "--format", "json", "--jobs", "1", *args]
    )
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, schema("scan"))
    return sorted(
        (r["path"].rsplit("/", 1)[-1], f["code"], f["line"], f["message"])
        for r in data["reports"]
        for f in r["findings"]
    )


def codes(found):
    return sorted((name, code) for name, code, _, _ in found)


@pytest.fixture
def batch(tmp_path):
    previous = tmp_path / "2023"
    current = tmp_path / "2024"
    last_year = set_row(years_back(DAYU), CARRIED_FORWARD, [3, 0, 0, 0, 0, 0, 3])
    write(previous, "dayu-2023.txt", set_row(last_year, NORMATIVE, [0, 0, 10]))
    write(current, "dayu-2024.txt", DAYU)
    write(current, "bianlukou-2024.txt", BIANLUKOU)
    write(current, "xinzhuang-2024.txt", copied_report())
    write(current, "cele-2024.txt", CELE)
    write(tmp_path, "units.csv", ROSTER)
    return tmp_path


def test_the_seeds_alone_are_a_clean_control():
    assert scan(str(SAMPLES)) == []


def test_every_defect_of_the_batch_is_found_and_nothing_else(batch):
    found = scan(
        str(batch / "2024"), "--previous", str(batch / "2023"), "--units", str(batch / "units.csv")
    )
    assert codes(found) == [
        ("bianlukou-2024.txt", "GK604"),
        ("dayu-2024.txt", "GK601"),
        ("dayu-2024.txt", "GK602"),
        ("dayu-2024.txt", "GK603"),
        ("units.csv", "GK607"),
        ("xinzhuang-2024.txt", "GK604"),
        ("xinzhuang-2024.txt", "GK605"),
    ]
    messages = {(name, code): (line, text) for name, code, line, text in found}
    line, text = messages[("dayu-2024.txt", "GK601")]
    assert "二、上年结转政府信息公开申请数量" in text and "自然人列0（上年报告3）" in text
    assert "总计列0（上年报告3）" in text and "2023年报告" in text
    assert DAYU.split("\n")[line - 1].startswith("二、上年结转")
    line, text = messages[("dayu-2024.txt", "GK602")]
    assert "现行有效10+本年制发0−本年废止0=10" in text and "现行有效件数为0" in text
    assert DAYU.split("\n")[line - 1].startswith("行政规范性文件")
    assert "正文100%与本单位2023年报告" in messages[("dayu-2024.txt", "GK603")][1]
    line, text = messages[("xinzhuang-2024.txt", "GK605")]
    assert "卞路口乡" in text and "新庄乡人民政府的报告" in text
    assert "卞路口乡" in copied_report().split("\n")[line - 1]
    line, text = messages[("units.csv", "GK607")]
    assert "石门乡人民政府" in text and "2024年" in text and line == 6
    assert "卞路口乡人民政府的2024年报告" in messages[("xinzhuang-2024.txt", "GK604")][1]


def test_english_messages_name_the_rows_as_the_form_prints_them(batch):
    result = CliRunner().invoke(
        main,
        ["scan", str(batch / "2024"), "--previous", str(batch / "2023"), "--select", "GK601",
         "--format", "json", "--jobs", "1", "--lang", "en"],
    )  # fmt: skip
    message = json.loads(result.stdout)["reports"][0]["findings"][0]["message"]
    assert "'二、上年结转政府信息公开申请数量'" in message and "natural persons 0" in message


def test_previous_year_with_only_years_moved_is_repeated_text_and_identical_tables(tmp_path):
    write(tmp_path / "2023", "dayu.txt", years_back(DAYU))
    write(tmp_path / "2024", "dayu.txt", DAYU)
    found = scan(str(tmp_path / "2024"), "--previous", str(tmp_path / "2023"))
    assert codes(found) == [("dayu.txt", "GK603"), ("dayu.txt", "GK606")]
    assert "三张统计表的全部" in next(t for _, c, _, t in found if c == "GK606")


def test_a_consistent_previous_year_with_new_text_is_clean(tmp_path):
    """Clean control: last year's report of the same unit, chains consistent, other text."""
    last_year = years_back(CELE.replace("策勒乡", "大峪镇"))  # another text, the same unit
    write(tmp_path / "2023", "dayu.txt", last_year)
    write(tmp_path / "2024", "dayu.txt", DAYU)
    assert scan(str(tmp_path / "2024"), "--previous", str(tmp_path / "2023")) == []


def test_the_same_report_twice(tmp_path):
    write(tmp_path, "a.txt", DAYU)
    write(tmp_path, "b.txt", DAYU)
    write(tmp_path, "c.txt", DAYU.replace("主动公开各类政务信息", "主动公开政务信息"))
    found = scan(str(tmp_path))
    assert [(n, c) for n, c in codes(found) if c == "GK608"] == [
        ("b.txt", "GK608"),
        ("c.txt", "GK608"),
    ]
    messages = {name: text for name, code, _, text in found if code == "GK608"}
    assert "内容完全相同" in messages["b.txt"] and "a.txt" in messages["b.txt"]
    assert "同为大峪镇的2024年报告" in messages["c.txt"]


def test_unbound_and_ambiguous_reports(tmp_path):
    write(tmp_path / "in", "dayu.txt", DAYU)
    write(tmp_path / "in", "cele.txt", CELE)
    roster = "名称,别名,类型\n大峪镇人民政府,,乡镇\n策勒镇人民政府,策勒乡人民政府x,乡镇\n"
    write(tmp_path, "units.csv", roster)
    found = scan(str(tmp_path / "in"), "--units", str(tmp_path / "units.csv"))
    assert codes(found) == [("cele.txt", "GK607"), ("units.csv", "GK607")]
    messages = {name: text for name, code, _, text in found}
    assert "策勒乡人民政府" in messages["cele.txt"] and "对应不上" in messages["cele.txt"]


SUMMARY_ROSTER = """名称,类型,上级,汇总
大峪镇人民政府,乡镇,,是
甲村委员会,部门,大峪镇人民政府,
乙村委员会,部门,大峪镇人民政府,
"""


def _unit_report(name: str, penalty: int) -> str:
    text = DAYU.replace("大峪镇人民政府", name).replace("大峪镇", name)
    return set_row(text, "行政处罚", [penalty])


def _doubled(text: str) -> str:
    """Every number of every tab-separated table row doubled: the sum of two equal units."""
    return "\n".join(
        "\t".join(str(2 * int(c)) if c.strip().isdigit() else c for c in line.split("\t"))
        if "\t" in line
        else line
        for line in text.split("\n")
    )


def test_summary_report_against_the_sum_of_its_units(tmp_path):
    write(tmp_path, "units.csv", SUMMARY_ROSTER)
    write(tmp_path / "in", "town.txt", set_row(_doubled(DAYU), "行政处罚", [5]))
    write(tmp_path / "in", "a.txt", _unit_report("甲村委员会", 2))
    write(tmp_path / "in", "b.txt", _unit_report("乙村委员会", 4))
    args = ("--units", str(tmp_path / "units.csv"), "--select", "GK609")
    found = [f for f in scan(str(tmp_path / "in"), *args) if f[1] == "GK609"]
    assert len(found) == 1 and found[0][0] == "town.txt"
    assert "汇总报告有1处数据" in found[0][3] and "行政处罚“本年处理决定数量”5≠6" in found[0][3]
    assert DAYU.split("\n")[found[0][2] - 1].startswith("行政处罚")
    (tmp_path / "in" / "b.txt").write_text(_unit_report("乙村委员会", 3), "utf-8")
    assert [f for f in scan(str(tmp_path / "in"), *args) if f[1] == "GK609"] == []
    (tmp_path / "in" / "b.txt").unlink()
    found = [f for f in scan(str(tmp_path / "in"), *args) if f[1] == "GK609"]
    assert len(found) == 1 and "乙村委员会没有2024年报告" in found[0][3]


def test_no_roster_no_archive_no_previous_still_compares_the_batch(tmp_path):
    write(tmp_path, "x.txt", copied_report())
    write(tmp_path, "y.txt", BIANLUKOU)
    assert ("x.txt", "GK605") in codes(scan(str(tmp_path)))


def _digest(path):
    report = parse_text(path.read_text("utf-8"), str(path))
    binding = infer_binding(report)
    return digest(report, own_names(report, binding, None), binding.unit)


def test_different_units_share_little_and_lsh_pairs_only_the_copy(tmp_path):
    """How the thresholds were chosen: different real units share at most a few percent of their
    own text; a copy shares all of it. LSH proposes the copy pair and few others."""
    seeds = sorted(SAMPLES.glob("*.txt"))
    copy = write(tmp_path, "copy.txt", copied_report())
    items = [_digest(path) for path in [*seeds, copy]]
    common = common_sentences(items, 0.3)
    for item in items:
        prepare(item, common)
    shares = [overlap(a, b).share for a in items[:-1] for b in items[:-1] if a is not b]
    assert max(shares) < 0.2
    copy_index = len(items) - 1
    original = next(i for i, p in enumerate(seeds) if "bianlukou" in p.name)
    assert overlap(items[copy_index], items[original]).share > 0.95
    pairs = candidate_pairs(items)
    assert (original, copy_index) in pairs and len(pairs) <= 5  # of 15 pairs; verified after


def test_batch_rules_get_roster_history_and_shared_views():
    engine = Engine.load(Config())
    assert {"GK601", "GK602", "GK603", "GK604", "GK605", "GK606", "GK607", "GK608", "GK609"} <= set(
        engine.batch_rules
    )


def test_each_unit_without_a_report_counts_as_one_report_in_the_summary_by_rule(tmp_path):
    write(
        tmp_path,
        "units.csv",
        "名称,类型\n大峪镇人民政府,乡镇\n石门乡人民政府,乡镇\n东关乡人民政府,乡镇\n",
    )
    shutil.copy(SAMPLES / "dayu-town-2024.txt", tmp_path / "d.txt")
    result = CliRunner().invoke(
        main,
        ["scan", str(tmp_path / "d.txt"), "--units", str(tmp_path / "units.csv"),
         "--select", "GK607", "--format", "json", "--jobs", "1"],
    )  # fmt: skip
    data = json.loads(result.stdout)
    missing = [r for r in data["reports"] if any(f["code"] == "GK607" for f in r["findings"])]
    assert len(missing) == 2  # 石门乡 and 东关乡, both located in units.csv
    assert data["summary"]["by_code"]["GK607"]["reports"] == 2
    assert data["summary"]["by_code"]["GK607"]["count"] == 2


def test_roster_rows_with_errors_stop_the_scan_in_one_line(tmp_path):
    write(tmp_path, "units.csv", "名称,类型\n大峪镇人民政府,村\n")
    shutil.copy(SAMPLES / "dayu-town-2024.txt", tmp_path / "d.txt")
    result = CliRunner().invoke(
        main, ["scan", str(tmp_path / "d.txt"), "--units", str(tmp_path / "units.csv")]
    )
    assert result.exit_code == 2
    assert "第 2 行" in result.stderr and "type" in result.stderr
    english = CliRunner().invoke(
        main,
        ["scan", str(tmp_path / "d.txt"), "--units", str(tmp_path / "units.csv"), "--lang", "en"],
    )
    assert english.exit_code == 2 and "row 2" in english.stderr and "type" in english.stderr


def _department(name: str, extra: str = "") -> str:
    text = DAYU.replace("大峪镇人民政府", name).replace("大峪镇", name)
    return text.replace("（一）主动公开情况", f"{extra}\n\n（一）主动公开情况", 1)


def test_departments_may_name_each_other_but_not_speak_as_another(tmp_path):
    write(tmp_path / "a", "finance.txt", _department("县财政局"))
    write(
        tmp_path / "a",
        "education.txt",
        _department("县教育局", "联合县财政局开展政务公开业务培训。"),
    )
    assert [c for c in codes(scan(str(tmp_path / "a"))) if c[1] == "GK605"] == []
    write(tmp_path / "b", "finance.txt", _department("县财政局"))
    write(
        tmp_path / "b", "education.txt", _department("县教育局", "县财政局高度重视政务公开工作。")
    )
    found = [f for f in scan(str(tmp_path / "b")) if f[1] == "GK605"]
    assert [f[0] for f in found] == ["education.txt"] and "“县财政局”" in found[0][3]


def test_workers_give_the_same_findings(batch):
    args = [
        str(batch / "2024"),
        "--previous",
        str(batch / "2023"),
        "--units",
        str(batch / "units.csv"),
    ]
    assert scan(*args, "--jobs", "2") == scan(*args)


def test_real_world_reports_of_different_units_are_a_clean_control():
    """Ten reports of ten units (cities, a county, departments, townships; 2023 to 2025) and
    two files that are not reports: none copies, names or repeats another."""
    assert scan(str(REALWORLD), str(SAMPLES)) == []


def test_one_report_naming_another_unit_of_the_roster(tmp_path):
    """With a roster there are other units to name even in a one-report run (no archive, no
    --previous): GK605 still reads it."""
    write(tmp_path / "in", "x.txt", copied_report())
    write(tmp_path, "units.csv", ROSTER)
    found = codes(scan(str(tmp_path / "in"), "--units", str(tmp_path / "units.csv")))
    assert ("x.txt", "GK605") in found


def test_a_summary_report_alone_is_still_checked_against_the_roster(tmp_path):
    """One 汇总 report and a roster, nothing else: GK609 says which units' reports are absent
    (a one-report run must not skip the rule)."""
    write(tmp_path, "units.csv", SUMMARY_ROSTER)
    write(tmp_path / "in", "town.txt", set_row(_doubled(DAYU), "行政处罚", [5]))
    args = ("--units", str(tmp_path / "units.csv"), "--select", "GK609")
    found = [f for f in scan(str(tmp_path / "in"), *args) if f[1] == "GK609"]
    assert len(found) == 1 and found[0][0] == "town.txt"
    assert "甲村委员会" in found[0][3] and "乙村委员会" in found[0][3]


# --- what a scan's workers send back: digests, not parsed reports ---------------------------


def _parsed(path):
    return parse_text(path.read_text("utf-8"), str(path))


def _form_cells(report):
    """The three tables' cells straight from the model, in the form's order."""
    from gkaudit.model.report import ACTIVE_WIDTHS, REQUEST_KEYS, REVIEW_KEYS

    order = {"requests": REQUEST_KEYS, "review": REVIEW_KEYS}
    return {
        (table.name, key, index): (cell.value, cell.line or table.rows[key].line)
        for table in report.tables.present()
        for key in order.get(table.name, ACTIVE_WIDTHS)
        if key in table.rows
        for index, cell in enumerate(table.rows[key].cells)
    }


def test_a_digest_keeps_every_figure_blank_decimal_and_line():
    from gkaudit.check.digest import report_digest

    decimal = DAYU.replace("行政事业性收费\t0", "行政事业性收费\t0.25")
    assert decimal != DAYU
    blank = set_row(DAYU, "行政处罚", [7]).replace("行政处罚\t7", "行政处罚\t-")
    reports = [_parsed(path) for path in sorted(SAMPLES.glob("*.txt"))]
    reports += [parse_text(decimal, "decimal.txt"), parse_text(blank, "blank.txt")]
    for report in reports:
        digest_ = report_digest(report)
        cells = _form_cells(report)
        assert digest_.cells == cells
        assert [type(v) for v, _ in digest_.cells.values()] == [type(v) for v, _ in cells.values()]
        for table in report.tables.present():
            for key, row in table.rows.items():
                assert digest_.values(table.name, key) == row.values
                assert digest_.row_line(table.name, key) == row.line
        assert digest_.tables == tuple(t.name for t in report.tables.present())
    assert report_digest(reports[-2]).values("active", "fees") == [0.25]
    assert report_digest(reports[-1]).values("active", "penalty") == [None]


def test_workers_send_a_digest_well_under_half_the_size_of_the_report(tmp_path):
    import pickle

    from gkaudit.audit.scan import _audit_one
    from gkaudit.check.digest import ReportDigest

    engine = Engine.load(Config())
    sizes = []
    for path in sorted(SAMPLES.glob("*.txt")):
        (_, packed), sent_packed = _audit_one(engine, str(path), True, excerpts=False)
        result = pickle.loads(packed)
        sent = sent_packed.digest()
        assert isinstance(sent, ReportDigest) and sent.model is None  # no archive: no model
        assert sent.text is not None and sent.text.sentences
        # The worker sketched the text: a MinHash row per sentence, which the parent writes
        # to its spill file as raw bytes and never keeps (DigestStore).
        sketch = sent.text.sketch
        assert sketch is not None and sketch.minhashes is not None
        assert sketch.minhashes.shape == (len(sent.text.sentences), 64)
        rows, sketch.minhashes = sketch.minhashes.nbytes, None
        report = engine.audit_file(path).report
        sizes.append([_unpickled_size(pickle.dumps(item)) for item in (sent, report)])
        sizes[-1][0] += rows
        assert sent.path == result.path and sent.year == report.year
    digests, reports = map(sum, zip(*sizes, strict=True))
    assert digests * 2 < reports  # about 44%: 34% since the model's lines are tuples, + rows


def _unpickled_size(blob: bytes) -> int:
    import pickle
    import tracemalloc

    tracemalloc.start()
    kept = pickle.loads(blob)
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return size


def test_the_text_is_masked_again_when_the_roster_names_the_unit_otherwise(tmp_path):
    from gkaudit.check.copying import text_of
    from gkaudit.check.digest import report_digest
    from gkaudit.check.roster import Roster, Unit

    report = parse_text(DAYU.replace("大峪镇通过", "峪镇通过"), "dayu.txt")
    made = report_digest(report)  # as a worker without the roster makes it
    assert text_of(made, None) is made.text
    roster = Roster([Unit("大峪镇人民政府", "township", aliases=("峪镇",))])
    again = text_of(made, roster)
    assert again is not made.text
    assert any("峪镇通过" in s.masked for s in made.text.sentences)  # the alias left unmasked
    assert not any("峪镇通过" in s.masked for s in again.sentences)
    assert any(s.masked.startswith("年通过政府网站") for s in again.sentences)
    with_roster = report_digest(report, roster)
    assert text_of(with_roster, roster) is with_roster.text


def test_a_digest_locates_a_line_on_its_page_as_the_report_does():
    from gkaudit.check.digest import report_digest
    from gkaudit.check.rule import _page_of

    report = parse_text(DAYU, "dayu.pdf")
    report.lines = [line._replace(page=1 + line.number // 30) for line in report.lines]
    digest_ = report_digest(report)
    assert [page for _, page in digest_.page_breaks] == [1, 2, 3, 4]
    for line in report.lines:
        assert _page_of(digest_, line.number) == _page_of(report, line.number) == line.page
    assert report_digest(parse_text(DAYU, "dayu.txt")).page_of(5) is None
