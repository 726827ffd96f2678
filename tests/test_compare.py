"""gkaudit compare OLD NEW: tables side by side, chains, repeated text; text and HTML."""

from __future__ import annotations

from urllib.parse import quote

from click.testing import CliRunner
from crossdoc_batch import (
    BIANLUKOU,
    CARRIED_FORWARD,
    CELE,
    DAYU,
    NORMATIVE,
    set_row,
    write,
    years_back,
)
from lxml import html
from PIL import Image
from test_html import browse, chromium, printed_pages  # noqa: F401 (a fixture)

from gkaudit.cli import main


def compare(*args: str):
    result = CliRunner().invoke(main, ["compare", *args])
    return result.exit_code, result.stdout, result.stderr


def pair(tmp_path, old_text=None):
    old_text = old_text or set_row(
        set_row(years_back(DAYU), CARRIED_FORWARD, [3, 0, 0, 0, 0, 0, 3]), NORMATIVE, [0, 0, 10]
    )
    return str(write(tmp_path, "old.txt", old_text)), str(write(tmp_path, "new.txt", DAYU))


def test_text_marks_changed_cells_chains_and_repeated_lines(tmp_path):
    code, out, _ = compare(*pair(tmp_path))
    assert code == 0
    changed = [line for line in out.splitlines() if line.startswith(" * ")]
    assert " * 依申请公开 | 四、结转下年度继续办理 | 自然人 | 3 → 0" in changed
    assert " * 主动公开 | 行政规范性文件 | 现行有效件数 | 10 → 0" in changed
    assert len(changed) == 3  # 自然人, 总计 of row 四 and the stock
    assert "   总计: 3 → 0  不一致" in out and "   商业企业: 0 → 0  一致" in out
    assert "行政规范性文件: 10 + 0 − 0 = 10；本年报告 0  不一致" in out
    assert "正文重复比例: 100%" in out
    assert any(line.startswith(" »") and "大峪镇通过政府网站" in line for line in out.splitlines())


def test_new_text_is_not_marked_repeated(tmp_path):
    old, new = pair(tmp_path, years_back(CELE))
    _, out, _ = compare(old, new, "--lang", "en")
    assert "share of text repeated: " in out
    share = int(out.split("share of text repeated: ")[1].split("%")[0])
    assert share < 20
    assert "Carry-over chain" in out


def test_html_has_the_three_parts_and_marks(tmp_path):
    old, new = pair(tmp_path)
    target = tmp_path / "compare.html"
    code, _, _ = compare(old, new, "--format", "html", "-o", str(target))
    assert code == 0
    page = html.fromstring(target.read_text("utf-8"))
    assert len(page.xpath('//div[@id="cells"]//td[@class="changed"]')) == 3
    assert page.xpath('//table[@id="carry"]//tr') and page.xpath('//table[@id="stock"]//tr')
    assert page.xpath('//div[@id="text"]//mark')


