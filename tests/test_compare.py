"""gkaudit compare OLD NEW: tables side by side, chains, repeated text; text and HTML."""

from __future__ import annotations

from click.testing import CliRunner
from crossdoc_batch import CARRIED_FORWARD, CELE, DAYU, NORMATIVE, set_row, write, years_back
from lxml import html

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
    assert len(page.xpath('//table[@id="cells"]//tr[@class="changed"]')) == 3
    assert page.xpath('//table[@id="carry"]//tr') and page.xpath('//table[@id="stock"]//tr')
    assert page.xpath('//div[@id="text"]//mark')


def test_unreadable_input_is_one_line(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, err = compare(str(tmp_path / "empty.txt"), str(write(tmp_path, "n.txt", DAYU)))
    assert code == 1 and err.startswith(("gkaudit:", "gkaudit：")) and len(err.strip().splitlines()) == 1
