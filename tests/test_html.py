"""The HTML report, rendered in a real headless Chromium (Debian's package; CI installs it)."""

import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from gkaudit.cli import main

from conftest import SAMPLES

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI: .ci/run installs the Debian package")
        pytest.skip("chromium is not installed here (apt-get install chromium); CI runs this test")
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    target = tmp_path_factory.mktemp("html") / "report.html"
    result = CliRunner().invoke(
        main, ["scan", str(SAMPLES), "--format", "html", "--output", str(target), "--jobs", "1"]
    )
    assert result.exit_code == 1 and target.exists()
    return target


def browse(chromium, tmp_path, *args):
    command = [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, timeout=120, check=True)


def test_page_is_self_contained(page):
    text = page.read_text("utf-8")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text)
    assert "<script>" in text and "<style>" in text


def test_scripts_run_and_filters_work_in_chromium(chromium, page, tmp_path):
    dom = browse(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout.decode("utf-8")
    assert 'data-ready="1"' in dom
    assert '<span id="shown">10</span>' in dom
    assert dom.index("策勒乡人民政府") < dom.index("获嘉县史庄镇")
    filtered = browse(
        chromium, tmp_path, "--dump-dom", page.as_uri() + "#code=GK503"
    ).stdout.decode("utf-8")
    assert '<span id="shown">3</span>' in filtered
    errors = browse(
        chromium, tmp_path, "--dump-dom", page.as_uri() + "#severity=error"
    ).stdout.decode("utf-8")
    assert '<span id="shown">1</span>' in errors
    assert errors.count('class="finding warning hidden"') == 8


ERROR_RED, WARNING_ORANGE, INFO_BLUE = (198, 40, 40), (239, 143, 0), (91, 141, 239)


def screenshot_colours(chromium, tmp_path, address: str) -> Counter:
    png = tmp_path / "shot.png"
    browse(chromium, tmp_path, f"--screenshot={png}", "--window-size=1200,900", address)
    image = Image.open(png).convert("RGB")
    assert image.size == (1200, 900)
    return Counter({rgb: count for count, rgb in image.getcolors(maxcolors=1_000_000)})


def test_screenshot_shows_the_chart_stacked_by_severity(chromium, page, tmp_path):
    colours = screenshot_colours(chromium, tmp_path, page.as_uri())
    assert len(colours) > 50  # text, tables and bars: not a blank page
    # 瓦窑沟乡's error (10 points), the warnings of four units, 策勒乡's info: all three drawn
    assert colours[ERROR_RED] > 1500 and colours[WARNING_ORANGE] > 3000 and colours[INFO_BLUE] > 200


def test_the_chart_follows_the_filters(chromium, page, tmp_path):
    colours = screenshot_colours(chromium, tmp_path, page.as_uri() + "#severity=warning,info")
    assert colours[ERROR_RED] < 200 and colours[WARNING_ORANGE] > 3000  # the error bar is gone
    dom = browse(chromium, tmp_path, "--dump-dom", page.as_uri() + "#severity=error").stdout.decode(
        "utf-8"
    )
    widths = dict(
        re.findall(r'<i class="seg (\w+)" data-severity="\w+" style="width: ([\d.]+)px;', dom)
    )
    bars = re.findall(r'<div class="bar-row" data-unit="([^"]+)">.*?</div>', dom)
    assert len(bars) == 5
    first = re.search(r'data-unit="unit-瓦窑沟乡人民政府-2023">.*?</div>', dom).group(0)
    assert 'class="seg error" data-severity="error" style="width: 360px;"' in first
    assert 'class="bar-value">10<' in first
    cele = re.search(r'data-unit="unit-策勒乡人民政府-2024">.*?</div>', dom).group(0)
    assert 'class="bar-value">0<' in cele and widths


def test_unit_filter_text_search_rule_titles_and_stable_anchors(chromium, page, tmp_path):
    unit = "unit-策勒乡人民政府-2024"
    dom = browse(chromium, tmp_path, "--dump-dom", f"{page.as_uri()}#unit={unit}").stdout.decode()
    assert '<span id="shown">5</span>' in dom
    assert dom.count('<section class="report hidden"') == 4
    assert f'<section class="report" id="{unit}" data-unit="{unit}">' in dom
    searched = browse(
        chromium, tmp_path, "--dump-dom", page.as_uri() + "#q=bookmark"
    ).stdout.decode()
    assert '<span id="shown">1</span>' in searched
    text = page.read_text("utf-8")
    assert '<option value="GK503">GK503 政府报告缺少考核、评议、追责情况</option>' in text
    assert '<span class="rule-title">未说明统计期限</span>' in text
    assert f'<a href="#{unit}">' in text
    finding_ids = re.findall(r'<tr class="finding \w+" id="(f-unit-[^"]+-[0-9a-f]{20}(?:-\d+)?)"', text)
    assert len(finding_ids) == len(set(finding_ids)) == 10


def test_finding_ids_are_unique_when_two_files_are_one_unit_and_year(tmp_path):
    folder = tmp_path / "twice"
    folder.mkdir()
    dayu = (SAMPLES / "dayu-town-2024.txt").read_text("utf-8")
    (folder / "a.txt").write_text(dayu, "utf-8")
    (folder / "b.txt").write_text(dayu.replace("。", "。 ", 1), "utf-8")
    page = tmp_path / "twice.html"
    CliRunner().invoke(main, ["scan", str(folder), "-o", str(page), "--jobs", "1"])
    ids = re.findall(r' id="([^"]+)"', page.read_text("utf-8"))
    assert ids and len(ids) == len(set(ids))


def test_anchors_survive_a_rescan_of_moved_files(page, tmp_path):
    moved = tmp_path / "elsewhere"
    shutil.copytree(SAMPLES, moved)
    other = tmp_path / "again.html"
    CliRunner().invoke(main, ["scan", str(moved), "-o", str(other), "--jobs", "1"])
    ids = re.compile(r'id="((?:unit|f)-[^"]+)"')
    assert ids.findall(other.read_text("utf-8")) == ids.findall(page.read_text("utf-8"))


@pytest.fixture(scope="module")
def page_with_bad_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    for sample in SAMPLES.iterdir():
        shutil.copy(sample, folder / sample.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "minutes.txt").write_text("会议纪要\n\n今天开会讨论了食堂的菜单。\n", "utf-8")
    target = folder.parent / "bad.html"
    CliRunner().invoke(main, ["scan", str(folder), "-o", str(target), "--jobs", "1"])
    return target


def test_unreadable_files_and_non_reports_have_their_own_section(page_with_bad_files):
    text = page_with_bad_files.read_text("utf-8")
    ranking = text[
        text.index('<table id="ranking">') : text.index(
            "</table>", text.index('<table id="ranking">')
        )
    ]
    assert "empty.txt" not in text[: text.index('<section id="unread">')]
    assert "minutes" not in ranking and ranking.count("<tr data-unit=") == 5
    unread = text[text.index('<section id="unread">') :]
    assert "GK901" in unread and "GK902" in unread and "empty.txt" in unread


def printed_pages(chromium, tmp_path, html) -> list[str]:
    pdf = tmp_path / "printed.pdf"
    browse(chromium, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri())
    # the PDF's text uses Kangxi and supplement radicals for some characters (⼯, ⺠)
    radicals = str.maketrans({"⺠": "民"})
    return [
        unicodedata.normalize("NFKC", p.extract_text()).translate(radicals)
        for p in PdfReader(pdf).pages
    ]


def test_print_has_no_controls_and_each_unit_starts_a_page(chromium, page_with_bad_files, tmp_path):
    pages = printed_pages(chromium, tmp_path, page_with_bad_files)
    assert len(pages) == 7  # the ranking, five units, the files not audited (before: 21 pages)
    assert "报告排名" in pages[0] and "全部规则" not in pages[0] and "显示问题数" not in pages[0]
    units = [
        "策勒乡人民政府",
        "瓦窑沟乡人民政府",
        "卞路口乡人民政府",
        "大峪镇人民政府",
        "获嘉县史庄镇",
    ]
    for number, (unit, text) in enumerate(zip(units, pages[1:6], strict=True), start=1):
        assert text.startswith(f"{number}. {unit}")
    assert pages[6].startswith("未能审查的文件")
    style = page_with_bad_files.read_text("utf-8")
    printing = style[style.index("@media print") :]
    assert "tr,.bar-row,pre.source{break-inside:avoid}" in printing  # rows are never split