def test_unreadable_input_is_one_line(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, err = compare(str(tmp_path / "empty.txt"), str(write(tmp_path, "n.txt", DAYU)))
    assert code == 1 and err.startswith(("gkaudit:", "gkaudit：")) and len(err.strip().splitlines()) == 1


# --- the same inside the scan's HTML report -------------------------------------------------

YOY = "yoy-unit-大峪镇人民政府-2024"


def scan_html(tmp_path, *extra: str):
    folder = tmp_path / "in"
    pair(folder)
    (folder / "old.txt").rename(folder / "dayu-2023.txt")
    (folder / "new.txt").rename(folder / "dayu-2024.txt")
    write(folder, "bianlukou-2024.txt", BIANLUKOU)
    target = tmp_path / "report.html"
    result = CliRunner().invoke(
        main, ["scan", str(folder), "--format", "html", "-o", str(target), "--jobs", "1", *extra]
    )
    assert result.exit_code == 1, result.output
    return target


def test_scan_html_compares_each_paired_unit_and_links_it_from_the_ranking(tmp_path):
    target = scan_html(tmp_path)
    page = html.fromstring(target.read_text("utf-8"))
    sections = page.xpath('//section[@class="yoy"]')
    assert [s.get("id") for s in sections] == [YOY]  # dayu 2024 only: 2023 and 卞路口乡 unpaired
    [yoy] = sections
    assert yoy.xpath("ancestor::section[@class='report']/@id") == ["unit-大峪镇人民政府-2024"]
    assert page.xpath('//table[@id="ranking"]//a[@class="yoy-link"]/@href') == [f"#{YOY}"]
    changed = yoy.xpath('.//td[@class="changed"]')
    assert [c.text_content() for c in changed] == ["10 → 0", "3 → 0", "3 → 0"]
    assert [c.get("data-old") for c in changed] == ["10", "3", "3"]
    grids = yoy.xpath('.//table[@class="grid"]/@data-table')
    assert grids == ["active", "requests", "review"]
    assert len(yoy.xpath('.//table[@class="carry"]//td[@class="broken"]')) == 2  # 自然人, 总计
    assert len(yoy.xpath('.//table[@class="stock"]//td[@class="broken"]')) == 1
    assert "正文重复比例: 100%" in yoy.text_content()
    assert yoy.xpath('.//div[@class="text"]//mark')


def test_scan_html_pairs_with_the_archive_and_speaks_english(tmp_path):
    archive = str(tmp_path / "a.sqlite")
    old, _ = pair(tmp_path / "2023")
    first = CliRunner().invoke(main, ["scan", old, "--archive", archive, "--jobs", "1"])
    assert first.exit_code in (0, 1), first.output
    write(tmp_path / "2024", "dayu-2024.txt", DAYU)
    target = tmp_path / "en.html"
    second = CliRunner().invoke(
        main,
        ["scan", str(tmp_path / "2024"), "--archive", archive, "--format", "html", "--lang",
         "en", "-o", str(target), "--jobs", "1"],
    )  # fmt: skip
    assert second.exit_code in (0, 1), second.output
    page = html.fromstring(target.read_text("utf-8"))
    [yoy] = page.xpath('//section[@class="yoy"]')
    assert "Compared with last year's report: 2023" in yoy.text_content()
    assert len(yoy.xpath('.//td[@class="changed"]')) == 3


def test_without_a_previous_report_there_is_no_comparison(tmp_path):
    write(tmp_path / "in", "dayu-2024.txt", DAYU)
    target = tmp_path / "r.html"
    CliRunner().invoke(
        main, ["scan", str(tmp_path / "in"), "--format", "html", "-o", str(target), "--jobs", "1"]
    )
    text = target.read_text("utf-8")
    assert 'class="yoy"' not in text and "yoy-link" not in text


CHANGED = (0xFF, 0xE3, 0xA3)  # a changed cell's background
MARKED = (0xFF, 0xB3, 0xB3)  # a repeated passage's


def colours(chromium, tmp_path, address: str) -> dict:  # noqa: F811
    """The colours of a screenshot tall enough for the whole page (headless Chromium draws a
    page scrolled to an anchor off its screenshot: nothing may need scrolling)."""
    png = tmp_path / "tall.png"
    browse(chromium, tmp_path, f"--screenshot={png}", "--window-size=1200,5000", address)
    image = Image.open(png).convert("RGB")
    return {rgb: count for count, rgb in image.getcolors(maxcolors=1_000_000)}


def test_in_chromium_the_comparison_is_collapsed_until_linked_and_printed(chromium, tmp_path):  # noqa: F811
    target = scan_html(tmp_path)
    closed = colours(chromium, tmp_path, target.as_uri())
    opened = colours(chromium, tmp_path, f"{target.as_uri()}#{quote(YOY)}")
    assert CHANGED not in closed and MARKED not in closed
    assert opened.get(CHANGED, 0) > 500 and opened.get(MARKED, 0) > 5000
    pages = printed_pages(chromium, tmp_path, target)
    printed = "".join(pages)
    assert "与上年报告对照" in printed and "结转链条" in printed and "现行有效件数链条" in printed
