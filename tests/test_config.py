import pytest

from gkaudit.config import ConfigError, config_from_dict, load_config
from gkaudit.engine import Engine
from gkaudit.plugins import collect_rules, plugin_manager

from conftest import SEEDS


@pytest.fixture(scope="module")
def rules():
    return collect_rules(plugin_manager())


def test_pyproject_table_is_read(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.gkaudit]\nignore = ["GK5"]\nlang = "en"\n')
    config = load_config(directory=tmp_path)
    assert config.ignore == ["GK5"] and config.lang == "en"
    assert not config.enabled("GK503") and config.enabled("GK301")


def test_gkaudit_toml_wins_over_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.gkaudit]\nignore = ["GK5"]\n')
    (tmp_path / "gkaudit.toml").write_text('select = ["GK3"]\n')
    config = load_config(directory=tmp_path)
    assert config.select == ["GK3"] and config.ignore == []


def test_no_configuration_means_defaults(tmp_path):
    config = load_config(directory=tmp_path)
    assert config.enabled("GK101") and config.deadlines["county"] == "03-31"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"selct": ["GK1"]}, "unknown configuration key 'selct' (did you mean 'select'?)"),
        ({"severity": {"GK301": "fatal"}}, "'severity.GK301': 'fatal' must be one of error"),
        ({"deadlines": {"township": "1-31"}}, "'deadlines.township': '1-31' does not match"),
        ({"unit-types": {"*乡*": "village"}}, "'unit-types.*乡*': 'village' must be one of"),
        ({"thresholds": {"fee-max": 3}}, "key 'thresholds.fee-max' (did you mean 'fee-max-wan"),
    ],
)
def test_invalid_configuration_says_what_and_where(data, message):
    with pytest.raises(ConfigError) as raised:
        config_from_dict(data, "gkaudit.toml")
    assert message in str(raised.value)


def test_unknown_rule_code_is_an_error(rules):
    config = config_from_dict({"ignore": ["GK999"]}, "gkaudit.toml")
    with pytest.raises(
        ConfigError, match=r"gkaudit\.toml: ignore: unknown rule code or prefix 'GK999'"
    ):
        config.check_codes(set(rules))


CONFIG_ERRORS = [
    # (file, text, Chinese message, English message)
    ("pyproject.toml", '[tool.gkaudit]\nlang = "zh"\nselct = ["GK1"]\n',
     "pyproject.toml：第3行：未知的配置项“selct”（是否想写“select”？）",
     "pyproject.toml: line 3: unknown configuration key 'selct' "
     "(did you mean 'select'?)"),
    ("gkaudit.toml", 'select = ["GK1"]\n[thresholds]\npercent-tolerance = 9\n',
     "gkaudit.toml：第3行：配置项“thresholds.percent-tolerance”的值无效：9 不能大于 5",
     "gkaudit.toml: line 3: invalid value of 'thresholds.percent-tolerance': 9 must be at most 5"),
    ("gkaudit.toml", 'lang = "eng"\n',
     "gkaudit.toml：第1行：配置项“lang”的值无效：'eng' 应为以下之一：zh / en（是否想写“en”？）",
     "gkaudit.toml: line 1: invalid value of 'lang': 'eng' must be one of zh / en "
     "(did you mean 'en'?)"),
    ("gkaudit.toml", 'ignore = ["GK1"\n',
     "gkaudit.toml：第1行：TOML 语法错误：Unclosed array",
     "gkaudit.toml: line 1: invalid TOML: Unclosed array"),
    ("gkaudit.toml", 'select = ["GK1"]\n\naccept = [{ code = "GK301" }]\n',
     "gkaudit.toml：第3行：配置项“accept[0]”缺少必填的“reason”",
     "gkaudit.toml: line 3: 'accept[0]' lacks the required 'reason'"),
    ("gkaudit.toml", 'select = ["GK1"]\nignore = ["GK3O1"]\n',
     "gkaudit.toml：第2行：配置项“ignore[0]”的值无效：'GK3O1' 格式不对",
     "gkaudit.toml: line 2: invalid value of 'ignore[0]': 'GK3O1' does not match"),
    ("gkaudit.toml", 'select = [\n  "GK1",\n  "GK3010",\n]\n',
     "gkaudit.toml：第3行：select：未知的规则代码或前缀“GK3010”（是否想写“GK301”？）",
     "gkaudit.toml: line 3: select: unknown rule code or prefix 'GK3010' (did you mean 'GK301'?)"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "zh", "en"), CONFIG_ERRORS)
def test_configuration_errors_name_file_line_and_key(tmp_path, name, content, zh, en):
    from click.testing import CliRunner

    from gkaudit.cli import main

    (tmp_path / name).write_text(content, encoding="utf-8")
    for lang, expected in (("zh", zh), ("en", en)):
        result = CliRunner().invoke(main, ["rules", "--config", str(tmp_path / name), "--lang", lang])
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert expected in result.stderr.replace(str(tmp_path) + "/", "")


def test_configuration_language_comes_from_the_configuration(tmp_path):
    from click.testing import CliRunner

    from gkaudit.cli import main

    (tmp_path / "gkaudit.toml").write_text('lang = "en"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "--config", str(tmp_path / "gkaudit.toml")])
    assert result.exit_code == 0 and "severity" in result.stdout and "级别" not in result.stdout


def test_severity_override_and_selection(rules):
    config = config_from_dict({"select": ["GK2"], "severity": {"GK202": "info"}})
    findings = Engine(config, rules).audit_file(SEEDS["002"]).findings
    assert [(f.code, f.severity.value) for f in findings] == [("GK202", "info")]


def test_unit_type_by_pattern_overrides_the_name(rules):
    config = config_from_dict({"unit-types": {"*dayu*": "department"}})
    engine = Engine(config, rules)
    assert engine.audit_file(SEEDS["002"]).unit_type == "department"
    assert engine.audit_file(SEEDS["000"]).unit_type == "township"


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("大峪镇人民政府", "township"),
        ("获嘉县史庄镇", "township"),
        ("某区某某街道办事处", "township"),
        ("镇平县人民政府", "county"),
        ("沭阳县发展和改革局", "department"),
        ("上海市人民政府办公厅", "department"),
        ("上海市科委", "department"),
        (None, "unknown"),
    ],
)
def test_unit_type_inference(unit, expected):
    from gkaudit.units import infer_unit_type

    assert infer_unit_type(unit) == expected
