"""Build the notice templates shipped in gkaudit/templates/ (notice-zh.docx, notice-en.docx).

They are ordinary Word documents with docxtpl (Jinja) tags; an office copies one, edits the
wording, the letterhead and the signature in Word, and passes it with ``--template FILE``.
Run from the repository root: ``python tools/make_notice_templates.py``.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TEXT = {
    "zh": {
        "title": "政府信息公开工作年度报告整改通知",
        "salutation": "{{ unit.name }}：",
        "body": "经审查，你单位报送的{{ unit.report }}（文件：{{ unit.file }}）存在以下"
        "{{ unit.count }}个问题。请对照整改建议逐项整改，更正后重新发布年度报告，并于"
        "{{ deadline }}前将整改情况书面报送。",
        "columns": ("序号", "规则", "位置", "问题说明", "依据", "整改建议"),
        "closing": "特此通知。",
        "date": "{{ today }}",
        "font": "宋体",
    },
    "en": {
        "title": "Notice of rectification: annual report on government information disclosure",
        "salutation": "To {{ unit.name }}:",
        "body": "The audit of your {{ unit.report }} (file: {{ unit.file }}) found the "
        "{{ unit.count }} problems below. Please correct each as advised, republish the report "
        "and report back in writing by {{ deadline }}.",
        "columns": ("No.", "Rule", "Where", "Problem", "Basis", "Advice"),
        "closing": "",
        "date": "{{ today }}",
        "font": "Times New Roman",
    },
}
WIDTHS = (Cm(1.2), Cm(3.4), Cm(1.8), Cm(7.0), Cm(5.0), Cm(7.3))  # 25.7 cm: the text width


def build(lang: str, target: Path) -> None:
    text = TEXT[lang]
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    style = document.styles["Normal"]
    style.font.name = text["font"]
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), text["font"])

    document.add_paragraph("{%p for unit in units %}")
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(text["title"])
    run.bold = True
    run.font.size = Pt(16)
    document.add_paragraph(text["salutation"])
    document.add_paragraph(text["body"])

    table = document.add_table(rows=3, cols=len(text["columns"]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name, width in zip(table.rows[0].cells, text["columns"], WIDTHS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
        cell.width = width
    fields = ("{{ f.number }}", "{{ f.code }} {{ f.title }}", "{{ f.where }}",
              "{{ f.message }}", "{{ f.basis }}", "{{ f.advice }}")  # fmt: skip
    table.rows[1].cells[0].text = "{%tr for f in unit.findings %}"
    for cell, field in zip(table.rows[2].cells, fields, strict=True):
        cell.text = field
    row = table.add_row()
    row.cells[0].text = "{%tr endfor %}"
    table.autofit = False
    for width, column in zip(WIDTHS, table.columns, strict=True):
        column.width = width  # the grid: what LibreOffice and WPS lay out by
        for cell in column.cells:
            cell.width = width  # each cell: what Word lays out by

    if text["closing"]:
        document.add_paragraph(text["closing"]).paragraph_format.space_before = Pt(12)
    signed = document.add_paragraph(text["date"])
    signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{%p if not loop.last %}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    document.save(target)


if __name__ == "__main__":
    folder = Path(__file__).resolve().parent.parent / "gkaudit" / "templates"
    for lang in TEXT:
        build(lang, folder / f"notice-{lang}.docx")
        print(folder / f"notice-{lang}.docx")
