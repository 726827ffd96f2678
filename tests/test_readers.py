"""Readers: real files from tests/data/realworld, and documents built from the seeds, which
must give the same model and the same findings as the seed's text."""

import zipfile

import pytest

from gkaudit import ReadError, parse_document, parse_text
from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine
from gkaudit.plugins import collect_readers, collect_rules, plugin_manager
from gkaudit.read.source import read_document

from conftest import SEEDS, realworld
from documents import convert, to_docx, to_html
from test_properties import essence


@pytest.fixture(scope="module")
def readers():
    return collect_readers(plugin_manager())


@pytest.fixture(scope="module")
def engine():
    manager = plugin_manager()
    return Engine(Config(), collect_rules(manager), readers=collect_readers(manager))


def findings(engine, path):
    audit = engine.audit_file(path)
    assert audit.errors == []
    return sorted((f.code, f.message("en")) for f in audit.findings)


# --- real files ------------------------------------------------------------------------


def test_saved_web_page(readers):
    report = parse_document(read_document(realworld("shuyang-fgj-2023.html"), readers))
    assert (report.unit, report.year) == ("沭阳县发展和改革局", 2023)
    assert (report.window.start.isoformat(), report.window.end.isoformat()) == (
        "2023-01-01",
        "2023-12-31",
    )
    assert [s.kind for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert "首页" not in report.title
    requests = report.tables.requests
    assert requests.values("new") == [
        26,
        None,
        None,
        None,
        None,
        None,
        26,
    ]  # blank in the page itself
    assert requests.values("granted") == [26, None, None, None, None, None, 26]
    assert report.tables.active.values("licensing") is not None


def test_pdf_with_tables_over_a_page_break(readers):
    report = parse_document(read_document(realworld("huaian-city-2024.pdf"), readers))
    assert (report.unit, report.year) == ("淮安市人民政府", 2024)
    active, requests, review = report.tables.active, report.tables.requests, report.tables.review
    assert active.values("regulations") == [1, 0, 11]
    assert active.values("normative_documents") == [8, 26, 66]
    assert active.values("penalty") == [3985758]
    assert active.values("fees") == [96171.6]
    assert requests.values("new") == [3001, 53, 0, 0, 61, 4, 3119]
    assert requests.values("unable_1") == [746, 12, 0, 0, 10, 1, 769]
    assert requests.values("unable_2") == [11, 0, 0, 0, 0, 0, 11]  # first row after the page break
    assert requests.values("other_3") == [108, 2, 0, 0, 0, 0, 110]
    assert requests.values("total") == [2932, 53, 0, 0, 61, 4, 3050]
    assert requests.values("carried_forward") == [103, 0, 0, 0, 0, 0, 103]
    assert review.values("review") == [72, 64, 178, 37, 351]
    assert review.values("litigation_after_review") == [12, 1, 1, 6, 20]
    assert report.problems == []
    assert not any(line.text.startswith("-") and line.text.endswith("-") for line in report.lines)


def test_blank_official_template(readers, engine):
    report = parse_document(read_document(realworld("template-2021-blank.docx"), readers))
    assert [s.kind for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.tables.active.values("regulations") == [None, None, None]
    assert report.tables.requests.values("new") == [None] * 7
    codes = {code for code, _ in findings(engine, realworld("template-2021-blank.docx"))}
    assert {"GK106", "GK202", "GK505"} <= codes


def test_scan_of_the_realworld_folder_reads_every_file(engine):
    from gkaudit.audit.scan import audit_paths, collect_paths

    paths = collect_paths([str(realworld("."))], engine.suffixes)
    results = {
        path.name: result for path, result in zip(paths, audit_paths(engine, paths, 1), strict=True)
    }
    assert set(results) == {
        "README.md", "huaian-city-2024.pdf", "shanghai-kewei-2024.md", "shanghai-office-2025.md",
        "shuyang-county-2025.txt", "shuyang-fgj-2023.html", "template-2021-blank.docx",
    }  # fmt: skip
    unreadable = {name for name, r in results.items() if any(f.code == "GK901" for f in r.findings)}
    assert unreadable == set()
    assert [f.code for f in results["README.md"].findings] == ["GK902"]


# --- documents made from the seeds -----------------------------------------------------


@pytest.mark.parametrize("seed", ["000", "002", "003"])
def test_docx_from_a_seed_reads_like_its_text(seed, tmp_path, readers, engine):
    text = SEEDS[seed].read_text("utf-8")
    document = to_docx(text, tmp_path / "report.docx")
    assert essence(parse_document(read_document(document, readers))) == essence(parse_text(text))
    assert findings(engine, document) == findings(engine, SEEDS[seed])


@pytest.mark.parametrize("seed", ["000", "002", "003"])
def test_web_page_from_a_seed_reads_like_its_text(seed, tmp_path, readers, engine):
    text = SEEDS[seed].read_text("utf-8")
    page = to_html(text, tmp_path / "report.html")
    assert essence(parse_document(read_document(page, readers))) == essence(parse_text(text))
    assert findings(engine, page) == findings(engine, SEEDS[seed])


@pytest.mark.parametrize("seed", ["002", "003"])
def test_pdf_made_by_libreoffice_reads_like_its_text(seed, tmp_path, readers, engine, libreoffice):
    text = SEEDS[seed].read_text("utf-8")
    pdf = convert(to_docx(text, tmp_path / "report.docx"), "pdf", tmp_path)
    assert (
        essence(parse_document(read_document(pdf, readers)))["tables"]
        == essence(parse_text(text))["tables"]
    )
    assert findings(engine, pdf) == findings(engine, SEEDS[seed])


def test_doc_through_libreoffice(tmp_path, readers, libreoffice):
    text = SEEDS["002"].read_text("utf-8")
    doc = convert(to_docx(text, tmp_path / "report.docx"), "doc", tmp_path)
    doc = doc.rename(tmp_path / "report.wps")  # .wps files are the same OLE2 container
    assert essence(parse_document(read_document(doc, readers))) == essence(parse_text(text))


# --- files that cannot be read -----------------------------------------------------------


def test_doc_without_libreoffice_says_what_to_install(tmp_path, readers, monkeypatch):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(
        ReadError, match="need LibreOffice: apt-get install libreoffice-writer-nogui"
    ):
        read_document(path, readers)


def test_scanned_pdf_without_text(tmp_path, readers):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path)
    with pytest.raises(ReadError, match="scanned PDF without a text layer"):
        read_document(path, readers)


def test_encrypted_pdf(tmp_path, readers):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(ReadError, match="encrypted PDF"):
        read_document(path, readers)


def test_corrupt_pdf_and_docx(tmp_path, readers):
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj <<\n" + b"garbage" * 50)
    with pytest.raises(ReadError, match="corrupt or unreadable PDF"):
        read_document(pdf, readers)
    docx = tmp_path / "broken.docx"
    docx.write_bytes(b"PK\x03\x04word/" + b"\x00" * 100)
    with pytest.raises(ReadError, match=r"corrupt \.docx"):
        read_document(docx, readers)


def test_docx_decompression_bomb_is_refused(tmp_path, readers):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * 150_000_000 + "</w:document>")
    with pytest.raises(ReadError, match="decompression bomb"):
        read_document(path, readers)


