"""The real corpus: published reports' text, and what a person read in it by eye.

Each ``tests/data/corpus/NNN-slug.txt`` is a report's text as a public web page gave it; beside it,
``NNN-slug.yml`` holds the values, the defects and the clean aspects read by hand (never by gkaudit;
schema: ``corpus.schema.json``, how they were read: ``README.md``). Every value read is compared with
what gkaudit reads, one case per report and table; every hand-read defect expects its finding and
every aspect checked clean expects none. What today's gkaudit gets wrong is listed in
``known_failures.yml`` and marked xfail(strict=True): when a fix makes such a case pass, the XPASS
fails and the entry must go. ``benchmarks/corpus_recall.py`` reports the same comparison as figures.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
SCHEMA = CORPUS / "corpus.schema.json"
KNOWN_FAILURES = CORPUS / "known_failures.yml"
TABLES = ("meta", "active", "active_2019", "requests", "review")
LINE_TOLERANCE = 2  # a finding may point at a label's neighbouring line (labels span lines)

# Rows and columns as the national form prints them: assertion messages speak the form's words.
ACTIVE_LABELS = {
    "regulations": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "penalty": "行政处罚",
    "enforcement": "行政强制",
    "fees": "行政事业性收费",
}
ACTIVE_COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")
REQUEST_LABELS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partial": "（二）部分公开",
    **{f"denied_{i}": f"（三）不予公开 {i}." for i in range(1, 9)},
    **{f"unable_{i}": f"（四）无法提供 {i}." for i in range(1, 4)},
    **{f"not_processed_{i}": f"（五）不予处理 {i}." for i in range(1, 6)},
    **{f"other_{i}": f"（六）其他处理 {i}." for i in range(1, 4)},
    "total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
REQUEST_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
REVIEW_LABELS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼 未经复议直接起诉",
    "litigation_after_review": "行政诉讼 复议后起诉",
}
REVIEW_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


# --- loading ---------------------------------------------------------------------------------


def case_names() -> list[str]:
    return sorted(path.stem for path in CORPUS.glob("*.yml") if path.name != KNOWN_FAILURES.name)


@cache
def load_case(name: str) -> dict[str, Any]:
    return yaml.safe_load((CORPUS / f"{name}.yml").read_text("utf-8"))


@cache
def parsed(name: str) -> Any:
    """gkaudit's report for the case's text, or the error text when it cannot be parsed."""
    from gkaudit import GkauditError, parse_text

    text = (CORPUS / f"{name}.txt").read_text("utf-8")
    try:
        return parse_text(text, f"{name}.txt")
    except GkauditError as error:
        return f"gkaudit cannot parse the text: {error}"
    except Exception as error:  # a crash fails this report's cases, never the whole run
        return f"gkaudit failed on the text: {type(error).__name__}: {error}"


@cache
def audited(name: str) -> Any:
    """gkaudit's findings for the case, or the error text when the text cannot be parsed."""
    report = parsed(name)
    if isinstance(report, str):
        return report
    return engine().audit_report(report).findings


@cache
def engine() -> Any:
    from gkaudit.audit.config import Config
    from gkaudit.audit.engine import Engine
    from gkaudit.plugins import collect_rules, plugin_manager

    return Engine(Config(), collect_rules(plugin_manager()))


def load_known_failures() -> list[dict[str, Any]]:
    return yaml.safe_load(KNOWN_FAILURES.read_text("utf-8")) or []


def known_failure_key(entry: dict[str, Any]) -> tuple[str, str]:
    if "table" in entry:
        return entry["report"], entry["table"]
    if "defect" in entry:
        return entry["report"], f"defect {entry['defect']}@{entry.get('line')}"
    return entry["report"], f"clean {entry['clean']}"


# --- comparison ------------------------------------------------------------------------------


