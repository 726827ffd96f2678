"""Plugins: a local folder, an installed entry point, declarative YAML; clear errors."""

import sys
import textwrap

import pytest

from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine
from gkaudit.plugins import LOAD_PLUGINS_ENV, PluginError, collect_rules, plugin_manager

from conftest import SEEDS

PLUGIN = '''
from gkaudit import Rule, Severity, hookimpl

class NoPhone(Rule):
    """No contact telephone in the report."""
    code = "{code}"
    severity = Severity.INFO
    title = {{"zh": "未提供联系电话", "en": "no contact phone"}}
    source = "local requirement"
    messages = {{"none": {{"zh": "报告未提供联系电话", "en": "no contact telephone"}}}}

    def check(self, report, context):
        if not any("电话" in line.text for line in report.lines):
            yield self.finding("none", line=report.title_line)

@hookimpl
def register_rules(register):
    register(NoPhone)
'''


OPTION_PLUGIN = '''
from gkaudit import Rule, Severity, hookimpl
from gkaudit.check.rule import Option

class ShortReport(Rule):
    """The report is shorter than the county requires."""
    code = "XQ300"
    severity = Severity.INFO
    title = {"zh": "报告过短", "en": "report too short"}
    source = "local requirement"
    messages = {"short": {"zh": "报告只有{count}行", "en": "the report has {count} lines"}}
    options = {
        "min-lines": Option(
            10, {"type": "integer", "minimum": 1},
            {"zh": "报告至少应有的行数", "en": "the fewest lines a report may have"},
        )
    }

    def check(self, report, context):
        count = len(report.lines)
        if count < self.option(context, "min-lines"):
            yield self.finding("short", line=report.title_line, count=count)

@hookimpl
def register_rules(register):
    register(ShortReport)
'''


def test_plugin_rule_declares_an_option_configured_checked_and_explained(tmp_path):
    from gkaudit.audit.config import ConfigError, config_from_dict
    from gkaudit.outputs.ruledoc import explain_text

    (tmp_path / "short.py").write_text(OPTION_PLUGIN, "utf-8")
    rules = rules_from(tmp_path)
    lines = len(SEEDS["003"].read_text("utf-8").splitlines())

    def findings(options):
        config = config_from_dict({"select": ["XQ300"], "rules": {"XQ300": options}})
        config.check_rule_options(rules)
        return Engine(config, rules).audit_file(SEEDS["003"]).findings

    assert findings({}) == []  # the default, 10 lines, is met
    [short] = findings({"min-lines": lines + 1})
    assert short.code == "XQ300" and short.message("en").startswith("the report has ")
    with pytest.raises(ConfigError, match="rule XQ300 has no option 'min-line'"):
        findings({"min-line": 5})
    with pytest.raises(ConfigError, match="option 'min-lines' of rule XQ300: 0 must be at least 1"):
        findings({"min-lines": 0})
    assert "[rules.XQ300] min-lines = 10" in explain_text(rules["XQ300"], "en")


YAML_OPTION_RULE = """\
rules:
  - code: XQ501
    severity: warning
    title: {zh: 收费金额过高, en: fee too high}
    message: {zh: "{expression}不成立：{left} > {right}", en: "{expression} fails"}
    options:
      max_fee:
        default: 10
        schema: {type: number, minimum: 0}
        description: {zh: 行政事业性收费金额上限（万元）, en: the highest fee (万元) accepted}
    check: {identity: "active.fees[0] <= max_fee"}
"""


