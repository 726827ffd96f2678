"""The findings on the five seed reports: what a careful auditor writes, with the reason."""

import pytest

from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine
from gkaudit.plugins import collect_rules, plugin_manager

from conftest import SEEDS

EXPECTED = {
    "000": [
        # Says it reports 绩效考核 but never 社会评议 or 责任追究 (Art. 50(4) for townships).
        ("GK503", 5),
        # 总体情况 is three paragraphs on general attitude, requests and supervision; the
        # enumeration sentence "全文包括…主动公开…平台建设…" does not cover those topics.
        ("GK504", 5),
    ],
    "001": [
        # No statistics window anywhere (the issue lists 001–003 as windowless).
        ("GK202", 2),
    ],
    "002": [
        ("GK202", 3),  # no statistics window
    ],
    "003": [
        ("GK202", 1),  # no statistics window
        # 社会评议 and 考核 are reported, 责任追究 is not: the finding points at （五）监督保障情况.
        ("GK503", 10),
        # Table A row label 规范性文件: the 2021 format says 行政规范性文件.
        ("GK107", 24),
        # Section 三 numbered "3、" instead of "三、".
        ("GK102", 58),
        # "[bookmark: _GoBack]": a Word bookmark pasted into section 六.
        ("GK506", 394),
    ],
    "004": [
        # Neither 工作考核, 社会评议 nor 责任追究 appears: a township must report all three
        # (the finding points at (五) 监督保障).
        ("GK503", 15),
    ],
}


@pytest.fixture(scope="module")
def engine():
    return Engine(Config(), collect_rules(plugin_manager()))


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_findings(engine, name):
    audit = engine.audit_file(SEEDS[name])
    assert audit.errors == []
    assert audit.unit_type == "township"
    assert [(f.code, f.line) for f in audit.findings] == EXPECTED[name]


def test_seed_003_messages_in_both_languages(engine):
    findings = {f.code: f for f in engine.audit_file(SEEDS["003"]).findings}
    assert findings["GK102"].message("zh") == "章节标题使用阿拉伯数字编号“3、”，应为“三、”"
    assert (
        findings["GK102"].message("en")
        == "heading numbered '3、' with an Arabic digit; expected '三、'"
    )
    assert findings["GK503"].severity.value == "warning"
    assert findings["GK506"].evidence == {"quote": "[bookmark: _GoBack]"}


def test_seed_004_missing_all_three_is_an_error(engine):
    (finding,) = engine.audit_file(SEEDS["004"]).findings
    assert finding.severity.value == "error"