def test_deeply_nested_web_page_fails_cleanly(tmp_path, readers, engine):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 50_000 + "x" + "</div>" * 50_000 + "</body></html>")
    assert read_document(path, readers).text.strip() in ("", "x")  # libxml2 cuts nesting at 255
    assert [f.code for f in engine.audit_file(path).findings] == ["GK902"]


def test_unsupported_file_type(tmp_path, readers):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    with pytest.raises(ReadError, match=r"unsupported file type '\.jpg'"):
        read_document(path, readers)


def test_a_third_party_reader_plugin(tmp_path):
    (tmp_path / "xyz_reader.py").write_text(
        "from gkaudit import hookimpl\n"
        "from gkaudit.read.source import Reader\n"
        "class Xyz(Reader):\n"
        "    name = 'xyz'\n"
        "    suffixes = ('.xyz',)\n"
        "    def read(self, path, max_bytes):\n"
        "        return path.read_text('utf-8').replace('|', '\\t')\n"
        "@hookimpl\n"
        "def register_readers(register):\n"
        "    register(Xyz)\n"
    )
    manager = plugin_manager([tmp_path])
    readers = collect_readers(manager)
    assert readers[0].name == "xyz"
    path = tmp_path / "report.xyz"
    path.write_text(SEEDS["002"].read_text("utf-8").replace("\t", "|"), "utf-8")
    assert essence(parse_document(read_document(path, readers))) == essence(
        parse_text(SEEDS["002"].read_text("utf-8"))
    )


def test_docx_external_entities_are_not_resolved(tmp_path, readers):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    source = to_docx(SEEDS["002"].read_text("utf-8"), tmp_path / "plain.docx")
    hostile = tmp_path / "hostile.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(hostile, "w") as target:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "word/document.xml":
                doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
                data = data.replace(b"?>", b"?>" + doctype, 1).replace(
                    "大峪镇".encode(), b"&xxe;", 1
                )
            target.writestr(item, data)
    try:
        text = read_document(hostile, readers).text
    except ReadError:
        return  # refusing the file is as safe as ignoring the entity
    assert "TOP-SECRET-VALUE" not in text