def test_yaml_rule_declares_an_option_its_identity_names(tmp_path):
    from gkaudit.audit.config import ConfigError, config_from_dict
    from gkaudit.outputs.ruledoc import explain_text

    (tmp_path / "fees.yml").write_text(YAML_OPTION_RULE, "utf-8")
    rules = rules_from(tmp_path)
    text = SEEDS["002"].read_text("utf-8").replace("行政事业性收费\t0\t\t", "行政事业性收费\t12\t\t")
    path = tmp_path / "r.txt"
    path.write_text(text, "utf-8")

    def messages(options):
        config = config_from_dict({"select": ["XQ501"], "rules": {"XQ501": options}})
        config.check_rule_options(rules)
        return [f.message("zh") for f in Engine(config, rules).audit_file(path).findings]

    assert messages({}) == ["active.fees[0] <= max_fee不成立：12 > 10"]
    assert messages({"max_fee": 20}) == []
    with pytest.raises(ConfigError, match="option 'max_fee' of rule XQ501: -1 must be at least 0"):
        messages({"max_fee": -1})
    assert "[rules.XQ501] max_fee = 10" in explain_text(rules["XQ501"], "zh")


def test_yaml_option_default_must_match_its_schema(tmp_path):
    broken = YAML_OPTION_RULE.replace("default: 10", "default: -3")
    (tmp_path / "fees.yml").write_text(broken, "utf-8")
    with pytest.raises(PluginError, match=r"fees\.yml:\d+: option 'max_fee': -3 is less than"):
        rules_from(tmp_path)


def rules_from(*folders):
    return collect_rules(plugin_manager(folders))


def test_local_folder_plugin_runs(tmp_path):
    (tmp_path / "phone.py").write_text(PLUGIN.format(code="XQ100"), "utf-8")
    rules = rules_from(tmp_path)
    assert "XQ100" in rules and "GK301" in rules
    findings = Engine(Config(select=["XQ"]), rules).audit_file(SEEDS["003"]).findings
    assert [(f.code, f.line, f.message("en")) for f in findings] == [
        ("XQ100", 1, "no contact telephone")
    ]


def test_installed_entry_point_plugin_runs(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "gk_phone_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "gk_phone_plugin.py").write_text(PLUGIN.format(code="XQ200"), "utf-8")
    info = site / "gk_phone_plugin-1.0.dist-info"
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gk-phone-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[gkaudit]\nphone = gk_phone_plugin\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "builtin,readers,phone")
    rules = rules_from()
    assert "XQ200" in rules
    findings = Engine(Config(select=["XQ200"]), rules).audit_file(SEEDS["003"]).findings
    assert [f.code for f in findings] == ["XQ200"]
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "builtin,readers")
    assert "XQ200" not in rules_from()
    sys.modules.pop("gk_phone_plugin", None)


def test_broken_plugin_names_file_and_cause(tmp_path):
    (tmp_path / "broken.py").write_text("import nonexistent_module_xyz\n", "utf-8")
    with pytest.raises(PluginError, match=r"broken\.py: cannot load plugin: ModuleNotFoundError"):
        rules_from(tmp_path)


def test_registering_something_else_is_an_error(tmp_path):
    (tmp_path / "bad.py").write_text(
        "from gkaudit import hookimpl\n@hookimpl\ndef register_rules(register):\n    register(42)\n"
    )
    with pytest.raises(PluginError, match=r"registered 42, which is not a gkaudit\.Rule class"):
        rules_from(tmp_path)


def test_duplicate_code_is_an_error(tmp_path):
    (tmp_path / "dup.py").write_text(PLUGIN.format(code="GK101"), "utf-8")
    with pytest.raises(PluginError, match="rule GK101 is already registered by"):
        rules_from(tmp_path)


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(PluginError, match="does not exist"):
        rules_from(tmp_path / "nope")


