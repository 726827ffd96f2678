"""One generic test for the YAML pass/fail cases of every rule (tests/rules/GKnnn.yml).

A case starts from a seed report (``base``) or its own ``text``, applies ``delete_lines``
(inclusive 1-based ranges) and ``edits`` ([old, new], each found exactly once), and runs only
the case's rule. ``pass: true`` expects no finding; ``fail`` lists the expected findings in
order, each with a substring of its Chinese (``zh``) and/or English (``en``) message and,
in the original layout, its ``line``. Unless a case names its ``layouts``, it runs in the
original text and re-laid out as tab rows, pipe rows and one cell per line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gkaudit.config import config_from_dict
from gkaudit.engine import Engine
from gkaudit.plugins import collect_rules, plugin_manager

from conftest import SEEDS
from relayout import LAYOUTS, relayout

CASES_DIR = Path(__file__).parent / "rules"
ALL_LAYOUTS = ("original", *LAYOUTS)


def load_cases():
    for file in sorted(CASES_DIR.glob("*.yml")):
        spec = yaml.safe_load(file.read_text("utf-8"))
        for case in spec["cases"]:
            default = ["original"] if "text" in case or case.get("binary") else list(ALL_LAYOUTS)
            for layout in case.get("layouts", default):
                yield pytest.param(
                    spec["rule"], case, layout, id=f"{spec['rule']}-{case['name']}-{layout}"
                )


@pytest.fixture(scope="module")
def rules():
    return collect_rules(plugin_manager())


def case_input(case: dict, layout: str) -> bytes:
    if case.get("binary"):
        return bytes(range(256)) * 4
    text = case["text"] if "text" in case else SEEDS[case["base"]].read_text("utf-8")
    lines = text.split("\n")
    for start, end in sorted(case.get("delete_lines", []), reverse=True):
        del lines[start - 1 : end]
    text = "\n".join(lines)
    for old, new in case.get("edits", []):
        assert text.count(old) == 1, f"edit target must occur once: {old!r}"
        text = text.replace(old, new)
    text += case.get("append", "")
    return (text if layout == "original" else relayout(text, layout)).encode("utf-8")


@pytest.mark.parametrize(("code", "case", "layout"), list(load_cases()))
def test_rule_case(code, case, layout, rules, tmp_path):
    config = config_from_dict({"select": [code], **case.get("config", {})})
    engine = Engine(config, rules)
    path = tmp_path / "report.txt"
    path.write_bytes(case_input(case, layout))
    audit = engine.audit_file(path)
    assert audit.errors == []
    found = [f for f in audit.findings if f.code == code]
    expected = [] if case.get("pass") else case["fail"]
    summary = [(f.line, f.message("zh")) for f in found]
    assert len(found) == len(expected), summary
    for finding, want in zip(found, expected, strict=True):
        if "zh" in want:
            assert want["zh"] in finding.message("zh"), summary
        if "en" in want:
            assert want["en"] in finding.message("en"), summary
        if "severity" in want:
            assert finding.severity.value == want["severity"]
        if layout == "original" and "line" in want:
            assert finding.line == want["line"], summary


def test_every_rule_has_cases_that_pass_and_fail(rules):
    files = {file.stem: yaml.safe_load(file.read_text("utf-8")) for file in CASES_DIR.glob("*.yml")}
    # Batch rules (GK6xx) judge several reports together: their cases are tests/test_crossdoc.py.
    builtin = {code for code, rule in rules.items() if code.startswith("GK") and not rule.batch}
    assert builtin <= set(files), sorted(builtin - set(files))
    for code in builtin:
        cases = files[code]["cases"]
        assert any(case.get("pass") for case in cases), f"{code} has no passing case"
        assert any(case.get("fail") for case in cases), f"{code} has no failing case"
