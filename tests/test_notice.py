"""Rectification notices: a Word document with a page per unit, from an editable template."""

from pathlib import Path

from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from gkaudit.cli import main

from conftest import SAMPLES


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def page_breaks(document) -> int:
    return sum(1 for br in document.element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page")


def test_one_notice_page_per_unit_with_every_finding(tmp_path):
    target = tmp_path / "整改通知.docx"
    code, _, err = run("scan", str(SAMPLES), "-o", str(target), "--jobs", "1")
    assert code == 1 and "已写入" in err and "docx" in err
    document = Document(target)
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("政府信息公开工作年度报告整改通知") == 5  # five units with findings
    assert page_breaks(document) == 4  # each unit from a new page
    assert "瓦窑沟乡人民政府：" in text and "《2023年度政府信息公开工作年度报告》" in text
    assert "{{" not in text and "{%" not in text
    tables = document.tables
    assert len(tables) == 5
    cele = next(t for t in tables if len(t.rows) == 1 + 5)  # 策勒乡: five findings
    header = [c.text for c in cele.rows[0].cells]
    assert header == ["序号", "规则", "位置", "问题说明", "依据", "整改建议"]
    row = [c.text for c in cele.rows[1].cells]
    assert row[0] == "1" and row[1] == "GK202 未说明统计期限" and row[2] == "第1行"
    assert row[4].startswith("国办公开办函") and "统计期限" in row[5]


def test_accepted_deviations_are_not_in_the_notice(tmp_path):
    config = tmp_path / "gkaudit.toml"
    config.write_text('[[accept]]\ncode = "GK503"\nunit = "瓦窑沟乡*"\nreason = "批准"\n')
    target = tmp_path / "n.docx"
    run("scan", str(SAMPLES), "--config", str(config), "-o", str(target), "--jobs", "1")
    text = "\n".join(p.text for p in Document(target).paragraphs)
    assert "瓦窑沟乡人民政府" not in text and text.count("整改通知") == 4


def test_the_office_can_use_its_own_template(tmp_path):
    template = tmp_path / "ours.docx"
    document = Document()
    document.add_paragraph("{%p for unit in units %}")
    document.add_paragraph("XX县政务公开办 通知 {{ unit.name }}，期限 {{ deadline }}")
    document.add_paragraph("{%p for f in unit.findings %}")
    document.add_paragraph("{{ f.number }}. {{ f.where }} {{ f.message }} 依据：{{ f.basis }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endfor %}")
    document.save(template)
    target = tmp_path / "out.docx"
    code, _, err = run(
        "scan", str(SAMPLES), "--format", "docx", "--template", str(template), "-o", str(target),
        "--jobs", "1",
    )  # fmt: skip
    assert code == 1, err
    lines = [p.text for p in Document(target).paragraphs if p.text]
    assert sum(line.startswith("XX县政务公开办 通知") for line in lines) == 5
    assert (
        "1. 第15行 乡镇（街道）年度报告未报告工作考核、社会评议和责任追究结果 依据：《政府信息公开条例》第五十条第（四）项"
        in lines
    )


def test_a_broken_template_is_one_line_not_a_traceback(tmp_path):
    template = tmp_path / "bad.docx"
    document = Document()
    document.add_paragraph("{% for unit in units %}{{ unit.name ")
    document.save(template)
    code, _, err = run(
        "scan", str(SAMPLES), "--template", str(template), "-o", str(tmp_path / "x.docx"),
        "--jobs", "1",
    )  # fmt: skip
    assert code == 2 and "整改通知模板" in err and "Traceback" not in err
    assert not (tmp_path / "x.docx").exists()


def test_english_notice_and_docx_needs_an_output_file(tmp_path):
    target = tmp_path / "notice.docx"
    run("scan", str(SAMPLES), "--lang", "en", "-o", str(target), "--jobs", "1")
    text = "\n".join(p.text for p in Document(target).paragraphs)
    assert "To 策勒乡人民政府:" in text and "Notice of rectification" in text
    assert run("scan", str(SAMPLES), "--format", "docx")[0] == 2
    shipped = str(Path(__file__).parent.parent / "gkaudit" / "templates" / "notice-zh.docx")
    code, _, err = run("scan", str(SAMPLES), "--template", shipped, "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and "--template" in err


def test_the_templates_ship_inside_the_installed_package():
    import gkaudit
    from gkaudit.outputs.notice import template_path

    for lang in ("zh", "en"):
        path = template_path(lang)
        assert path.parent == Path(gkaudit.__file__).parent / "templates" and path.is_file()
