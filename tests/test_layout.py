"""The layout step (gkaudit.read.layout) and the logical lines the lexer reads from its blocks."""

from gkaudit.parse.lexer import logical_lines
from gkaudit.read.blocks import Grid, Paragraph
from gkaudit.read.layout import Memo, blocks_from_text, fold, text_document


def lines(text: str):
    return logical_lines(text_document(text))


def texts(text: str) -> list[str]:
    return [line.text for line in lines(text)]


def test_fold_width_and_spaces_next_to_cjk():
    assert fold("（一）　予以公开：２０２４ 年") == "(一)予以公开:2024年"
    assert fold("规 章") == "规章"
    assert fold("32 2 0") == "32 2 0"


def test_a_memo_computes_once_and_forgets_everything_past_its_size():
    calls: list[str] = []

    def length(text: str) -> int:
        calls.append(text)
        return len(text)

    memo = Memo(length, 2)
    assert [memo["ab"], memo["ab"], memo["abc"]] == [2, 2, 3]
    assert calls == ["ab", "abc"]
    assert memo["abcd"] == 4  # the third entry: the two before it are forgotten
    assert dict(memo) == {"abcd": 4}


def test_blank_lines_page_numbers_and_markdown_furniture_are_dropped():
    text = (
        "一、总体情况\n\n- 4 -\n— 12 —\n第 3 页 共 6 页\n|---|---|\n## 二、主动公开政府信息情况\n"
    )
    assert texts(text) == ["一、总体情况", "二、主动公开政府信息情况"]


def test_every_unicode_line_break_ends_a_line():
    for separator in ("\v", "\f", "\x85", "\u2028", "\u2029", "\r", "\r\n"):
        text = f"一、总体情况{separator}全年工作有序。{separator}二、主动公开政府信息情况"
        assert texts(text) == ["一、总体情况", "全年工作有序。", "二、主动公开政府信息情况"]


def test_tab_row_keeps_cells_and_their_source_line():
    (line,) = lines("\n规章\t0\t0\t3\n")
    assert line.is_row and line.number == 2
    assert line.texts == ("规章", "0", "0", "3")
    assert [c.line for c in line.cells] == [2, 2, 2, 2]


def test_trailing_empty_cells_stay_in_the_row_but_not_in_its_text():
    (line,) = lines("行政许可\t0\t\t")
    assert line.text == "行政许可\t0"
    assert len(line.cells) == 4


def test_pipe_rows_with_and_without_outer_pipes():
    (line,) = lines("| 行政规范性文件 | 6 | 1 | 32 |")
    assert line.texts == ("行政规范性文件", "6", "1", "32")
    (line,) = lines("行政规范性文件 | 6 | | 32 |")
    assert line.texts == ("行政规范性文件", "6", "", "32")


def test_stacked_cells_become_one_row_with_broken_labels_joined():
    text = (
        "\t三、\n本年\n度办\n理结\n果\n\t（一）予以公开\n\t1\n\t\n\t0\n\n"
        "\t商业\n企业\n\t科研\n机构\n"
    )
    first, second = lines(text)
    assert first.texts == ("三、本年度办理结果", "(一)予以公开", "1", "", "0")
    assert [c.line for c in first.cells] == [1, 6, 7, 8, 9]
    assert (first.number, first.end) == (1, 9)
    assert second.texts == ("商业企业", "科研机构")


def test_one_cell_per_line_rows_are_cut_where_a_label_follows_values():
    text = "第二十条第（一）项\n\n规章\n\n0\n\n0\n\n0\n\n行政规范性文件\n\n1\n\n0\n\n5\n"
    (grid,) = blocks_from_text(text)
    assert isinstance(grid, Grid)
    assert [[c.text for c in row] for row in grid.rows] == [
        ["第二十条第（一）项", "规章", "0", "0", "0"],
        ["行政规范性文件", "1", "0", "5"],
    ]


def test_a_pipe_line_closes_a_cell_and_a_lone_one_is_an_empty_cell():
    text = "第二十条第（五）项\n|\n行政\n许可\n|\n|\n行政处罚\n|\n3\n|\n"
    (grid,) = blocks_from_text(text)
    cells = [c.text for row in grid.rows for c in row]
    assert cells == ["第二十条第（五）项", "行政许可", "", "行政处罚", "3"]


def test_stacked_block_ends_at_a_heading_without_blank_line():
    assert texts("\t结转下年度\n\t0\n四、政府信息公开行政复议、行政诉讼情况\n") == [
        "结转下年度\t0",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_pdf_rows_split_on_spaces():
    assert lines("行政许可 97")[0].texts == ("行政许可", "97")
    assert lines("0 0 1 0 1")[0].texts == ("0", "0", "1", "0", "1")
    assert lines("规 章 0 0 0")[0].texts == ("规章", "0", "0", "0")


def test_sentences_ending_in_a_number_are_not_rows():
    assert not lines("全年收到申请，共 34")[0].is_row
    assert not lines("2024 年 1 月 1 日")[0].is_row


def test_crawled_row_keeps_its_digits_as_one_run_together_cell():
    text = "申请人情况\n一、本年新收政府信息公开申请数量21710000218\n"
    (grid,) = blocks_from_text(text)
    *_, label, digits = grid.rows[-1]
    assert (label.text, digits.text, digits.run_together) == (
        "一、本年新收政府信息公开申请数量", "21710000218", True)  # fmt: skip


def test_prose_mentioning_a_table_word_stays_a_paragraph():
    text = "本年新收政府信息公开申请21件，其中自然人申请15件。\n"
    (block,) = blocks_from_text(text)
    assert isinstance(block, Paragraph)


def test_a_row_keeps_the_readers_cells_beside_their_folded_texts():
    """The lexer copies no cell: a row's line holds the block's own cells and their folded
    texts; its label and values are split once, and its raw text is the cells as written."""
    document = text_document("规 章\t1\t２\t3")
    (grid,) = document.blocks
    assert isinstance(grid, Grid)
    (line,) = logical_lines(document)
    assert line.cells is grid.rows[0]
    assert line.texts == ("规章", "1", "2", "3")
    assert [(c.text, c.line) for c in line.cells] == [("规 章", 1), ("1", 1), ("２", 1), ("3", 1)]
    assert line.raw == "规 章\t1\t２\t3"
    assert line.parts is not None
    assert (line.parts.labels, line.parts.values) == ("规章", ("1", "2", "3"))
    assert line.parts.sources == grid.rows[0][1:]
