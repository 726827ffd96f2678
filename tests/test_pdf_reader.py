"""The PDFium reader against pdfplumber: the same items (text lines, table rows with their
cells, page numbers, what counts as page furniture) on every PDF of the tests — the real
huaian-city-2024.pdf, and PDFs LibreOffice makes from the seeds and from documents shaped to
stress the table finder: long tables over pages, rows cut by a page break, merged cells,
header cells that wrap, running headers and page numbers, tables without ruling lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkaudit.base.errors import ReadError
from gkaudit.read.readers import pdf as plumber_reader
from gkaudit.read.readers import pdfium

from conftest import SEEDS, realworld
from documents import convert_all, soffice, to_docx

# --- documents shaped like the hard cases ---------------------------------------------------

REQUEST_ROWS = [
    ("一、本年新收政府信息公开申请数量", "", "12"),
    ("二、上年结转政府信息公开申请数量", "", "0"),
    ("三、本年度办理结果", "（一）予以公开", "7"),
    ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1"),
    ("", "（三）不予公开", "0"),
    ("", "（四）无法提供", "2"),
    ("", "（五）不予处理", "0"),
    ("", "（六）其他处理", "0"),
    ("", "（七）总计", "10"),
    ("四、结转下年度继续办理", "", "2"),
]


def _page_number_footer(section) -> None:
    """A footer "- N -" whose N is Word's PAGE field, and a running header."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.header.paragraphs[0].text = "某县人民政府办公室 政府信息公开工作年度报告"
    paragraph = section.footer.paragraphs[0]
    paragraph.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" -")


def long_table_docx(path: Path) -> Path:
    """Eighty ruled rows over several pages, with running header and page numbers; one label
    so long that its row is cut by a page break."""
    import docx

    document = docx.Document()
    _page_number_footer(document.sections[0])
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    for index in range(80):
        cells = table.add_row().cells
        label = f"第{index + 1}项 依申请公开办理情况"
        if index == 33:
            label = "跨页的长标签" * 60
        cells[0].text = label
        cells[1].text = str(index * 3)
        cells[2].text = str(index % 7)
        cells[3].text = str(index * 3 + index % 7)
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    document.save(str(path))
    return path


def merged_cells_docx(path: Path) -> Path:
    """Table B's layout: labels merged down and across, the seven columns under a two-level
    header with merged cells."""
    import docx

    document = docx.Document()
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=3 + len(REQUEST_ROWS), cols=9)
    table.style = "Table Grid"
    table.cell(0, 0).merge(
        table.cell(2, 1)
    ).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    table.cell(0, 2).merge(table.cell(0, 8)).text = "申请人情况"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "自然人"
    table.cell(1, 3).merge(table.cell(1, 7)).text = "法人或其他组织"
    table.cell(1, 8).merge(table.cell(2, 8)).text = "总计"
    for column, name in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]):
        table.cell(2, 3 + column).text = name
    for offset, (first, second, value) in enumerate(REQUEST_ROWS):
        row = 3 + offset
        if second:
            table.cell(row, 1).text = second
            if first:
                table.cell(row, 0).text = first
        else:
            table.cell(row, 0).merge(table.cell(row, 1)).text = first
        for column in range(2, 9):
            table.cell(row, column).text = value if column in (2, 8) else "0"
    table.cell(5, 0).merge(table.cell(11, 0))
    document.add_paragraph("注：表中数据为本机关本年度办理情况。")
    document.save(str(path))
    return path


