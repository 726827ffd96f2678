import pytest

from gkaudit.audit.config import ConfigError, config_from_dict, load_config
from gkaudit.audit.engine import Engine
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
    from gkaudit.model.units import infer_unit_type

    assert infer_unit_type(unit) == expected


RULE_OPTION_ERRORS = [
    # (gkaudit.toml, Chinese message, English message)
    ('select = ["GK4"]\n[rules.GK402]\ntolerence = 1\n',
     "gkaudit.toml：第3行：规则GK402没有配置项“tolerence”（是否想写“tolerance”？）",
     "gkaudit.toml: line 3: rule GK402 has no option 'tolerence' (did you mean 'tolerance'?)"),
    ('[rules.GK402]\ntolerance = "1%"\n',
     "gkaudit.toml：第2行：规则GK402的配置项“tolerance”的值无效：'1%' 应为数",
     "gkaudit.toml: line 2: invalid value of option 'tolerance' of rule GK402: '1%' must be"),
    ('[rules.GK505]\nmin-chars = -5\n',
     "gkaudit.toml：第2行：规则GK505的配置项“min-chars”的值无效：-5 不能小于 0",
     "gkaudit.toml: line 2: invalid value of option 'min-chars' of rule GK505: -5 must be at "
     "least 0"),
    ('[rules.GK101]\nstrict = true\n',
     "gkaudit.toml：第2行：规则GK101没有配置项“strict”（该规则没有可配置项）",
     "gkaudit.toml: line 2: rule GK101 has no option 'strict' (the rule has no options)"),
    ('[rules.GK4020]\ntolerance = 1\n',
     "gkaudit.toml：第1行：rules：未知的规则代码或前缀“GK4020”（是否想写“GK402”？）",
     "gkaudit.toml: line 1: rules: unknown rule code or prefix 'GK4020' (did you mean 'GK402'?)"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "zh", "en"), RULE_OPTION_ERRORS)
def test_bad_rule_option_is_a_one_line_usage_error(tmp_path, content, zh, en):
    from click.testing import CliRunner

    from gkaudit.cli import main

    (tmp_path / "gkaudit.toml").write_text(content, encoding="utf-8")
    config = str(tmp_path / "gkaudit.toml")
    for lang, expected in (("zh", zh), ("en", en)):
        result = CliRunner().invoke(main, ["check", str(SEEDS["002"]), "--config", config, "--lang", lang])
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert expected in result.stderr.replace(str(tmp_path) + "/", "")


def test_rule_options_reach_the_rule_through_its_context(rules):
    config = config_from_dict({"rules": {"GK402": {"tolerance": 2}}})
    config.check_rule_options(rules)
    engine = Engine(config, rules)
    assert engine._context("GK402", "township").options == {"tolerance": 2}
    assert engine._context("GK505", "township").options == {"min-chars": 40}
    assert engine._context("GK301", "township").options == {}


def test_older_thresholds_keys_set_the_rule_options():
    config = config_from_dict({"thresholds": {"percent-tolerance": 1, "min-problems-chars": 9}})
    assert config.rule_options == {"GK402": {"tolerance": 1}, "GK505": {"min-chars": 9}}
    both = config_from_dict(
        {"thresholds": {"percent-tolerance": 1}, "rules": {"GK402": {"tolerance": 3}}}
    )
    assert both.rule_options == {"GK402": {"tolerance": 3}}  # the rule's own table wins


def test_shipped_config_schema_lists_the_builtin_rule_options(rules):
    """schemas/config.schema.json (for editors) carries the options the built-in rules
    declare; the rules are the truth, this keeps the file in step."""
    import jsonschema

    from gkaudit.audit.config import config_schema, rules_schema
    from gkaudit.base.resources import schema

    builtin = {code: rule for code, rule in rules.items() if code.startswith("GK")}
    assert schema("config")["properties"]["rules"] == rules_schema(builtin)
    shipped = schema("config")["properties"]["rules"]["properties"]
    assert shipped["GK402"]["properties"]["tolerance"]["default"] == 0.1
    assert {"GK306", "GK402", "GK505"} <= set(shipped)
    document = config_schema(rules)
    jsonschema.validate({"rules": {"GK402": {"tolerance": 1}}}, document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"rules": {"GK402": {"tolerance": 9}}}, document)