@dataclass
class Cell:
    """One value read by hand, and what gkaudit read for it."""

    where: str  # the form's words: row and column
    mine: Any
    theirs: Any

    @property
    def outcome(self) -> str:
        """equal, different (gkaudit has another value: the worst) or unread."""
        if self.mine is None:  # a blank cell: gkaudit must not put a number there
            return "equal" if self.theirs is None else "different"
        if self.theirs is None:
            return "unread"
        if isinstance(self.mine, (int, float)) and isinstance(self.theirs, (int, float)):
            return "equal" if math.isclose(self.mine, self.theirs, abs_tol=1e-9) else "different"
        return "equal" if self.mine == self.theirs else "different"


@dataclass
class Comparison:
    cells: list[Cell] = field(default_factory=list)
    note: str = ""  # why gkaudit read nothing at all, when it did not

    def outcomes(self, outcome: str) -> list[Cell]:
        return [cell for cell in self.cells if cell.outcome == outcome]

    def message(self) -> str:
        lines = [self.note] if self.note else []
        for cell in self.outcomes("different"):
            shown = "nothing (blank in the text)" if cell.mine is None else cell.mine
            lines.append(
                f"WRONG NUMBER at {cell.where}: read by eye {shown}, gkaudit {cell.theirs}"
            )
        for cell in self.outcomes("unread"):
            lines.append(f"unread at {cell.where}: read by eye {cell.mine}, gkaudit nothing")
        return "\n".join(lines)


def compare(name: str, table: str) -> Comparison:
    case = load_case(name)
    report = parsed(name)
    comparison = Comparison()
    if isinstance(report, str):
        comparison.note = report
        report = None
    if table == "meta":
        comparison.cells = meta_cells(case, report)
    elif table == "active":
        comparison.cells = active_cells(case, report)
    elif table == "active_2019":
        comparison.cells = active_2019_cells(case, report)
    elif table == "requests":
        comparison.cells = request_cells(case, report)
    else:
        comparison.cells = review_cells(case, report)
    return comparison


def meta_cells(case: dict[str, Any], report: Any) -> list[Cell]:
    cells = []
    if case["unit"] is not None:
        cells.append(Cell("单位名称", case["unit"], getattr(report, "unit", None)))
    if case["year"] is not None:
        cells.append(Cell("报告年度", case["year"], getattr(report, "year", None)))
    window = getattr(report, "window", None)
    if case["window"] is None:  # no window in the text: none may be invented
        theirs = None if window is None else f"{window.start}–{window.end}"
        cells.append(Cell("统计期限 (none stated)", None, theirs))
    elif case.get("window_dates"):
        start, end = case["window_dates"]
        cells.append(Cell("统计期限 起", start, _iso(getattr(window, "start", None))))
        cells.append(Cell("统计期限 止", end, _iso(getattr(window, "end", None))))
    else:  # written but not readable with certainty: gkaudit may not claim a whole window
        whole = window is not None and window.start is not None and window.end is not None
        theirs = f"{window.start}–{window.end}" if whole else None
        cells.append(Cell(f"统计期限 (unreadable: {case['window']})", None, theirs))
    return cells


def _iso(day: Any) -> str | None:
    return None if day is None else day.isoformat()


def active_cells(case: dict[str, Any], report: Any) -> list[Cell]:
    table = getattr(getattr(report, "tables", None), "active", None)
    cells = []
    for key, mine in case.get("active", {}).items():
        mine = mine if isinstance(mine, list) else [mine]
        theirs = _row_values(table, key)
        columns = ACTIVE_COLUMNS if len(mine) == 3 else ("",)
        for index, value in enumerate(mine):
            where = f"主动公开 {ACTIVE_LABELS[key]} {columns[index]}".rstrip()
            cells.append(Cell(where, value, _at(theirs, index)))
    return cells