def wrapped_header_docx(path: Path) -> Path:
    """Table C: fifteen narrow columns whose headers wrap inside their cells (行政复 / 议)."""
    import docx

    document = docx.Document()
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    table = document.add_table(rows=3, cols=15)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(0, 4)).text = "行政复议"
    table.cell(0, 5).merge(table.cell(0, 14)).text = "行政诉讼"
    names = ["行政复议结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    for column in range(15):
        table.cell(1, column).text = names[column % 5]
        table.cell(2, column).text = str(column)
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.save(str(path))
    return path


def unruled_table_docx(path: Path) -> Path:
    """A table without borders: no ruling lines, so its rows read as text lines."""
    import docx

    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate(
        [
            ("信息内容", "本年制发件数", "本年废止件数"),
            ("规章", "0", "0"),
            ("行政规范性文件", "3", "1"),
        ]
    ):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    document.save(str(path))
    return path


SHAPES = {
    "long-table": long_table_docx,
    "merged-cells": merged_cells_docx,
    "wrapped-header": wrapped_header_docx,
    "unruled-table": unruled_table_docx,
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-writer-nogui)")
    folder = tmp_path_factory.mktemp("pdfs")
    sources = [
        to_docx(path.read_text("utf-8"), folder / f"seed-{name}.docx")
        for name, path in SEEDS.items()
    ]
    sources += [build(folder / f"{name}.docx") for name, build in SHAPES.items()]
    made = {path.stem: path for path in convert_all(sources, folder)}
    made["huaian-city-2024"] = realworld("huaian-city-2024.pdf")
    return made


NAMES = [f"seed-{name}" for name in SEEDS] + list(SHAPES) + ["huaian-city-2024"]


def plain(pages: list[list[pdfium.PageItem]]) -> list[list[tuple]]:
    return [[(item.text, item.edge, item.page, item.cells) for item in items] for items in pages]


# --- the same cells as pdfplumber ------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_pdfium_reads_what_pdfplumber_reads(name, pdfs):
    path = pdfs[name]
    expected = plumber_reader._read_pages_with_pdfplumber(path)
    assert plain(pdfium.read_pages(path, plumber_reader.MAX_PAGES)) == plain(expected)
    expected_document = plumber_reader.to_document(plumber_reader.blocks_of_pages(expected))
    assert plumber_reader.PdfReader().read(path, 10**8).blocks == expected_document.blocks
    rows = [item for items in expected for item in items if item.cells]
    assert (name == "unruled-table") == (rows == [])  # every other document has ruled tables


def test_a_long_table_reads_on_over_page_breaks(pdfs):
    blocks = plumber_reader.read_blocks(pdfs["long-table"])
    tables = [block for block in blocks if isinstance(block, plumber_reader.Table)]
    assert len(tables) == 1 and len(tables[0].rows) == 80  # one table over five pages
    assert tables[0].pages[0] == 1 and tables[0].pages[-1] == 5
    assert ("第24项 依申请公开办理情况", "69", "2", "71") in tables[0].rows  # cut by a page break
    paragraphs = [block.text for block in blocks if isinstance(block, plumber_reader.Paragraph)]
    assert paragraphs == [
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_merged_and_wrapped_header_cells(pdfs):
    merged = plumber_reader.read_blocks(pdfs["merged-cells"])[1]
    assert merged.rows[1] == ("", "", "自然人", "法人或其他组织", "", "", "", "", "总计")
    assert merged.rows[6] == (
        "",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
        "1",
    )
    wrapped = plumber_reader.read_blocks(pdfs["wrapped-header"])[1]
    assert wrapped.rows[1][:2] == (
        "行政复议结果维持",
        "结果纠正",
    )  # wrapped in its cell, read whole
    assert wrapped.rows[2] == tuple(str(column) for column in range(15))


# --- a header row cut by a page break --------------------------------------------------------

REVIEW_ROWS = [  # Table C as some reports write it: a narrow first cell, the rest merged
    ["行政复议（本栏折行）", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    ["", "", "", "", "", *["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2],
    [str(column % 3) for column in range(15)],
]
FILLERS = range(14, 28)  # paragraphs before the table: the page break falls in every row


def tables_after_paragraphs(
    folder: Path, fillers: range, heading: str, rows: list, following: str
) -> list[Path]:
    """A PDF per count of short paragraphs before ``heading`` and its table of ``rows`` (then
    the ``following`` heading), so the page break falls at a different place in each."""
    sources = []
    for filler in fillers:
        paragraphs = [{"kind": "paragraph", "text": f"第{n + 1}段 正文"} for n in range(filler)]
        blocks = [
            *paragraphs,
            {"kind": "paragraph", "text": heading},
            {"kind": "table", "rows": rows},
            {"kind": "paragraph", "text": following},
        ]
        sources.append(to_docx(blocks, folder / f"filler-{filler}.docx"))
    return convert_all(sources, folder)


@pytest.fixture(scope="module")
def page_break_pdfs(tmp_path_factory) -> list[Path]:
    """Table C after 14 to 27 short paragraphs: the page break cuts the first, second or third
    header row, falls between rows, or misses the table."""
    if soffice() is None:
        pytest.skip("LibreOffice is not installed here")
    folder = tmp_path_factory.mktemp("page-breaks")
    return tables_after_paragraphs(
        folder,
        FILLERS,
        "四、政府信息公开行政复议、行政诉讼情况",
        REVIEW_ROWS,
        "五、存在的主要问题及改进情况",
    )


def test_a_header_row_cut_by_a_page_break_reads_whole(page_break_pdfs):
    """Wherever the break falls, the table reads as printed: a cut header row is joined again
    even when the two pages' parts of the table have different columns (the first page's
    part, only the first row, has two: 行政复 / 议 over 行政诉讼)."""
    expected = [tuple(row) for row in REVIEW_ROWS]
    cut_rows = set()
    for path in page_break_pdfs:
        pages = pdfium.read_pages(path, plumber_reader.MAX_PAGES)
        assert plain(pages) == plain(plumber_reader._read_pages_with_pdfplumber(path))
        parts = [_trimmed(item.cells) for items in pages for item in items if item.cells]
        if len(parts) > len(REVIEW_ROWS):
            cut_rows.add(next(i for i, part in enumerate(parts) if part != expected[i]))
        blocks = plumber_reader.read_blocks(path)
        tables = [block for block in blocks if isinstance(block, plumber_reader.Table)]
        assert [[_trimmed(row) for row in table.rows] for table in tables] == [expected], path
    assert cut_rows == {0, 1, 2}  # each header row was cut by the break in one of the files


LONG_LABEL_ROWS = [[f"（{n}）本行的标签较长，在窄栏中折成多行", *[str(n)] * 7] for n in range(1, 7)]


@pytest.fixture(scope="module")
def last_row_pdfs(tmp_path_factory) -> list[Path]:
    """Rows whose labels wrap over several lines, after 26 to 39 paragraphs: the page break
    falls inside the last row's label, under its values, in some of them."""
    if soffice() is None:
        pytest.skip("LibreOffice is not installed here")
    folder = tmp_path_factory.mktemp("last-row")
    return tables_after_paragraphs(
        folder, range(26, 40), "三、收到和处理政府信息公开申请情况", LONG_LABEL_ROWS,
        "四、政府信息公开行政复议、行政诉讼情况",
    )  # fmt: skip


def test_the_rest_of_a_label_alone_on_the_next_page_joins_its_row(last_row_pdfs):
    """The table's last row cut under its values: the next page starts with a ruled row
    holding only the rest of the label (one filled cell, so no table by itself). It is joined
    to its row, not read as lines of text after the table."""
    expected = [tuple(row) for row in LONG_LABEL_ROWS]
    rests = 0
    for path in last_row_pdfs:
        pages = pdfium.read_pages(path, plumber_reader.MAX_PAGES)
        assert plain(pages) == plain(plumber_reader._read_pages_with_pdfplumber(path))
        rests += any(item.rest for items in pages for item in items)
        blocks = plumber_reader.read_blocks(path)
        tables = [block for block in blocks if isinstance(block, plumber_reader.Table)]
        assert [table.rows for table in tables] == [expected], path
        assert blocks[-2:] == [tables[0], blocks[-1]]  # no stray line after the table
        assert blocks[-1].text == "四、政府信息公开行政复议、行政诉讼情况"
    assert rests  # the break left a label's rest alone on a page in one of the files


def _trimmed(cells: tuple[str, ...]) -> tuple[str, ...]:
    """A row without its blank cells at the end (a page's part of a table has its own width)."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _row(page: int, cells: tuple[str, ...], lefts: tuple[float | None, ...]) -> pdfium.PageItem:
    return pdfium.PageItem(0.0, "\t".join(cells), False, page, cells, lefts)


def test_the_first_row_of_a_page_is_joined_only_to_the_row_it_continues():
    header = _row(1, ("行", "行政诉讼"), (80.0, 110.0))
    rest = _row(2, ("政复议", "", "", ""), (80.0, 110.0, None, None))
    (joined,) = plumber_reader._join_split_rows([header, rest])
    assert joined.cells == ("行政复议", "行政诉讼", "", "")
    # A new header row starts cells, with text, where the row above it has none: not joined.
    below = _row(2, ("结果维持", "结果纠正", "其他结果", ""), (80.0, 110.0, 140.0, 170.0))
    assert plumber_reader._join_split_rows([header, below]) == [header, below]
    # The row above starts a cell where the next page's first row does not: not joined.
    shifted = _row(2, ("政复议", ""), (80.0, 130.0))
    assert plumber_reader._join_split_rows([header, shifted]) == [header, shifted]
    # Values on the next page are a row of their own.
    values = _row(2, ("0", "0", "0", "0"), (80.0, 110.0, 140.0, 170.0))
    assert plumber_reader._join_split_rows([header, values]) == [header, values]
    # A ruled row kept only in case it continued a row, continuing none, is a line of text.
    rest = _row(2, ("", "不是续行的文字"), (80.0, 130.0))._replace(rest=True)
    assert plumber_reader._join_split_rows([header, rest]) == [
        header,
        pdfium.PageItem(0.0, "不是续行的文字", False, 2),
    ]


# --- the table finder against pdfplumber's, on ruling lines drawn at random ------------------

# Positions a few points either side of a grid line: edges snap, join and meet within
# pdfplumber's 3-point tolerances, or just miss.
_POSITIONS = st.builds(
    lambda line, offset: 40.0 * line + offset,
    st.integers(0, 4),
    st.sampled_from([0.0, 0.0, 0.0, 0.5, 1.0, 2.5, 3.0, 3.5, 4.0, -1.0, -3.0]),
)
_EDGES = st.lists(st.tuples(st.sampled_from("vh"), _POSITIONS, _POSITIONS, _POSITIONS), max_size=16)


def _edge(orientation: str, at: float, start: float, end: float) -> pdfium.Edge:
    low, high = min(start, end), max(start, end)
    if orientation == "v":
        return pdfium.Edge("v", at, low, at, high)
    return pdfium.Edge("h", low, at, high, at)


def _plumber_tables(edges: list[pdfium.Edge]) -> list[list[tuple[float, ...]]]:
    """pdfplumber's "lines" strategy on the same edges, with its default settings."""
    from pdfplumber import table
    from pdfplumber.utils import filter_edges

    objects = [
        {"orientation": o, "x0": x0, "top": top, "x1": x1, "bottom": bottom,
         "width": x1 - x0, "height": bottom - top, "object_type": "line"}
        for o, x0, top, x1, bottom in edges
    ]  # fmt: skip
    merged = table.merge_edges(filter_edges(objects, min_length=1), 3, 3, 3, 3)
    points = table.edges_to_intersections(filter_edges(merged, min_length=3), 3, 3)
    return table.cells_to_tables(table.intersections_to_cells(points))


@settings(max_examples=300, deadline=None)
@given(_EDGES)
def test_the_table_finder_finds_pdfplumbers_cells(drawn):
    edges = [_edge(*edge) for edge in drawn]
    found = pdfium.find_tables(edges)
    expected = [table for table in _plumber_tables(edges) if len(table) > 1]
    assert [sorted(table) for table in found] == [sorted(table) for table in expected]


# --- what the PDFium path leaves to pdfplumber, and files it refuses -------------------------


def test_a_rotated_page_is_read_by_pdfplumber(tmp_path, pdfs):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for number, page in enumerate(PdfReader(pdfs["seed-002"]).pages):
        writer.add_page(page.rotate(90) if number == 1 else page)
    path = tmp_path / "rotated.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(pdfium.Unsupported, match="rotated page"):
        pdfium.read_pages(path, 200)
    expected = plain(plumber_reader._read_pages_with_pdfplumber(path))
    assert plain(plumber_reader._read_pages(path)) == expected


@settings(max_examples=500)
@given(st.floats(min_value=-1e12, max_value=1e12) | st.sampled_from([12.3125, -12.3125, 0.0625]))
def test_the_rounder_rounds_coordinates_as_round_does(value):
    scaled = value * pdfium.SCALE  # 12.3125 pt: 12312.5, a tie round() takes to the even
    rounded = (scaled + pdfium._ROUNDER - pdfium._ROUNDER) / pdfium.SCALE
    assert rounded == round(scaled) / pdfium.SCALE


@pytest.mark.parametrize("x", [1e13, -1e13, float("inf"), float("-inf"), float("nan")])
def test_characters_beyond_the_rounders_range_are_left_to_pdfplumber(x):
    chars = [("a", 10.0, 20.0, 5.0, 15.0, 15.0, 10.0), ("b", 20.0, x, 5.0, 15.0, x, 10.0)]
    pdfium._check_rounded(chars[:1])
    with pytest.raises(pdfium.Unsupported, match="character coordinates out of range"):
        pdfium._check_rounded(chars)


def test_encrypted_pdf_is_refused(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(ReadError, match="encrypted PDF: it cannot be read without its password"):
        pdfium.read_pages(path, 200)


def test_corrupt_pdf_is_refused_with_pdfplumbers_reason(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj <<\n" + b"garbage" * 50)
    with pytest.raises(pdfium.Unopened):
        pdfium.read_pages(path, 200)
    with pytest.raises(ReadError, match=r"corrupt or unreadable PDF \(\w+\)"):
        plumber_reader.PdfReader().read(path, 10**8)


def test_scanned_pdf_is_refused(tmp_path):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path)
    assert pdfium.read_pages(path, 200) == [[]]
    with pytest.raises(ReadError, match="scanned PDF without a text layer"):
        plumber_reader.PdfReader().read(path, 10**8)


def test_too_many_pages_are_refused(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(plumber_reader.MAX_PAGES + 1):
        writer.add_blank_page(width=100, height=100)
    path = tmp_path / "long.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(ReadError, match=r"201 pages, limit 200"):
        plumber_reader.PdfReader().read(path, 10**8)


def test_a_pdfium_without_the_functions_needed_leaves_the_file_to_pdfplumber(monkeypatch, pdfs):
    import threading

    def older_pdfium(self):
        raise AttributeError("FPDFText_GetTextObject")

    monkeypatch.setattr(pdfium, "_per_thread", threading.local())
    monkeypatch.setattr(pdfium._Api, "__init__", older_pdfium)
    path = pdfs["seed-002"]
    with pytest.raises(pdfium.Unsupported, match="lacks a function"):
        pdfium.read_pages(path, 200)
    expected = plain(plumber_reader._read_pages_with_pdfplumber(path))
    assert plain(plumber_reader._read_pages(path)) == expected
