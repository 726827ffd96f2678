"""Findings on a PDF say the page their line stands on (位置 = 第N页)."""

import pytest

from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine
from gkaudit.plugins import collect_readers, collect_rules, plugin_manager

from conftest import SEEDS
from documents import convert, to_docx


@pytest.fixture(scope="module")
def engine():
    manager = plugin_manager()
    return Engine(Config(), collect_rules(manager), readers=collect_readers(manager))


def test_pdf_findings_carry_the_page_of_their_line(tmp_path, engine, libreoffice):
    text = SEEDS["003"].read_text("utf-8")  # 策勒乡: GK503 and GK506 findings near the end
    pdf = convert(to_docx(text, tmp_path / "report.docx"), "pdf", tmp_path)
    audit = engine.audit_file(pdf)
    located = [f for f in audit.findings if f.line]
    assert located and all(f.page for f in located)
    pages = {line.number: line.page for line in audit.report.lines}
    assert all(f.page == pages[f.line] for f in located)
    assert max(f.page for f in located) > 1  # not every finding is on the first page
    assert audit.findings[0].to_dict()["page"] == audit.findings[0].page


def test_text_findings_have_no_page(engine):
    audit = engine.audit_file(SEEDS["003"])
    assert audit.findings and all(f.page is None for f in audit.findings)