# Table A of the 2019 trial format, as the YAML records it: rows by their printed label
# (simplified or traditional characters), values as printed (本年增/减 may read 减4 or +2).
ACTIVE_2019_ROWS = {
    "规章": "regulations", "規章": "regulations",
    "规范性文件": "normative_documents", "規範性文件": "normative_documents",
    "規範性檔案": "normative_documents",
    "行政许可": "licensing", "行政許可": "licensing",
    "其他对外管理服务事项": "other_services", "其他對外管理服務事項": "other_services",
    "行政处罚": "penalty", "行政處罰": "penalty",
    "行政强制": "enforcement", "行政強製": "enforcement", "行政強制": "enforcement",
    "行政事业性收费": "fees", "行政事業性收費": "fees",
    "政府集中采购": "procurement", "政府集中采購": "procurement",
}  # fmt: skip


def active_2019_cells(case: dict[str, Any], report: Any) -> list[Cell]:
    table = getattr(getattr(report, "tables", None), "active", None)
    cells = []
    for label, mine in case.get("active_2019", {}).items():
        if label not in ACTIVE_2019_ROWS:
            continue  # a row of the report's own, in no form (其他主动公开文件): nothing to compare
        mine = mine if isinstance(mine, list) else [mine]
        theirs = _row_values(table, ACTIVE_2019_ROWS[label])
        for index, value in enumerate(mine):
            where = f"主动公开（2019年格式） {label} 第{index + 1}栏"
            cells.append(Cell(where, _printed_number(value), _at(theirs, index)))
    return cells


def _printed_number(value: Any) -> Any:
    """A value as printed: a signed number (+2, -1) is that number; words around a number
    (减4, 160.5964万元) are not a cell gkaudit may read as a number (None)."""
    if not isinstance(value, str):
        return value
    try:
        number = float(value.replace("+", "", 1))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def request_cells(case: dict[str, Any], report: Any) -> list[Cell]:
    table = getattr(getattr(report, "tables", None), "requests", None)
    cells = []
    for key, mine in case.get("requests", {}).items():
        theirs = list(_row_values(table, key) or [])
        if len(mine) == 8:  # the 法人或其他组织 subtotal, kept as the 8th value (README)
            subtotal = getattr(table, "subtotals", {}).get(key) if table else None
            theirs = [*theirs[:7], getattr(subtotal, "value", None)]
        columns = (*REQUEST_COLUMNS, "法人或其他组织小计")
        for index, value in enumerate(mine):
            where = f"{REQUEST_LABELS[key]} {columns[index]}"
            cells.append(Cell(where, value, _at(theirs, index)))
    return cells


def review_cells(case: dict[str, Any], report: Any) -> list[Cell]:
    table = getattr(getattr(report, "tables", None), "review", None)
    cells = []
    for key, label in REVIEW_LABELS.items():
        if key not in case:
            continue
        theirs = _row_values(table, key)
        for index, value in enumerate(case[key]):
            cells.append(Cell(f"{label} {REVIEW_COLUMNS[index]}", value, _at(theirs, index)))
    return cells


def _row_values(table: Any, key: str) -> list[Any] | None:
    return None if table is None else table.values(key)


def _at(values: list[Any] | None, index: int) -> Any:
    return values[index] if values is not None and index < len(values) else None


def has_values(name: str, table: str) -> bool:
    case = load_case(name)
    if table == "meta":
        return True
    if table == "review":
        return any(key in case for key in REVIEW_LABELS)
    return bool(case.get(table))  # "active_2019" too


def matching_findings(name: str, code: str, line: int | None) -> list[Any] | str:
    findings = audited(name)
    if isinstance(findings, str):
        return findings
    return [
        finding
        for finding in findings
        if finding.code == code and (line is None or _points_at(name, finding.line, line))
    ]


def _points_at(name: str, found: int | None, line: int) -> bool:
    """Whether a finding's line is the defect's: within the tolerance, or the logical line
    (a table row or head the layout step joined from several source lines) that holds it."""
    if found is None:
        return False
    if abs(found - line) <= LINE_TOLERANCE:
        return True
    return found <= line < _next_line(name, found)


def _next_line(name: str, number: int) -> int:
    """The source line where the logical line after ``number`` starts."""
    report = parsed(name)
    numbers = [] if isinstance(report, str) else [line.number for line in report.lines]
    return next((n for n in numbers if n > number), number + 1)


