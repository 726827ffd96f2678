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
        ({"selct": ["GK1"]}, r"Additional properties are not allowed \('selct' was unexpected\)"),
        ({"severity": {"GK301": "fatal"}}, r"severity\.GK301: 'fatal' is not one of"),
        ({"deadlines": {"township": "1-31"}}, r"deadlines\.township: '1-31' does not match"),
        ({"unit-types": {"*乡*": "village"}}, r"unit-types\.\*乡\*: 'village' is not one of"),
        ({"thresholds": {"fee-max": 3}}, r"thresholds: Additional properties"),
    ],
)
def test_invalid_configuration_says_what_and_where(data, message):
    with pytest.raises(ConfigError, match=message):
        config_from_dict(data, "gkaudit.toml")


def test_unknown_rule_code_is_an_error(rules):
    config = config_from_dict({"ignore": ["GK999"]}, "gkaudit.toml")
    with pytest.raises(
        ConfigError, match=r"gkaudit\.toml: ignore: unknown rule code or prefix 'GK999'"
    ):
        config.check_codes(set(rules))


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
