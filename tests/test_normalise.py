from gkaudit.normalise import fold, normalise


def texts(text: str) -> list[str]:
    return [line.text for line in normalise(text)]


def test_fold_width_and_spaces_next_to_cjk():
    assert fold("（一）　予以公开：２０２４ 年") == "(一)予以公开:2024年"
    assert fold("规 章") == "规章"
    assert fold("32 2 0") == "32 2 0"


def test_blank_lines_page_numbers_and_markdown_furniture_are_dropped():
    text = (
        "一、总体情况\n\n- 4 -\n— 12 —\n第 3 页 共 6 页\n|---|---|\n## 二、主动公开政府信息情况\n"
    )
    assert texts(text) == ["一、总体情况", "二、主动公开政府信息情况"]


def test_tab_row_keeps_cells_and_their_source_line():
    (line,) = normalise("\n规章\t0\t0\t3\n")
    assert line.is_row and line.number == 2
    assert [(c.text, c.line) for c in line.cells] == [("规章", 2), ("0", 2), ("0", 2), ("3", 2)]


def test_trailing_empty_cells_stay_in_the_row_but_not_in_its_text():
    (line,) = normalise("行政许可\t0\t\t")
    assert line.text == "行政许可\t0"
    assert len(line.cells) == 4


def test_a_single_filled_cell_is_a_text_line():
    assert texts("第二十条第（一）项\t\t\t") == ["第二十条第(一)项"]


def test_pipe_row():
    (line,) = normalise("| 行政规范性文件 | 6 | 1 | 32 |")
    assert [c.text for c in line.cells] == ["行政规范性文件", "6", "1", "32"]


def test_stacked_cells_become_one_row_with_broken_labels_joined():
    text = (
        "\t三、\n本年\n度办\n理结\n果\n\t（一）予以公开\n\t1\n\t\n\t0\n\n"
        "\t商业\n企业\n\t科研\n机构\n"
    )
    first, second = normalise(text)
    assert [c.text for c in first.cells] == ["三、本年度办理结果", "(一)予以公开", "1", "", "0"]
    assert [c.line for c in first.cells] == [1, 6, 7, 8, 9]
    assert (first.number, first.end) == (1, 9)
    assert [c.text for c in second.cells] == ["商业企业", "科研机构"]


def test_stacked_block_ends_at_a_heading_without_blank_line():
    lines = normalise("\t结转下年度\n\t0\n四、政府信息公开行政复议、行政诉讼情况\n")
    assert [line.text for line in lines] == [
        "结转下年度\t0",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_pdf_rows_split_on_spaces():
    assert [c.text for c in normalise("行政许可 97")[0].cells] == ["行政许可", "97"]
    assert [c.text for c in normalise("0 0 1 0 1")[0].cells] == ["0", "0", "1", "0", "1"]
    assert [c.text for c in normalise("规 章 0 0 0")[0].cells] == ["规章", "0", "0", "0"]


def test_sentences_ending_in_a_number_are_not_rows():
    assert not normalise("全年收到申请，共 34")[0].is_row
    assert not normalise("2024 年 1 月 1 日")[0].is_row
