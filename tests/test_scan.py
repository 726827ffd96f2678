"""gkaudit scan: collection, ranking, every output format, exit codes, baseline, acceptance."""

import csv
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from gkaudit.audit.scan import collect_paths
from gkaudit.base.resources import schema
from gkaudit.cli import main

from conftest import SAMPLES, SEEDS

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path):
    """The samples in a folder with a subfolder, a bad file, an ignored file and a hidden one."""
    root = tmp_path / "submissions"
    (root / "towns").mkdir(parents=True)
    for index, seed in enumerate(sorted(SEEDS.values())):
        target = root / ("towns" if index % 2 else ".") / seed.name
        shutil.copy(seed, target)
    (root / "empty.txt").write_bytes(b"")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (root / ".hidden.txt").write_text("x")
    return root


def scan_json(*args: str) -> dict:
    code, out, err = run("scan", *args, "--format", "json", "--jobs", "1")
    assert code in (0, 1), err
    data = json.loads(out)
    jsonschema.validate(data, schema("scan"))
    return data


def test_collect_paths_recurses_skips_hidden_and_foreign_files(folder):
    names = sorted(path.name for path in collect_paths([str(folder)]))
    assert names == sorted([*(seed.name for seed in SEEDS.values()), "empty.txt"])
    assert [p.name for p in collect_paths([str(folder / "towns" / "*.txt")])]


def test_ranked_json_validates_and_ranks_by_weighted_score(folder):
    data = scan_json(str(folder))
    reports = data["reports"]
    assert [r["rank"] for r in reports] == [1, 2, 3, 4, 5, None]  # empty.txt is not ranked
    scores = [r["score"] for r in reports if r["rank"]]
    assert scores == sorted(scores, reverse=True)
    top = reports[0]
    assert top["unit"] == "策勒乡人民政府" and top["score"] == 13  # 4 warnings x 3 + 1 info
    bad = next(r for r in reports if r["path"].endswith("empty.txt"))
    assert [f["code"] for f in bad["findings"]] == ["GK901"]
    assert not bad["readable"] and reports[-1] is bad
    summary = data["summary"]
    assert summary["reports"] == 6 and summary["unread"] == 1
    assert summary["by_code"]["GK503"] == {
        "severity": "error",
        "count": 3,
        "reports": 3,
        "by_severity": {"error": 1, "warning": 2, "info": 0},  # by actual severity
    }


def test_ties_are_broken_by_errors_then_unit(folder):
    reports = scan_json(str(folder))["reports"]
    tied = [r["unit"] for r in reports if r["score"] == 3]
    assert tied == sorted(tied)


def test_weights_come_from_configuration(tmp_path):
    config = tmp_path / "gkaudit.toml"
    config.write_text("[weights]\nerror = 100\nwarning = 1\ninfo = 0\n")
    reports = scan_json(str(SAMPLES), "--config", str(config))["reports"]
    assert reports[0]["unit"] == "瓦窑沟乡人民政府" and reports[0]["score"] == 100


def test_text_output_has_ranking_findings_and_summary():
    code, out, _ = run("scan", str(SAMPLES), "--jobs", "1")
    assert code == 1  # 瓦窑沟乡 has an error
    assert out.index("报告排名") < out.index("问题清单") < out.index("按规则汇总")
    assert "策勒乡人民政府" in out.splitlines()[3]  # first row of the ranking
    code, out, _ = run("scan", str(SAMPLES), "--jobs", "1", "--lang", "en")
    assert "Ranking" in out and "worst findings" in out


def test_parallel_scan_gives_the_same_result(folder):
    one = scan_json(str(folder))
    _code, out, _ = run("scan", str(folder), "--format", "json", "--jobs", "2")
    assert json.loads(out) == one


def test_exit_codes_and_severity_filters():
    assert run("scan", str(SAMPLES), "--jobs", "1")[0] == 1
    assert run("scan", str(SAMPLES), "--jobs", "1", "--exit-zero")[0] == 0
    assert run("scan", str(SEEDS["002"]), "--jobs", "1")[0] == 0  # a warning only
    assert run("scan", str(SEEDS["002"]), "--fail-on", "warning")[0] == 1
    data = scan_json(str(SAMPLES), "--min-severity", "error")
    assert {f["severity"] for r in data["reports"] for f in r["findings"]} == {"error"}
    assert run("scan", "no/such/place")[0] == 2


def test_csv_is_a_rectification_list():
    _code, out, _ = run("scan", str(SAMPLES), "--format", "csv", "--jobs", "1")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0][:3] == ["单位", "年度", "单位类型"] and rows[0][-3:] == ["状态", "整改情况", "文件"]
    assert len(rows) == 1 + 10  # 2 + 5 + 1 + 1 + 1 findings on the five samples


def test_markdown_tables():
    _code, out, _ = run("scan", str(SAMPLES), "--format", "markdown", "--jobs", "1")
    assert (
        out.startswith("# gkaudit — 报告排名")
        and "| 名次 | 单位 |" in out
        and "## 按规则汇总" in out
    )