YAML_RULES = """\
rules:
  - code: XQ001
    severity: warning
    title: {zh: 未说明处理费, en: no fee statement}
    message: {zh: "“{section}”中没有“{phrase}”", en: "'{section}' lacks '{phrase}'"}
    check: {required-phrase: "处理费", section: 6}
  - code: XQ002
    severity: error
    title: {zh: 禁用表述, en: forbidden wording}
    message: {zh: "出现禁用表述“{quote}”", en: "forbidden wording '{quote}'"}
    check: {forbidden-pattern: "圆满完成"}
  - code: XQ003
    severity: error
    title: {zh: 申请数量勾稽, en: requests balance}
    message: {zh: "“{column}”列：{left} ≠ {right}", en: "column '{column}': {left} != {right}"}
    check:
      identity: requests.new + requests.carried_over == requests.total + requests.carried_forward
  - code: XQ004
    severity: warning
    title: {zh: 复议总计, en: review total}
    message: {zh: "{expression}不成立：{left} ≠ {right}", en: "{expression} fails: {left} != {right}"}
    check: {identity: "review.total == review[0] + review[1] + review[2] + review[3]"}
"""


def test_yaml_rules_find_what_they_describe(tmp_path):
    (tmp_path / "county.yml").write_text(YAML_RULES, "utf-8")
    rules = rules_from(tmp_path)
    engine = Engine(Config(select=["XQ"]), rules)
    text = SEEDS["002"].read_text("utf-8")
    text = text.replace("2024年度无收取信息处理费情况，", "")
    text = text.replace(
        "一、本年新收政府信息公开申请数量\t\t2\t", "一、本年新收政府信息公开申请数量\t\t3\t"
    )
    text = text.replace("切实推动政务公开工作质量提升", "圆满完成政务公开工作")
    text = text.replace(
        "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0", "1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0"
    )
    path = tmp_path / "r.txt"
    path.write_text(text, "utf-8")
    found = [(f.code, f.line, f.message("zh")) for f in engine.audit_file(path).findings]
    assert found == [
        ("XQ002", 27, "出现禁用表述“圆满完成”"),
        ("XQ003", 51, "“自然人”列：3 ≠ 2"),
        ("XQ004", 82, "review.total == review[0] + review[1] + review[2] + review[3]不成立：0 ≠ 1"),
        ("XQ001", 94, "“其他需要报告的事项”中没有“处理费”"),
    ]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ('    check: {forbidden-pattern: "圆满完成"}', "    check: {}"),
            r"county\.yml:11: \{\} should be non-empty",
        ),
        (("severity: error", "severity: fatal"), r"county\.yml:8: 'fatal' is not one of"),
        (
            ("'{section}' lacks", "'{place}' lacks"),
            r"county\.yml:5: message \(en\) uses an unknown placeholder 'place'",
        ),
        (
            ("requests.carried_forward", "requests.carried_forwards"),
            r"county\.yml:17: unknown reference 'requests\.carried_forwards'",
        ),
        (("requests.total +", "requests.total + +"), r"county\.yml:17: invalid identity"),
        (("review[3]", "review[7]"), r"county\.yml:22: index 7 out of range"),
        (('"圆满完成"', '"圆满(完成"'), r"county\.yml:11: invalid regular expression"),
        (("rules:", "rules: ["), r"county\.yml:\d+: invalid YAML"),
    ],
)
def test_yaml_errors_point_at_file_and_line(tmp_path, edit, message):
    (tmp_path / "county.yml").write_text(YAML_RULES.replace(*edit), "utf-8")
    with pytest.raises(PluginError, match=message):
        rules_from(tmp_path)


def test_yaml_rules_are_documented_from_their_description(tmp_path):
    text = YAML_RULES.replace(
        "    check: {required-phrase",
        "    description: 第六部分须说明处理费。\n    check: {required-phrase",
    )
    (tmp_path / "county.yml").write_text(textwrap.dedent(text), "utf-8")
    rule = rules_from(tmp_path)["XQ001"]
    assert rule.documentation().startswith("第六部分须说明处理费。")


