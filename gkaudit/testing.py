"""Test rules the way the built-in pack is tested: YAML pass/fail cases, from your own pytest.

A case file (``GKnnn.yml``, or any name) holds ``rule:`` (the code) and ``cases:``. A case starts
from a base report (``base``: a key of the ``seeds`` you pass, or a path) or its own ``text``,
applies ``delete_lines`` (inclusive 1-based ranges), ``edits`` ([old, new], each old found exactly
once) and ``append``, and runs only the case's rule. ``pass: true`` expects no finding; ``fail``
lists the expected findings in order, each with a substring of its Chinese (``zh``) and/or English
(``en``) message and optionally its ``line`` and ``severity``. ``config`` adds configuration.

In a plugin's tests::

    import pytest
    from gkaudit.testing import check_rule_case, load_rule_cases

    @pytest.mark.parametrize("case", load_rule_cases("tests/rules"), ids=str)
    def test_rule_case(case, tmp_path):
        check_rule_case(case, tmp_path)

Cases may also run re-laid out (the same report as tab rows, pipe rows, ...): pass ``layouts``
(names) to ``load_rule_cases`` and a ``relayout(text, layout)`` function to ``check_rule_case``.
Lines are compared only in the ``original`` layout, where they are the case's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gkaudit.audit.config import config_from_dict
from gkaudit.audit.engine import Engine
from gkaudit.check.findings import Finding
from gkaudit.check.rule import Rule
from gkaudit.plugins import collect_rules, plugin_manager

__all__ = ["RuleCase", "case_text", "check_rule_case", "load_rule_cases"]

ORIGINAL = "original"
Relayout = Callable[[str, str], str]


@dataclass(frozen=True)
class RuleCase:
    """One case of one rule, in one layout; ``str(case)`` is its test id."""

    code: str
    name: str
    spec: Mapping[str, Any]
    layout: str = ORIGINAL
    file: Path | None = None

    def __str__(self) -> str:
        return f"{self.code}-{self.name}-{self.layout}"


def load_rule_cases(
    location: str | Path, layouts: Sequence[str] = (ORIGINAL,)
) -> list[RuleCase]:
    """Every case of a case file, or of every ``*.yml`` in a directory, in each layout.

    A case with its own ``text`` (or ``binary``) runs in the original layout only, unless it
    names its ``layouts``.
    """
    location = Path(location)
    files = sorted(location.glob("*.yml")) if location.is_dir() else [location]
    return [case for file in files for case in _cases_of(file, layouts)]


def _cases_of(file: Path, layouts: Sequence[str]) -> Iterator[RuleCase]:
    spec = yaml.safe_load(file.read_text("utf-8"))
    for case in spec["cases"]:
        own_text = "text" in case or case.get("binary")
        default = [ORIGINAL] if own_text else list(layouts)
        for layout in case.get("layouts", default):
            yield RuleCase(spec["rule"], case["name"], case, layout, file)


def case_text(
    case: RuleCase,
    seeds: Mapping[str, Path] | None = None,
    relayout: Relayout | None = None,
) -> bytes:
    """The input file of a case: its base or text, edited, then re-laid out if asked."""
    spec = case.spec
    if spec.get("binary"):
        return bytes(range(256)) * 4
    text = spec["text"] if "text" in spec else _base(case, seeds).read_text("utf-8")
    lines = text.split("\n")
    for start, end in sorted(spec.get("delete_lines", []), reverse=True):
        del lines[start - 1 : end]
    text = "\n".join(lines)
    for old, new in spec.get("edits", []):
        if text.count(old) != 1:
            raise AssertionError(f"{case}: edit target must occur once: {old!r}")
        text = text.replace(old, new)
    text += spec.get("append", "")
    if case.layout != ORIGINAL:
        if relayout is None:
            raise AssertionError(f"{case}: layout {case.layout!r} needs a relayout function")
        text = relayout(text, case.layout)
    return text.encode("utf-8")


def _base(case: RuleCase, seeds: Mapping[str, Path] | None) -> Path:
    base = str(case.spec["base"])
    if seeds and base in seeds:
        return seeds[base]
    path = Path(base)
    if not path.is_absolute() and case.file is not None:
        path = case.file.parent / path
    if not path.exists():
        raise AssertionError(f"{case}: base report {base!r} not found")
    return path


def check_rule_case(
    case: RuleCase,
    tmp_path: Path,
    *,
    rules: Mapping[str, type[Rule]] | None = None,
    seeds: Mapping[str, Path] | None = None,
    relayout: Relayout | None = None,
) -> list[Finding]:
    """Run the case's rule on its input; raise AssertionError when the findings differ.

    ``rules`` (by code) defaults to every rule the installed plugins register. Returns the findings.
    """
    config = config_from_dict({"select": [case.code], **case.spec.get("config", {})})
    known = dict(rules) if rules is not None else collect_rules(plugin_manager())
    config.check_rule_options(known)
    engine = Engine(config, known)
    path = tmp_path / "report.txt"
    path.write_bytes(case_text(case, seeds, relayout))
    audit = engine.audit_file(path)
    if audit.errors:
        raise AssertionError(f"{case}: {audit.errors}")
    found = [finding for finding in audit.findings if finding.code == case.code]
    expected = [] if case.spec.get("pass") else case.spec["fail"]
    summary = [(finding.line, finding.message("zh")) for finding in found]
    if len(found) != len(expected):
        raise AssertionError(f"{case}: expected {len(expected)} finding(s), got {summary}")
    for finding, want in zip(found, expected, strict=True):
        _check_finding(case, finding, want, summary)
    return found


def _check_finding(
    case: RuleCase, finding: Finding, want: Mapping[str, Any], summary: list[Any]
) -> None:
    problems = [
        f"{lang} message lacks {want[lang]!r}"
        for lang in ("zh", "en")
        if lang in want and want[lang] not in finding.message(lang)
    ]
    if "severity" in want and finding.severity.value != want["severity"]:
        problems.append(f"severity {finding.severity.value}, expected {want['severity']}")
    if "line" in want and case.layout == ORIGINAL and finding.line != want["line"]:
        problems.append(f"line {finding.line}, expected {want['line']}")
    if problems:
        raise AssertionError(f"{case}: {'; '.join(problems)}: {summary}")