def test_xlsx_reopens_with_filters_headers_and_widths(tmp_path):
    target = tmp_path / "out.xlsx"
    code, _, _ = run(
        "scan", str(SAMPLES), "--format", "xlsx", "--output", str(target), "--jobs", "1"
    )
    assert code == 1
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["报告排名", "整改清单", "按规则汇总", "数据汇总"]
    ranking, findings = workbook["报告排名"], workbook["整改清单"]
    assert [c.value for c in ranking[1]][:4] == ["名次", "单位", "年度", "单位类型"]
    assert ranking["B2"].value == "策勒乡人民政府"
    assert findings.auto_filter.ref == "A1:O11" and findings.freeze_panes == "A2"
    assert findings["H1"].value == "问题说明"
    assert findings.column_dimensions["H"].width >= 40  # the message column
    assert run("scan", str(SAMPLES), "--format", "xlsx")[0] == 2  # xlsx needs --output


def test_sarif_validates_against_the_sarif_schema():
    _code, out, _ = run("scan", str(SAMPLES), "--format", "sarif", "--jobs", "1")
    log = json.loads(out)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text("utf-8"))).validate(log)
    run_ = log["runs"][0]
    assert run_["tool"]["driver"]["name"] == "gkaudit"
    ids = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    assert "GK503" in ids and len(run_["results"]) == 10
    result = next(r for r in run_["results"] if r["ruleId"] == "GK102")
    assert result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 58


def test_output_is_written_atomically_and_inputs_untouched(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    before = {p: p.read_bytes() for p in SAMPLES.iterdir()}
    run("scan", str(SAMPLES), "--format", "json", "--output", str(target), "--jobs", "1")
    assert json.loads(target.read_text("utf-8"))["summary"]["reports"] == 5
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    assert {p: p.read_bytes() for p in SAMPLES.iterdir()} == before
    code, _, err = run("scan", str(SAMPLES), "--output", str(tmp_path / "missing" / "x.txt"))
    assert code == 2 and "无法写入" in err
    code, _, err = run("scan", str(SAMPLES), "-o", str(tmp_path / "missing" / "x.txt"), "--lang", "en")
    assert code == 2 and "cannot write" in err


def test_baseline_shows_new_remaining_and_fixed(tmp_path):
    work = tmp_path / "round"
    work.mkdir()
    for seed in ("002", "003"):
        shutil.copy(SEEDS[seed], work / SEEDS[seed].name)
    baseline = tmp_path / "baseline.json"
    run("scan", str(work), "--write-baseline", str(baseline), "--jobs", "1")
    # 策勒乡 rectifies: heading numbered, bookmark removed; but a window year slips in.
    cele = work / SEEDS["003"].name
    text = (
        cele.read_text("utf-8")
        .replace("3、 收到和处理", "三、收到和处理")
        .replace("[bookmark: _GoBack]", "")
    )
    cele.write_text("\n\n" + text, "utf-8")  # every line moves down: matching ignores lines
    dayu = work / SEEDS["002"].name
    dayu.write_text(dayu.read_text("utf-8").replace("规章\t0\t0\t0", "规章\t0\t0\t"), "utf-8")
    data = scan_json(str(work), "--baseline", str(baseline))
    statuses = {(r["unit"], f["code"]): f["status"] for r in data["reports"] for f in r["findings"]}
    assert statuses[("策勒乡人民政府", "GK202")] == "remaining"
    assert statuses[("策勒乡人民政府", "GK503")] == "remaining"
    assert statuses[("大峪镇人民政府", "GK106")] == "new"
    fixed = sorted(entry["code"] for entry in data["summary"]["baseline"]["fixed"])
    assert fixed == ["GK102", "GK506"]
    _code, out, _ = run("scan", str(work), "--baseline", str(baseline), "--jobs", "1")
    assert "已整改" in out and "未整改" in out and "新增" in out
    assert run("scan", str(work), "--baseline", str(SEEDS["002"]))[0] == 2  # not a baseline


def test_accepted_deviation_is_shown_not_dropped_and_not_scored(tmp_path):
    config = tmp_path / "gkaudit.toml"
    config.write_text(
        '[[accept]]\ncode = "GK503"\nunit = "瓦窑沟乡*"\nreason = "县政务公开办2025年批准：并入县考核通报"\n'
    )
    data = scan_json(str(SAMPLES), "--config", str(config))
    wayaogou = next(r for r in data["reports"] if r["unit"] == "瓦窑沟乡人民政府")
    (finding,) = wayaogou["findings"]
    assert finding["accepted"] == "县政务公开办2025年批准：并入县考核通报"
    assert wayaogou["score"] == 0 and wayaogou["counts"]["error"] == 0
    code, out, _ = run("scan", str(SAMPLES), "--config", str(config), "--jobs", "1")
    assert "已接受：县政务公开办" in out
    assert code == 0  # the only error is accepted


# --- a province's batch: results on disk, outputs streamed -------------------------------


def scan_of(paths, jobs: int = 1, **options):
    from gkaudit.audit.config import Config
    from gkaudit.audit.engine import Engine
    from gkaudit.audit.scan import audit_paths, finalise

    engine = Engine.load(Config())
    scan = finalise(audit_paths(engine, paths, jobs, **options), engine.config)
    scan.rules = dict(engine.rules)
    return scan


def test_results_wait_on_disk_and_the_parent_keeps_a_small_entry_each(folder):
    from gkaudit.audit.scan import Entry, Reports

    scan = scan_of(collect_paths([str(folder)]))
    assert isinstance(scan.reports, Reports) and len(scan.reports) == 6
    assert not any(hasattr(Entry, name) for name in ("findings", "excerpts", "figures"))
    first, again = scan.reports[0], scan.reports[0]
    assert first is not again and first == again  # loaded from the spill file each time
    assert first.unit == "策勒乡人民政府" and first.rank == 1 and first.findings
    assert [r.rank for r in scan.unread] == [0] and len(scan.ranked) == 5
    spill = scan.reports.batch.spill.file
    scan.reports.batch.close()
    assert spill.closed  # an anonymous temporary file: gone once closed


def test_an_entry_costs_the_parent_well_under_a_kilobyte():
    import tracemalloc

    from gkaudit.audit.config import Config
    from gkaudit.audit.engine import Engine
    from gkaudit.audit.scan import Batch, pack, settle, summarise

    engine = Engine.load(Config())
    result = settle(summarise(engine.audit_file(SEEDS["003"])), engine.config)
    assert len(result.findings) == 5
    batch = Batch(engine.config)
    header, blob = pack(result)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for index in range(5000):
        batch.store((f"{index:06d}-{header[0]}", *header[1:]), blob)
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    batch.close()
    assert grown / 5000 < 600  # bytes per report, whatever its findings


def test_streamed_json_is_the_in_memory_form_and_valid_even_when_empty():
    from gkaudit.outputs.render import render_json, scan_json
    from gkaudit.outputs.sarif import render_sarif

    scan = scan_of(sorted(SAMPLES.glob("*.txt")))
    data = json.loads(render_json(scan))
    assert data == json.loads(json.dumps(scan_json(scan), ensure_ascii=False))
    jsonschema.validate(data, schema("scan"))
    empty = scan_of([])
    assert json.loads(render_json(empty))["reports"] == []
    jsonschema.validate(json.loads(render_json(empty)), schema("scan"))
    log = json.loads(render_sarif(empty, {}))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text("utf-8"))).validate(log)
    assert log["runs"][0]["results"] == []


