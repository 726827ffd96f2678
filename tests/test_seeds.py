"""Each seed report parses to exactly its true values: every cell, every section, the window."""

from datetime import date

import pytest

from gkaudit import parse_file
from gkaudit.model.report import ACTIVE_WIDTHS, REQUEST_KEYS, REVIEW_KEYS

from conftest import SEEDS

ZERO7 = [0] * 7

EXPECTED = {
    "000": {
        "unit": "卞路口乡人民政府",
        "year": 2024,
        "sections": [5, 15, 33, 64, 71, 81],
        "window": ("2024年1月1日至12月31日", 7, date(2024, 1, 1), date(2024, 12, 31)),
        "signature": None,
        "nonzero_active": {},
        "nonzero_requests": {},
        "row_lines": {"regulations": 19, "fees": 31, "new": 38, "total": 61, "carried_forward": 62},
        "review_line": 69,
    },
    "001": {
        "unit": "获嘉县史庄镇",
        "year": 2024,
        "sections": [4, 12, 60, 349, 408, 420],
        "window": None,
        "signature": None,
        "nonzero_active": {},
        "nonzero_requests": {},
        "row_lines": {
            "regulations": 21,
            "fees": 55,
            "new": 81,
            "total": 329,
            "carried_forward": 338,
        },
        "review_line": 389,
    },
    "002": {
        "unit": "大峪镇人民政府",
        "year": 2024,
        "sections": [5, 29, 46, 77, 84, 94],
        "window": None,
        "signature": None,
        "nonzero_active": {"penalty": [5]},
        "nonzero_requests": {
            "new": [2, 0, 0, 0, 0, 0, 2],
            "granted": [1, 0, 0, 0, 0, 0, 1],
            "unable_1": [1, 0, 0, 0, 0, 0, 1],
            "total": [2, 0, 0, 0, 0, 0, 2],
        },
        "row_lines": {"regulations": 33, "fees": 44, "new": 51, "total": 74, "carried_forward": 75},
        "review_line": 82,
    },
    "003": {
        "unit": "策勒乡人民政府",
        "year": 2024,
        "sections": [5, 11, 58, 345, 390, 393],
        "window": None,
        "signature": (date(2025, 1, 14), 399),
        "nonzero_active": {},
        "nonzero_requests": {},
        "row_lines": {
            "regulations": 19,
            "fees": 53,
            "new": 76,
            "total": 328,
            "carried_forward": 337,
        },
        "review_line": 373,
    },
    "004": {
        "unit": "瓦窑沟乡人民政府",
        "year": 2023,
        "sections": [5, 17, 34, 65, 72, 92],
        "window": ("2023年1月1日起至2023年12月31日止", 100, date(2023, 1, 1), date(2023, 12, 31)),
        "signature": None,
        "nonzero_active": {},
        "nonzero_requests": {},
        "row_lines": {"regulations": 21, "fees": 32, "new": 39, "total": 62, "carried_forward": 63},
        "review_line": 70,
    },
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_header_facts(name):
    report, expected = parse_file(SEEDS[name]), EXPECTED[name]
    assert report.unit == expected["unit"]
    assert report.year == expected["year"]
    assert report.template == "2021"
    window = report.window
    got = (window.text, window.line, window.start, window.end) if window else None
    assert got == expected["window"]
    signature = (report.signature_date, report.signature_line) if report.signature_date else None
    assert signature == expected["signature"]


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_sections(name):
    report = parse_file(SEEDS[name])
    assert [s.line for s in report.sections] == EXPECTED[name]["sections"]
    assert [s.kind for s in report.sections] == [1, 2, 3, 4, 5, 6]
    numbers = [s.number for s in report.sections]
    assert numbers == (
        ["一", "二", "3", "四", "五", "六"] if name == "003" else list("一二三四五六")
    )
    assert report.sections[2].heading == "收到和处理政府信息公开申请情况"
    assert report.sections[3].heading == "政府信息公开行政复议、行政诉讼情况"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_every_cell(name):
    report, expected = parse_file(SEEDS[name]), EXPECTED[name]
    active, requests, review = report.tables.active, report.tables.requests, report.tables.review
    for key, width in ACTIVE_WIDTHS.items():
        assert active.values(key) == expected["nonzero_active"].get(key, [0] * width), key
    for key in REQUEST_KEYS:
        assert requests.values(key) == expected["nonzero_requests"].get(key, ZERO7), key
    for key in REVIEW_KEYS:
        assert review.values(key) == [0] * 5, key
    assert report.problems == []


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_row_and_cell_lines(name):
    report, expected = parse_file(SEEDS[name]), EXPECTED[name]
    tables = report.tables
    rows = {**tables.active.rows, **tables.requests.rows}
    for key, line in expected["row_lines"].items():
        assert rows[key].line == line, key
    assert tables.review.rows["review"].cells[0].line == expected["review_line"]


def test_stacked_layout_cells_keep_their_own_lines():
    report = parse_file(SEEDS["001"])
    new = report.tables.requests.rows["new"]
    assert [cell.line for cell in new.cells] == list(range(82, 89))
    assert [cell.raw for cell in new.cells] == ["0"] * 7
    review = report.tables.review.rows["litigation_after_review"]
    assert [cell.line for cell in review.cells] == list(range(399, 404))


def test_subsections_and_body():
    report = parse_file(SEEDS["002"])
    overview = report.section(1)
    assert [(s.number, s.heading, s.line) for s in overview.subsections] == [
        ("一", "主动公开情况", 9),
        ("二", "依申请公开情况", 13),
        ("三", "政府信息管理情况", 17),
        ("四", "政府信息公开平台建设情况", 21),
        ("五", "政府信息公开监督保障情况", 25),
    ]
    assert "全年收到依申请公开事项2件" in overview.text
    assert report.section(6).text == "2024年度无收取信息处理费情况,无其他需要说明的事项。"
