"""Every message names rows and columns as the national form prints them, in both languages.

All rules run over every test input (the seeds, the real corpus, the real-world files and every
rule case's input); no message may show a canonical key of the model (``carried_forward``,
``denied_2``, ``natural_person``) or any other ``snake_case`` identifier.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine
from gkaudit.base.vocabulary import (
    ACTIVE_WIDTHS,
    REQUEST_COLUMNS,
    REQUEST_KEYS,
    REVIEW_COLUMNS,
    REVIEW_KEYS,
)
from gkaudit.check.findings import Finding
from gkaudit.plugins import collect_rules, plugin_manager
from gkaudit.testing import case_text, load_rule_cases

from conftest import REALWORLD, SEEDS

TESTS = Path(__file__).parent
CORPUS = TESTS / "data" / "corpus"
KEYS = {*REQUEST_KEYS, *REVIEW_KEYS, *ACTIVE_WIDTHS, *REQUEST_COLUMNS, *REVIEW_COLUMNS}
SNAKE_CASE = re.compile(r"(?<![A-Za-z0-9_./:-])[a-z][a-z0-9]*_[a-z0-9_]+(?![A-Za-z0-9_])")
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def inputs() -> list[Path]:
    files = [*SEEDS.values(), *sorted(CORPUS.glob("*.txt"))]
    files += [
        path
        for path in sorted(REALWORLD.iterdir())
        if path.suffix != ".md" or "README" not in path.name
    ]
    return files


@cache
def engine() -> Engine:
    return Engine(Config(), collect_rules(plugin_manager()))


@cache
def findings_of(path: Path) -> tuple[Finding, ...]:
    return tuple(engine().audit_file(path).findings)


def leaks(text: str, lang: str) -> list[str]:
    """Canonical keys and snake_case identifiers in a message; in Chinese any key at all."""
    found = SNAKE_CASE.findall(text)
    if lang == "zh":
        found += [word for word in WORD.findall(text) if word in KEYS and word not in found]
    return found


def assert_clean(findings: tuple[Finding, ...] | list[Finding], where: str) -> None:
    problems = [
        (finding.code, lang, finding.message(lang), leaked)
        for finding in findings
        for lang in ("zh", "en")
        if (leaked := leaks(finding.message(lang), lang))
    ]
    assert problems == [], f"{where}: {problems}"


@pytest.mark.parametrize("path", inputs(), ids=lambda path: path.name)
def test_messages_of_every_input_name_the_form(path):
    assert_clean(findings_of(path), path.name)


def test_messages_of_every_rule_case_name_the_form(tmp_path):
    checked = 0
    for case in load_rule_cases(TESTS / "rules"):
        if case.layout != "original":
            continue  # the same words re-laid out
        path = tmp_path / f"{checked}.txt"
        path.write_bytes(case_text(case, SEEDS))
        findings = engine().audit_file(path).findings
        assert_clean(findings, str(case))
        checked += len(findings)
    assert checked > 100  # the cases that fail make every rule speak


def test_the_check_catches_a_leak():
    assert leaks("依申请公开情况表carried_forward列", "zh") == ["carried_forward"]
    assert leaks("column 'denied_2' of Table B", "en") == ["denied_2"]
    assert leaks("依申请公开情况表 total 列", "zh") == ["total"]
    assert leaks("new 3 + carried over 0 = 3, total 3", "en") == []
    assert leaks("见 https://www.gov.cn/a_b.html", "zh") == []