def test_a_list_and_a_spilled_batch_rank_and_render_alike():
    from gkaudit.audit.config import Config
    from gkaudit.audit.scan import finalise
    from gkaudit.outputs.render import render_csv, render_markdown

    spilled = scan_of(sorted(SAMPLES.glob("*.txt")))
    listed = finalise(list(spilled.reports), Config())
    listed.rules = spilled.rules
    assert [r.path for r in listed.reports] == [r.path for r in spilled.reports]
    assert render_csv(listed) == render_csv(spilled)
    assert render_markdown(listed) == render_markdown(spilled)
    assert listed.by_code() == spilled.by_code()


def test_lines_around_findings_are_kept_only_when_asked_for():
    paths = [SEEDS["003"]]
    assert all(not r.excerpts for r in scan_of(paths, excerpts=False).reports)
    assert all(r.excerpts for r in scan_of(paths).reports)


def test_standard_input_is_named_dash_in_every_finding_even_another_reports(tmp_path):
    """`-` is saved to a temporary file for the readers: no finding, of that report or of another
    (GK608 names the file it duplicates), may carry that file's path."""
    work = tmp_path / "cur"
    work.mkdir()
    shutil.copy(SEEDS["002"], work / SEEDS["002"].name)
    result = CliRunner().invoke(
        main,
        ["scan", "-", str(work), "--format", "json", "--jobs", "1"],
        input=SEEDS["002"].read_bytes(),
    )
    data = json.loads(result.stdout)
    assert sorted(r["path"] for r in data["reports"])[0] == "-"
    messages = [f["message"] for r in data["reports"] for f in r["findings"]]
    assert any(f["code"] == "GK608" for r in data["reports"] for f in r["findings"])
    assert not [m for m in messages if "gkaudit-stdin" in m], messages


def test_a_recheck_in_another_folder_matches_findings_that_name_files(tmp_path):
    """GK608 names the other file: a baseline written for one folder still matches the same
    findings when the office re-checks a copy of it elsewhere (folders are not identity)."""
    first = tmp_path / "提交材料"
    first.mkdir()
    dayu = SEEDS["002"].read_text("utf-8")
    (first / "a.txt").write_text(dayu, "utf-8")
    (first / "b.txt").write_text(dayu, "utf-8")
    baseline = tmp_path / "baseline.json"
    run("scan", str(first), "--write-baseline", str(baseline), "--jobs", "1")
    again = tmp_path / "复查材料"
    shutil.copytree(first, again)
    data = scan_json(str(again), "--baseline", str(baseline))
    statuses = {f["status"] for r in data["reports"] for f in r["findings"]}
    assert statuses == {"remaining"}
    assert data["summary"]["baseline"]["fixed"] == []
