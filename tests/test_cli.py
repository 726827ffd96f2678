import json

import jsonschema
import pytest
from click.testing import CliRunner

from gkaudit.base.resources import schema
from gkaudit.cli import main

from conftest import SEEDS


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_parse_json_validates_against_the_shipped_schema(name):
    code, out, _ = run("parse", str(SEEDS[name]), "--format", "json")
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, schema("report"))
    assert set(data) >= {"unit", "year", "title", "window", "template", "sections", "tables"}
    assert data["tables"]["requests"]["new"] is not None


def test_schema_rejects_a_wrong_shape():
    _code, out, _ = run("parse", str(SEEDS["002"]), "--format", "json")
    data = json.loads(out)
    data["tables"]["requests"]["new"] = [1, 2, 3]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema("report"))


def test_parse_text_output_in_both_languages():
    code, out, _ = run("parse", str(SEEDS["002"]))
    assert code == 0 and "大峪镇人民政府" in out and "统计期限" in out and "penalty" in out
    code, out, _ = run("parse", str(SEEDS["002"]), "--lang", "en")
    assert code == 0 and "window" in out


def test_problems_are_listed_with_lines(tmp_path):
    text = SEEDS["002"].read_text("utf-8").replace("行政许可\t0\t\t", "行政许可\t0\t7\t")
    path = tmp_path / "r.txt"
    path.write_text(text, "utf-8")
    _code, out, _ = run("parse", str(path), "--format", "json", "--lang", "en")
    problems = json.loads(out)["problems"]
    assert problems == [
        {
            "kind": "row-width",
            "line": 37,
            "message": "Table A (proactive disclosure): row 'administrative licensing' has 2 "
            "values, expected 1; the row is not read",
        },
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02\x03binary\x00" * 100, "binary file"),
        ("这是一份会议纪要，与年度报告无关。\n".encode(), "does not look like"),
        (
            "某县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n正文。\n".encode("gbk"),
            "no tables found",
        ),
    ],
)
def test_bad_input_gives_one_line_and_exit_1(tmp_path, content, message):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    code, _, err = run("parse", str(path), "--lang", "en")
    assert code == 1
    assert message in err
    assert err.count("\n") == 1 and str(path) in err and "Traceback" not in err


def test_huge_file_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(SEEDS["002"].read_bytes() * (50 * 1024 * 1024 // 6000))
    code, _, err = run("parse", str(path))
    assert code == 1 and "文件过大" in err  # Chinese by default


def test_usage_error_exits_2():
    code, _, _ = run("parse")
    assert code == 2


def test_input_file_is_not_modified(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(SEEDS["001"].read_bytes())
    before = path.stat().st_mtime_ns, path.read_bytes()
    run("parse", str(path), "--format", "json")
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_rules_lists_every_code():
    code, out, _ = run("rules")
    assert code == 0
    for expected in ["GK101", "GK108", "GK204", "GK306", "GK402", "GK507", "GK901", "GK902"]:
        assert expected in out


def test_explain_shows_the_rule_documentation():
    code, out, _ = run("explain", "gk301")
    assert code == 0
    assert out.startswith("GK301  申请数量勾稽关系不成立")
    assert "第一项加第二项之和，等于第三项加第四项之和" in out
    for heading in ("默认级别：错误", "依据：", "检查什么", "错误示例", "整改建议", "可配置项"):
        assert heading in out
    assert "本年新收2，上年结转0，总计1" in out  # the docstring's failing example
    code, out, _ = run("explain", "GK301", "--lang", "en")
    assert code == 0 and "What it does" in out and "How to fix it" in out
    code, _, err = run("explain", "GK999")
    assert code == 2 and "未知的规则代码“GK999”" in err and len(err.splitlines()) == 1
    code, _, err = run("explain", "GK999", "--lang", "en")
    assert code == 2 and "unknown rule code 'GK999'" in err


def test_explain_quotes_the_article_and_lists_the_options():
    _code, out, _ = run("explain", "GK201")  # cites 第四十九条
    assert "“县级以上人民政府部门应当在每年1月31日前" in out
    _code, out, _ = run("explain", "GK402")  # declares the option tolerance
    assert "[rules.GK402] tolerance = 0.1" in out


def test_explain_a_family_lists_its_rules():
    code, out, _ = run("explain", "gk3")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("GK3 族共")
    assert [line.split()[0] for line in lines[1:]] == [
        "GK301", "GK302", "GK303", "GK304", "GK305", "GK306"
    ]  # fmt: skip


def test_explain_suggests_a_close_code():
    code, _, err = run("explain", "GK3O1")
    assert code == 2 and "是否想写“GK301”" in err


def test_rules_as_json():
    code, out, _ = run("rules", "--format", "json")
    rules = {rule["code"]: rule for rule in json.loads(out)}
    assert code == 0 and {"GK101", "GK301", "GK901"} <= set(rules)
    assert rules["GK301"]["severity"] == "error" and rules["GK301"]["title"]["zh"]
    assert rules["GK301"]["advice"]["zh"] and "example" in rules["GK301"]["sections"]
    assert rules["GK402"]["options"]["tolerance"]["default"] == 0.1
    assert rules["GK603"]["thresholds"]["copy-own-share"].startswith("GK603")


def test_check_exit_codes(tmp_path):
    code, out, _ = run("check", str(SEEDS["002"]))
    assert code == 0 and "GK202" in out  # a warning is below the default --fail-on error
    code, _, _ = run("check", str(SEEDS["002"]), "--fail-on", "warning")
    assert code == 1
    code, _, _ = run("check", str(SEEDS["004"]))
    assert code == 1  # GK503 error
    code, _, _ = run("check", str(SEEDS["004"]), "--exit-zero")
    assert code == 0
    code, _, _ = run("check", str(SEEDS["004"]), "--ignore", "GK503")
    assert code == 0


def test_check_keeps_going_past_a_bad_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, _ = run("check", str(empty), str(SEEDS["002"]), "--format", "json", "--lang", "en")
    reports = {r["path"]: r for r in json.loads(out)["reports"]}  # check shares scan's JSON
    assert reports[str(empty)]["findings"][0]["code"] == "GK901"
    assert reports[str(empty)]["rank"] is None  # an unreadable file is not ranked
    assert reports[str(SEEDS["002"])]["findings"][0]["code"] == "GK202"
    assert reports[str(empty)]["findings"][0]["message"] == "file unreadable: empty file"
    assert code == 1


def test_configuration_error_exits_2(tmp_path):
    bad = tmp_path / "gkaudit.toml"
    bad.write_text('select = ["NOPE1"]\n')
    code, _, err = run("check", "--config", str(bad), str(SEEDS["002"]))
    assert code == 2 and "第1行：select：未知的规则代码或前缀“NOPE1”" in err
    code, _, err = run("check", "--config", str(bad), str(SEEDS["002"]), "--lang", "en")
    assert code == 2 and "line 1: select: unknown rule code or prefix 'NOPE1'" in err


def test_plugins_lists_the_builtin_pack():
    code, out, _ = run("plugins")
    assert code == 0 and "builtin" in out and "GK301" in out