BATCH_PLUGIN = '''
from collections import defaultdict
from gkaudit import BatchRule, Severity, hookimpl

class SameUnitTwice(BatchRule):
    """Two submissions of one unit and year in the same batch."""
    code = "XQ900"
    severity = Severity.WARNING
    title = {"zh": "同一单位重复报送", "en": "unit submitted twice"}
    source = "local requirement"
    messages = {"twice": {"zh": "{unit}在本批次中有{count}份报告", "en": "{unit} has {count} reports in this batch"}}

    def check_batch(self, reports, context):
        by_unit = defaultdict(list)
        for report in reports:
            by_unit[(report.unit, report.year)].append(report)
        for (unit, _), group in by_unit.items():
            if len(group) > 1:
                for report in group:
                    yield self.finding("twice", line=report.title_line, report=report, unit=unit, count=len(group))

@hookimpl
def register_rules(register):
    register(SameUnitTwice)
'''


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_rule_sees_the_whole_scan(tmp_path, jobs):
    import json
    import shutil

    from click.testing import CliRunner

    from gkaudit.cli import main

    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "batch.py").write_text(BATCH_PLUGIN, "utf-8")
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(SEEDS["002"], batch / name)
    shutil.copy(SEEDS["000"], batch / "c.txt")
    args = [
        "scan",
        str(batch),
        "--rules-dir",
        str(plugins),
        "--select",
        "XQ900",
        "--format",
        "json",
        "--jobs",
        jobs,
    ]
    result = CliRunner().invoke(main, args)
    data = json.loads(result.stdout)
    found = {
        r["path"].split("/")[-1]: [f["message"] for f in r["findings"]] for r in data["reports"]
    }
    assert found == {
        "a.txt": ["大峪镇人民政府在本批次中有2份报告"],
        "b.txt": ["大峪镇人民政府在本批次中有2份报告"],
        "c.txt": [],
    }


PLUGIN_CASES = """
rule: XQ300
cases:
  - name: telephone given
    base: seed
    pass: true
  - name: telephone removed
    base: seed
    edits: [["联系，电话", "联系，手机"], ["举报电话", "举报信箱"]]
    fail:
      - {line: 3, en: "no contact telephone"}
  - name: a wrong expectation fails loudly
    base: seed
    fail:
      - {zh: "报告未提供联系电话"}
"""


def test_plugin_author_tests_rules_with_gkaudit_testing(tmp_path):
    from gkaudit.testing import check_rule_case, load_rule_cases

    plugins, cases_dir = tmp_path / "plugins", tmp_path / "cases"
    plugins.mkdir()
    cases_dir.mkdir()
    (plugins / "phone.py").write_text(PLUGIN.format(code="XQ300"), "utf-8")
    cases_file = cases_dir / "XQ300.yml"
    cases_file.write_text(PLUGIN_CASES, "utf-8")
    text = SEEDS["000"].read_text("utf-8")
    assert text.count("电话") == 2
    cases = load_rule_cases(cases_file)
    assert [str(case) for case in cases] == [
        "XQ300-telephone given-original",
        "XQ300-telephone removed-original",
        "XQ300-a wrong expectation fails loudly-original",
    ]
    rules = rules_from(plugins)
    seeds = {"seed": SEEDS["000"]}
    assert check_rule_case(cases[0], tmp_path, rules=rules, seeds=seeds) == []
    [finding] = check_rule_case(cases[1], tmp_path, rules=rules, seeds=seeds)
    assert finding.code == "XQ300" and finding.unit == "卞路口乡人民政府"
    with pytest.raises(AssertionError, match="expected 1 finding"):
        check_rule_case(cases[2], tmp_path, rules=rules, seeds=seeds)


def test_rules_keep_no_state_between_reports():
    from gkaudit.check.rule import Context, Result
    from gkaudit.parse.parser import parse_file

    rules = rules_from()
    rule = rules["GK507"]()
    before = dict(vars(rule))
    report = parse_file(SEEDS["000"])
    results = list(rule.check(report, Context(Config())))
    assert all(isinstance(result, Result) for result in results)
    assert vars(rule) == before == {}
