"""The real reports in tests/data/realworld/: values read by eye from the files."""

from gkaudit import NotAReportError, parse_file

from conftest import realworld


def test_shuyang_county_markdown_ocr():
    report = parse_file(realworld("shuyang-county-2025.txt"))
    assert (report.unit, report.year) == ("沐阳县人民政府", 2025)
    assert (report.window.start.isoformat(), report.window.end.isoformat()) == (
        "2025-01-01",
        "2025-12-31",
    )
    assert report.signature_date.isoformat() == "2026-01-23"
    assert [s.kind for s in report.sections] == [1, 2, 3, 4, 5, 6]
    active = report.tables.active
    assert active.values("normative_documents") == [6, 1, 32]
    assert active.values("licensing") == [517645]
    assert active.values("fees") == [4068.208]
    requests = report.tables.requests
    assert requests.values("new") == [705, 3, 0, 0, 5, 0, 713]
    assert requests.values("carried_over") == [36, 0, 0, 0, 0, 0, 36]
    assert requests.values("other_2") == [7, 0, 0, 0, 0, 0, 7]
    assert requests.values("total") == [710, 3, 0, 0, 5, 0, 718]
    assert requests.values("carried_forward") == [31, 0, 0, 0, 0, 0, 31]
    review = report.tables.review
    assert review.values("review") == [27, 10, 9, 15, 61]
    assert review.values("litigation_direct") == [3, 0, 0, 0, 3]
    assert review.values("litigation_after_review") == [8, 0, 1, 1, 10]
    assert report.problems == []


def test_shanghai_office_pdf_markdown_reads_what_survived_extraction():
    report = parse_file(realworld("shanghai-office-2025.md"))
    assert (report.unit, report.year) == ("上海市人民政府办公厅", 2025)
    assert report.window.start.isoformat() == "2025-01-01"
    requests = report.tables.requests
    assert requests.values("new") == [1259, 36, 0, 0, 0, 0, 1295]
    assert requests.values("unable_1") == [484, 28, 0, 0, 1, 0, 513]
    assert requests.values("total") == [1139, 48, 0, 0, 4, 0, 1191]
    assert requests.values("carried_forward") == [290, 3, 0, 0, 0, 0, 293]
    assert report.tables.review.values("litigation_after_review") == [6, 0, 9, 7, 22]
    # The extraction separated 规章's values from its label: reported, not guessed.
    kinds = {(p.kind, p.params.get("row")) for p in report.problems}
    assert ("row-width", "regulations") in kinds
    assert report.tables.active.values("regulations") is None


def test_shanghai_kewei_pdf_markdown():
    report = parse_file(realworld("shanghai-kewei-2024.md"))
    assert (report.unit, report.year) == ("上海市科委", 2024)
    assert report.tables.active.values("normative_documents") == [13, 0, 55]
    assert report.tables.active.values("licensing") == [97]
    assert report.tables.requests.values("new") == [32, 2, 0, 0, 0, 0, 34]
    assert report.tables.requests.values("carried_forward") == [1, 0, 0, 0, 0, 0, None]
    assert report.tables.review.values("review") == [1, 0, 0, 0, 1]
    # Rows whose labels the extraction displaced are placed by the form's order where that is
    # certain (one unlabelled row between two known rows per missing row), values read by eye:
    requests = report.tables.requests
    assert requests.values("partial") == [0] * 7  # line 105, between 予以公开 and 1.国家秘密
    assert requests.values("denied_5") == [1, 0, 0, 0, 0, 0, 1]  # line 128
    assert requests.values("unable_1") == [4, 0, 0, 0, 0, 0, 4]  # line 134, after 8.行政查询
    assert requests.values("unable_2") == [6, 0, 0, 0, 0, 0, 6]
    assert requests.values("other_1") == [8, 2, 0, 0, 0, 0, 10]  # line 163
    placed = {p.params["row"]: p.line for p in report.problems if p.kind == "placed-by-position"}
    assert placed["partial"] == 105 and placed["other_1"] == 163
    # 2.申请人逾期未按收费… lost its values to a stray "1": not read, and said so.
    assert requests.values("other_2") is None
    kinds = {(p.kind, p.params.get("row")) for p in report.problems}
    assert ("row-width", "other_2") in kinds
    assert any(p.kind == "unplaced-row" and p.line == 173 for p in report.problems)
    assert requests.status == "partial" and requests.unread == ["other_2"]


def test_realworld_readme_is_not_a_report():
    try:
        parse_file(realworld("README.md"))
    except NotAReportError as error:
        assert "does not look like" in str(error)
    else:
        raise AssertionError("README.md parsed as a report")