def findings_of(name: str, code: str) -> list[Any] | str:
    return matching_findings(name, code, None)


# --- parametrisation -------------------------------------------------------------------------


def _mark(name: str, what: str, known: dict[tuple[str, str], str]) -> list[Any]:
    reason = known.get((name, what))
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _known() -> dict[tuple[str, str], str]:
    return {known_failure_key(entry): entry["reason"] for entry in load_known_failures()}


def table_params() -> list[Any]:
    known = _known()
    return [
        pytest.param(name, table, id=f"{name}::{table}", marks=_mark(name, table, known))
        for name in case_names()
        for table in TABLES
        if has_values(name, table)
    ]


def defect_params() -> list[Any]:
    known = _known()
    params = []
    for name in case_names():
        for defect in load_case(name)["defects"]:
            what = f"defect {defect['code']}@{defect['line']}"
            marks = _mark(name, what, known)
            params.append(pytest.param(name, defect, id=f"{name}::{what}", marks=marks))
    return params


def clean_params() -> list[Any]:
    known = _known()
    params = []
    for name in case_names():
        for clean in load_case(name)["checked_clean"]:
            what = f"clean {clean['code']}"
            marks = _mark(name, what, known)
            params.append(pytest.param(name, clean, id=f"{name}::{what}", marks=marks))
    return params


# --- the tests -------------------------------------------------------------------------------


def test_corpus_is_large_and_paired():
    names = case_names()
    assert len(names) >= 45
    texts = sorted(path.stem for path in CORPUS.glob("*.txt"))
    assert texts == names, "every text needs its YAML and every YAML its text"


@pytest.mark.parametrize("name", case_names())
def test_case_validates_against_schema(name):
    schema = json.loads(SCHEMA.read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [
        f"{list(error.path)}: {error.message}" for error in validator.iter_errors(load_case(name))
    ]
    assert errors == []


@pytest.mark.parametrize("name", case_names())
def test_case_is_self_consistent(name):
    """Row widths and defect lines agree with the text, so a YAML typo cannot pass silently."""
    case = load_case(name)
    lines = (CORPUS / f"{name}.txt").read_text("utf-8").split("\n")
    for defect in case["defects"]:
        assert defect["line"] is None or defect["line"] <= len(lines), defect
    width = case.get("requests_columns", 7)
    assert all(len(row) == width for row in case.get("requests", {}).values())
    if case.get("window") is not None:
        written = "".join(case["window"].split())
        assert written in "".join("".join(lines).split()), (
            "the window must be written as in the text"
        )


def test_known_failures_name_real_cases():
    keys = {(name, table) for name in case_names() for table in TABLES if has_values(name, table)}
    for name in case_names():
        case = load_case(name)
        keys |= {(name, f"defect {d['code']}@{d['line']}") for d in case["defects"]}
        keys |= {(name, f"clean {c['code']}") for c in case["checked_clean"]}
    for entry in load_known_failures():
        assert entry.get("reason"), entry
        assert known_failure_key(entry) in keys, f"stale or misspelt known failure: {entry}"


@pytest.mark.parametrize(("name", "table"), table_params())
def test_values_read_as_by_eye(name, table):
    comparison = compare(name, table)
    assert comparison.cells, "a case per table only where values were read"
    assert not comparison.outcomes("different") and not comparison.outcomes("unread"), (
        comparison.message()
    )


@pytest.mark.parametrize(("name", "defect"), defect_params())
def test_hand_read_defect_is_found(name, defect):
    found = matching_findings(name, defect["code"], defect["line"])
    assert not isinstance(found, str), found
    assert found, f"{defect['code']} not reported at line {defect['line']}: {defect['what']}"


@pytest.mark.parametrize(("name", "clean"), clean_params())
def test_aspect_checked_clean_has_no_finding(name, clean):
    found = findings_of(name, clean["code"])
    assert not isinstance(found, str), found
    assert found == [], (
        f"false alarm: {clean['code']} reported ({[f.message('en') for f in found]}) "
        f"though checked clean: {clean['what']}"
    )
