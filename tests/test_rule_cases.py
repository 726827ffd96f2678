"""One generic test for the YAML pass/fail cases of every rule (tests/rules/GKnnn.yml).

A case starts from a seed report (``base``) or its own ``text``, applies ``delete_lines``
(inclusive 1-based ranges) and ``edits`` ([old, new], each found exactly once), and runs only
the case's rule (with gkaudit.testing, the runner plugin authors use too). ``pass: true``
expects no finding; ``fail`` lists the expected findings in order, each with a substring of its Chinese (``zh``) and/or English (``en``) message and,
in the original layout, its ``line``. Unless a case names its ``layouts``, it runs in the
original text and re-laid out (tests/layouts.py: its block splitter, then its generator, no
gkaudit involved) as tab rows, pipe rows and one cell per line led by a tab (not Markdown: it
pads short rows with blank cells, which changes what a case about a missing value means).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gkaudit.plugins import collect_rules, plugin_manager
from gkaudit.testing import RuleCase, check_rule_case, load_rule_cases

from conftest import SEEDS
from layouts import render, split_blocks

CASES_DIR = Path(__file__).parent / "rules"
ALL_LAYOUTS = ("original", "tab", "pipe", "stacked_tab")


@pytest.fixture(scope="module")
def rules():
    return collect_rules(plugin_manager())


def relayout(text: str, layout: str) -> str:
    return render(split_blocks(text), layout)


@pytest.mark.parametrize("case", load_rule_cases(CASES_DIR, ALL_LAYOUTS), ids=str)
def test_rule_case(case: RuleCase, rules, tmp_path):
    check_rule_case(case, tmp_path, rules=rules, seeds=SEEDS, relayout=relayout)


def test_every_rule_has_cases_that_pass_and_fail(rules):
    files = {file.stem: yaml.safe_load(file.read_text("utf-8")) for file in CASES_DIR.glob("*.yml")}
    # Batch rules (GK6xx) judge several reports together: their cases are tests/test_crossdoc.py.
    builtin = {code for code, rule in rules.items() if code.startswith("GK") and not rule.batch}
    assert builtin <= set(files), sorted(builtin - set(files))
    for code in builtin:
        cases = files[code]["cases"]
        assert any(case.get("pass") for case in cases), f"{code} has no passing case"
        assert any(case.get("fail") for case in cases), f"{code} has no failing case"
