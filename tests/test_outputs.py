"""Output semantics: -o picks the format, says where it wrote; --min-severity only hides;
unreadable files and non-reports are never ranked; check shares scan's options and renderers."""

import json
import shutil

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from gkaudit.cli import main

from conftest import SAMPLES, SEEDS


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("name", "opens"),
    [
        ("out.json", lambda p: json.loads(p.read_text("utf-8"))["tool"]["name"] == "gkaudit"),
        ("out.sarif", lambda p: json.loads(p.read_text("utf-8"))["version"] == "2.1.0"),
        ("out.md", lambda p: p.read_text("utf-8").startswith("# gkaudit")),
        ("out.csv", lambda p: p.read_bytes().startswith(b"\xef\xbb\xbf")),
        ("out.html", lambda p: p.read_text("utf-8").startswith("<!DOCTYPE html>")),
        ("整改清单.xlsx", lambda p: "整改清单" in load_workbook(p).sheetnames),
        ("通知.docx", lambda p: len(Document(p).tables) == 5),
        ("out.txt", lambda p: p.read_text("utf-8").startswith("报告排名")),
    ],
)
def test_output_extension_picks_the_format_and_the_path_is_said(tmp_path, name, opens):
    target = tmp_path / name
    code, out, err = run("scan", str(SAMPLES), "-o", str(target), "--jobs", "1")
    assert code == 1 and out == ""
    assert opens(target)
    assert err.startswith(f"gkaudit：已写入 {target}") and "5 个文件，10 个问题" in err


def test_format_option_wins_over_the_extension_and_unknown_extensions_are_refused(tmp_path):
    target = tmp_path / "findings.xlsx"
    run("scan", str(SAMPLES), "--format", "json", "-o", str(target), "--jobs", "1")
    assert json.loads(target.read_text("utf-8"))["summary"]["reports"] == 5
    code, _, err = run("scan", str(SAMPLES), "-o", str(tmp_path / "out.pdf"))
    assert code == 2 and "--format" in err and not (tmp_path / "out.pdf").exists()
    code, _, err = run("scan", str(SAMPLES), "-o", str(tmp_path / "out.json"), "--lang", "en")
    assert err.startswith("gkaudit: wrote ")


def scores(*args: str) -> dict:
    data = json.loads(run("scan", str(SAMPLES), "--format", "json", "--jobs", "1", *args)[1])
    return {
        r["unit"]: (r["rank"], r["score"], r["counts"], len(r["findings"])) for r in data["reports"]
    }


def test_min_severity_only_hides_it_does_not_rescore_or_rerank():
    everything, errors_only = scores(), scores("--min-severity", "error")
    for unit, (rank, score, counts, _) in everything.items():
        assert errors_only[unit][:3] == (rank, score, counts)
    assert everything["策勒乡人民政府"][3] == 5 and errors_only["策勒乡人民政府"][3] == 0
    assert errors_only["瓦窑沟乡人民政府"][3] == 1


@pytest.fixture
def with_bad_files(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    (folder / "aaa-empty.txt").write_bytes(b"")
    (folder / "aaa-minutes.txt").write_text("会议纪要\n\n今天开会讨论了食堂的菜单。\n" * 3, "utf-8")
    return folder


def test_unreadable_files_and_non_reports_are_listed_apart_in_every_format(with_bad_files):
    folder = with_bad_files
    data = json.loads(run("scan", str(folder), "--format", "json", "--jobs", "1")[1])
    unread = [r for r in data["reports"] if not r["readable"]]
    assert sorted(f["code"] for r in unread for f in r["findings"]) == ["GK901", "GK902"]
    assert all(r["rank"] is None for r in unread)
    assert [r["rank"] for r in data["reports"] if r["readable"]] == [1, 2, 3, 4, 5]
    text = run("scan", str(folder), "--jobs", "1")[1]
    ranking, rest = text.split("问题清单", 1)
    assert "aaa-" not in ranking and "未能审查的文件（不参与排名）" in rest
    markdown = run("scan", str(folder), "--format", "markdown", "--jobs", "1")[1]
    assert "## 未能审查的文件（不参与排名）" in markdown
    assert "aaa-minutes" not in markdown.split("## 问题清单")[0]


def test_check_takes_scans_options_output_file_and_standard_input(tmp_path):
    target = tmp_path / "one.xlsx"
    code, _, err = run("check", str(SEEDS["004"]), "-o", str(target))
    assert code == 1 and "已写入" in err
    assert load_workbook(target)["整改清单"]["D2"].value == "GK503"
    code, out, _ = run("check", "-", stdin=SEEDS["002"].read_bytes())
    assert code == 0 and out.startswith("-  大峪镇人民政府 · 乡镇（街道）") and "GK202" in out
    code, out, _ = run("check", "-", "--format", "json", stdin=SEEDS["004"].read_bytes())
    (report,) = json.loads(out)["reports"]
    assert code == 1 and report["path"] == "-" and report["findings"][0]["code"] == "GK503"
    code, out, _ = run("check", str(SEEDS["003"]), "--min-severity", "warning", "--select", "GK1")
    assert "GK102" in out and "GK107" not in out  # GK107 is a 提示 (info): hidden


def test_summary_counts_each_finding_at_its_own_severity():
    out = run("scan", str(SAMPLES), "--jobs", "1")[1]
    summary = out.split("按规则汇总:")[1]
    line = next(line for line in summary.splitlines() if line.startswith("GK503"))
    assert line.split()[2:] == ["1", "2", "0", "3", "3"]  # 错误 警告 提示 问题数 涉及报告数


def test_license_file_matches_the_package_metadata():
    from importlib.metadata import metadata

    from conftest import ROOT

    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
    assert metadata("gkaudit")["License-Expression"] == "MIT"


def test_a_baseline_written_with_min_severity_still_records_the_hidden_findings(tmp_path):
    baseline = tmp_path / "baseline.json"
    run(
        "scan",
        str(SAMPLES),
        "--min-severity",
        "error",
        "--write-baseline",
        str(baseline),
        "-j",
        "1",
    )
    assert len(json.loads(baseline.read_text("utf-8"))["findings"]) == 10
    data = json.loads(run("scan", str(SAMPLES), "--baseline", str(baseline), "--format", "json")[1])
    assert {f["status"] for r in data["reports"] for f in r["findings"]} == {"remaining"}
