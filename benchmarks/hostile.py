"""Hostile inputs through ``gkaudit scan``: one bad file must never cost the batch.

Generates N inputs (default 10,000) in a temporary folder: fuzzed text in every layout and
encoding (with \\v, \\f, NEL and U+2028/2029 line breaks among the mutations), malformed and
oversized .docx (bad w:gridSpan / w:vMerge, entity expansion, external entities, zip bombs,
lying sizes), hostile web pages (huge spans, deep nesting, bogus charsets), hostile PDFs
(Flate stream bombs, 100,000 objects on a page, page-tree and form loops, truncations), and
file-system oddities (dangling links, link loops, FIFOs, sockets, devices, unreadable and
vanishing files, odd and non-UTF-8 names). Then runs them through ``gkaudit scan`` in batches
(JSON to --output) and singly, and counts:

- tracebacks: a Python traceback on stderr;
- crashes: an exit status other than 0 or 1, or no output file;
- hangs: a run over its time limit;
- missing: an input the output does not list;
- internal: GK901 findings that say a reader hit an internal error (a caught bug);
- peak memory, sampled from /proc: the scan's main process and its largest worker.

Beside it, as the baseline measured in the same run, the same number of clean reports is
scanned the same way. Usage:
    python benchmarks/hostile.py [--count N] [--batch B] [--single S] [--jobs J] [--keep DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_FILES = [
    *sorted((ROOT / "reports_sample").glob("*.txt")),
    *sorted((ROOT / "tests" / "data" / "realworld").glob("*.txt")),
    *sorted((ROOT / "tests" / "data" / "realworld").glob("*.md")),
]
BREAKS = ["\v", "\f", "\x85", "\u2028", "\u2029", "\r", "\r\n", "\x1c", "\x1d", "\x1e"]
INJECTIONS = [
    '=HYPERLINK("http://example.invalid","点击")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "<script>document.body.insertAdjacentHTML('beforeend','<div id=pwned></div>')</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "]]></title><svg onload=alert(1)>",
]


# --- text ------------------------------------------------------------------------------


def seeds() -> list[str]:
    return [path.read_text("utf-8") for path in SEED_FILES]


def mutate_text(text: str, rng: random.Random) -> tuple[str, bytes]:
    """A fuzzed report: one to three mutations, then an encoding. (kind, bytes)"""
    kinds = []
    for _ in range(rng.randint(1, 3)):
        kind, change = rng.choice(TEXT_MUTATIONS)
        text = change(text, rng)
        kinds.append(kind)
    encoding = rng.choice(["utf-8"] * 6 + ["gb18030", "utf-16", "utf-16-le", "big5", "utf-8-sig"])
    data = text.encode(encoding, "replace" if encoding in ("gb18030", "big5") else "surrogatepass")
    if rng.random() < 0.1:
        data = _flip_bytes(data, rng, rng.randint(1, 50))
    return "+".join(kinds) + f"@{encoding}", data


def _flip_bytes(data: bytes, rng: random.Random, count: int) -> bytes:
    buffer = bytearray(data)
    for _ in range(min(count, len(buffer))):
        buffer[rng.randrange(len(buffer))] = rng.randrange(256)
    return bytes(buffer)


def _lines(change: Callable[[list[str], random.Random], list[str]]):
    return lambda text, rng: "\n".join(change(text.split("\n"), rng))


def _breaks(text: str, rng: random.Random) -> str:
    mark = rng.choice(BREAKS)
    if rng.random() < 0.5:
        return text.replace("\n", mark)
    return "".join(mark if char == "\n" and rng.random() < 0.5 else char for char in text)


def _relayout(text: str, rng: random.Random) -> str:
    style = rng.choice(["spaces", "pipes", "cells", "fullwidth"])
    if style == "spaces":
        return text.replace("\t", " " * rng.randint(1, 6))
    if style == "pipes":
        return "\n".join(f"| {line.replace(chr(9), ' | ')} |" if "\t" in line else line
                         for line in text.split("\n"))  # fmt: skip
    if style == "cells":
        return text.replace("\t", "\n")
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _numbers(text: str, rng: random.Random) -> str:
    out = []
    for char in text:
        if char.isdigit() and rng.random() < 0.2:
            out.append(rng.choice(["9" * 60, "-1", "1e308", "NaN", "０", "Ⅻ", "", "3.5"]))
        else:
            out.append(char)
    return "".join(out)


def _control(text: str, rng: random.Random) -> str:
    chars = ["\x00", "\x01", "\x1b", "\u200b", "\ufeff", "\u202e", "\ud800", "\U0010ffff", "\x7f"]
    positions = sorted(rng.sample(range(len(text) + 1), min(30, len(text) + 1)))
    parts, last = [], 0
    for position in positions:
        parts += [text[last:position], rng.choice(chars)]
        last = position
    return "".join([*parts, text[last:]])


def _inject(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(INJECTIONS))
    if rng.random() < 0.5:
        lines[0] = rng.choice(INJECTIONS) + lines[0]
    return "\n".join(lines)


def _extreme(text: str, rng: random.Random) -> str:
    return rng.choice([
        "",
        " \n\t\n",
        "\ufeff",
        "x" * 1_000_000,
        "\n" * 60_000,
        (text + "\n") * 30,
        "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(20_000)),
        "一、" * 100_000,
        "\t" * 100_000,
        text.replace("\n", "\t"),
    ])  # fmt: skip


TEXT_MUTATIONS: list[tuple[str, Callable[[str, random.Random], str]]] = [
    ("truncate", lambda text, rng: text[: rng.randrange(len(text) + 1)]),
    ("drop-lines", _lines(lambda lines, rng: [x for x in lines if rng.random() > 0.2])),
    ("dup-lines", _lines(lambda lines, rng: [y for x in lines for y in [x] * rng.randint(1, 3)])),
    ("shuffle", _lines(lambda lines, rng: rng.sample(lines, len(lines)))),
    ("breaks", _breaks),
    ("relayout", _relayout),
    ("numbers", _numbers),
    ("control", _control),
    ("inject", _inject),
    ("extreme", _extreme),
]


# --- .docx ---------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    'formats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx_body(text: str, cell: Callable[[int], str] = lambda index: "") -> str:
    """Paragraphs and tables (runs of tab-separated lines) as WordprocessingML; ``cell``
    gives extra properties (w:tcPr content) for the n-th cell."""
    parts, index, table = [], 0, []

    def flush() -> None:
        nonlocal index
        if not table:
            return
        rows = []
        for line in table:
            cells = []
            for value in line.split("\t"):
                properties = cell(index)
                index += 1
                pr = f"<w:tcPr>{properties}</w:tcPr>" if properties else ""
                cells.append(
                    f"<w:tc>{pr}<w:p><w:r><w:t>{_xml_text(value)}</w:t></w:r></w:p></w:tc>"
                )
            rows.append(f"<w:tr>{''.join(cells)}</w:tr>")
        parts.append(f"<w:tbl>{''.join(rows)}</w:tbl>")
        table.clear()

    for line in text.split("\n"):
        if "\t" in line:
            table.append(line)
            continue
        flush()
        parts.append(f"<w:p><w:r><w:t>{_xml_text(line)}</w:t></w:r></w:p>")
    flush()
    return "".join(parts)


def docx_bytes(body: str, prolog: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W_NS}">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD_SPANS = ["abc", "-1", "0", "99999999999", "1e9", "65", "64", "", " 2", "２", "0x10", "nan"]
BAD_MERGES = ["bogus", "", "RESTART", "continue", "restart", "1"]
LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)
EXTERNAL = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def hostile_docx(text: str, rng: random.Random) -> tuple[str, bytes]:
    choice = rng.randrange(14)
    if choice == 0:
        span = rng.choice(BAD_SPANS)
        hit = rng.randrange(40)
        return f"gridSpan={span!r}", docx_bytes(
            docx_body(text, lambda i: f'<w:gridSpan w:val="{span}"/>' if i == hit else "")
        )
    if choice == 1:
        merge = rng.choice(BAD_MERGES)
        return f"vMerge={merge!r}", docx_bytes(
            docx_body(text, lambda i: f'<w:vMerge w:val="{merge}"/>' if i % 7 == 3 else "")
        )
    if choice == 2:
        width = rng.choice([65, 1000, 20000])
        row = "<w:tr>" + "<w:tc><w:p/></w:tc>" * width + "</w:tr>"
        return f"row-width-{width}", docx_bytes(docx_body(text) + f"<w:tbl>{row}</w:tbl>")
    if choice == 3:
        rows = rng.choice([20000, 60000])
        table = (
            "<w:tbl>" + "<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>" * rows + "</w:tbl>"
        )
        return f"rows-{rows}", docx_bytes(docx_body(text) + table)
    if choice == 4:
        depth = rng.choice([300, 3000])
        nested = "<w:sdt><w:sdtContent>" * depth + "<w:p/>" + "</w:sdtContent></w:sdt>" * depth
        return f"sdt-depth-{depth}", docx_bytes(docx_body(text) + nested)
    if choice == 5:
        return "billion-laughs", docx_bytes(
            docx_body(text) + "<w:p><w:r><w:t>&j;</w:t></w:r></w:p>", LAUGHS
        )
    if choice == 6:
        return "external-entity", docx_bytes(
            docx_body(text) + "<w:p><w:r><w:t>&x;</w:t></w:r></w:p>", EXTERNAL
        )
    if choice == 7:
        return "zip-bomb", ZIP_BOMB
    if choice == 8:
        return "lying-size", _lie_about_size(docx_bytes(docx_body(text)))
    if choice == 9:
        data = docx_bytes(docx_body(text))
        return "truncated", data[: rng.randrange(len(data))]
    if choice == 10:
        return "flipped", _flip_bytes(docx_bytes(docx_body(text)), rng, rng.randint(1, 20))
    if choice == 11:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/other.xml", "<x/>")
        return "no-document-xml", buffer.getvalue()
    if choice == 12:
        return "bad-xml", docx_bytes(docx_body(text) + "<w:p><w:r><w:t>\x01</w:x></w:p>")
    grid = "".join(
        f'<w:tc><w:tcPr><w:gridSpan w:val="{rng.randint(1, 64)}"/></w:tcPr><w:p/></w:tc>'
        for _ in range(30)
    )
    return "span-sum", docx_bytes(docx_body(text) + f"<w:tbl><w:tr>{grid}</w:tr></w:tbl>")


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", b" " * (120 * 1024 * 1024))
    return buffer.getvalue()


def _lie_about_size(data: bytes) -> bytes:
    """The central directory says word/document.xml is 10 bytes long."""
    buffer = bytearray(data)
    at = buffer.find(b"PK\x01\x02")
    while at >= 0:
        name_length = int.from_bytes(buffer[at + 28 : at + 30], "little")
        if buffer[at + 46 : at + 46 + name_length] == b"word/document.xml":
            buffer[at + 24 : at + 28] = (10).to_bytes(4, "little")
        at = buffer.find(b"PK\x01\x02", at + 4)
    return bytes(buffer)


ZIP_BOMB = b""


# --- HTML ----------------------------------------------------------------------------------


def html_page(text: str, cell: Callable[[int], str] = lambda index: "", head: str = "") -> str:
    parts, index, table = [], 0, []

    def flush() -> None:
        nonlocal index
        if table:
            rows = []
            for line in table:
                cells = []
                for value in line.split("\t"):
                    cells.append(f"<td{cell(index)}>{_xml_text(value)}</td>")
                    index += 1
                rows.append(f"<tr>{''.join(cells)}</tr>")
            parts.append(f"<table>{''.join(rows)}</table>")
            table.clear()

    for line in text.split("\n"):
        if "\t" in line:
            table.append(line)
        else:
            flush()
            parts.append(f"<p>{_xml_text(line)}</p>")
    flush()
    body = "".join(parts)
    return (
        f"<!DOCTYPE html><html><head>{head}<title>report</title></head><body>{body}</body></html>"
    )


def hostile_html(text: str, rng: random.Random) -> tuple[str, bytes]:
    choice = rng.randrange(10)
    if choice == 0:
        value = rng.choice(["100000", "-5", "abc", "1e9", "0", "99999999999999999999"])
        attribute = rng.choice(["colspan", "rowspan"])
        return f"{attribute}={value}", html_page(text, lambda i: f' {attribute}="{value}"').encode()
    if choice == 1:
        return "span-grid", html_page(text, lambda i: ' colspan="100" rowspan="100"').encode()
    if choice == 2:
        depth = rng.choice([1000, 100_000])
        return f"depth-{depth}", (
            "<!DOCTYPE html><html><body>"
            + "<div>" * depth
            + "一、总体情况"
            + "</div>" * depth
            + "</body></html>"
        ).encode()
    if choice == 3:
        return "laughs", (LAUGHS.replace("w:document", "html") + html_page(text + "\n&j;")).encode()
    if choice == 4:
        charset = rng.choice(["utf-7", "rot13", "utf-32", "x-unknown", "gb2312", "hz", "utf-16"])
        return f"charset-{charset}", html_page(text, head=f'<meta charset="{charset}">').encode(
            "utf-8"
        )
    if choice == 5:
        cells = "<td>1</td>" * 50
        return "table-50k", (
            "<!DOCTYPE html><html><body><table>"
            + f"<tr>{cells}</tr>" * 1000
            + "</table></body></html>"
        ).encode()
    if choice == 6:
        return "nul-bytes", html_page(text).encode().replace(b"</p>", b"\x00</p>")
    if choice == 7:
        data = html_page(text).encode()
        return "truncated", data[: rng.randrange(len(data))]
    if choice == 8:
        return "injection", html_page(rng.choice(INJECTIONS) + "\n" + text).encode()
    return "nested-tables", (
        "<html><body>"
        + "<table><tr><td>" * 500
        + "x"
        + "</td></tr></table>" * 500
        + "</body></html>"
    ).encode()


# --- PDF -----------------------------------------------------------------------------------


def pdf_document(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF with a correct cross-reference table, from numbered object bodies."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    start = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets.get(number, 0):010d} {'n' if number in offsets else 'f'} \n".encode()
    out += f"trailer\n<< /Size {size} /Root {root} 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


def pdf_stream(data: bytes, flate: bool = True, dictionary: str = "") -> bytes:
    if flate:
        data = zlib.compress(data)
        dictionary += " /Filter /FlateDecode"
    return f"<< /Length {len(data)}{dictionary} >>\nstream\n".encode() + data + b"\nendstream"


def pdf_pages(contents: list[bytes], resources: str = "/Font << /F1 3 0 R >>") -> dict[int, bytes]:
    """Catalog 1, page tree 2, font 3, then a page and its content per entry."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids = []
    for index, content in enumerate(contents):
        page, stream = 4 + 2 * index, 5 + 2 * index
        kids.append(f"{page} 0 R")
        objects[page] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << {resources} >> "
            f"/Contents {stream} 0 R >>"
        ).encode()
        objects[stream] = content
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    return objects


def _text_content(text: str) -> bytes:
    lines = [line for line in text.split("\n") if line.isascii()][:50] or ["Annual report"]
    body = "".join(
        f"BT /F1 10 Tf 50 {800 - 14 * i} Td ({line.replace('(', '').replace(')', '')}) Tj ET\n"
        for i, line in enumerate(lines)
    )
    return body.encode("latin-1", "replace")


def hostile_pdf(text: str, rng: random.Random) -> tuple[str, bytes]:
    choice = rng.randrange(12)
    content = pdf_stream(_text_content(text))
    if choice == 0:
        return "content-bomb", PDF_BOMB
    if choice == 1:
        count = rng.choice([60_000, 150_000])
        rects = "".join(f"{i % 500} {i % 800} 1 1 re f\n" for i in range(count)).encode()
        return f"rects-{count}", pdf_document(pdf_pages([pdf_stream(rects)]))
    if choice == 2:
        count = rng.choice([60_000, 120_000])
        chars = "".join(
            f"BT /F1 1 Tf {i % 590} {i % 840} Td (a) Tj ET\n" for i in range(count)
        ).encode()
        return f"text-objects-{count}", pdf_document(pdf_pages([pdf_stream(chars)]))
    if choice == 3:
        return "pages-300", pdf_document(pdf_pages([content] * 300))
    if choice == 4:
        objects = pdf_pages([content])
        objects[2] = b"<< /Type /Pages /Kids [2 0 R 4 0 R] /Count 2 >>"
        return "page-tree-loop", pdf_document(objects)
    if choice == 5:
        objects = pdf_pages([pdf_stream(b"/X1 Do\n")], "/XObject << /X1 9 0 R >>")
        objects[9] = pdf_stream(
            b"/X1 Do\n",
            dictionary=" /Type /XObject /Subtype /Form /BBox [0 0 10 10]"
            " /Resources << /XObject << /X1 9 0 R >> >>",
        )
        return "form-loop", pdf_document(objects)
    if choice == 6:
        data = pdf_document(pdf_pages([content]))
        return "truncated", data[: rng.randrange(len(data))]
    if choice == 7:
        return "flipped", _flip_bytes(pdf_document(pdf_pages([content])), rng, rng.randint(1, 30))
    if choice == 8:
        objects = pdf_pages([content])
        objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 9 0 R >>"
        objects[9] = FONT_BOMB
        return "tounicode-bomb", pdf_document(objects)
    if choice == 9:
        return "deep-arrays", pdf_document(
            {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"[" * 100_000 + b"]" * 100_000}
        )
    if choice == 10:
        return "garbage", b"%PDF-1.4\n" + bytes(
            rng.randrange(256) for _ in range(rng.randint(10, 5000))
        )
    return "valid", pdf_document(pdf_pages([content]))


def _flate_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join([*parts, compressor.flush()])


PDF_BOMB = b""
FONT_BOMB = b""


def _prepare_bombs(megabytes: int = 400) -> None:
    global ZIP_BOMB, PDF_BOMB, FONT_BOMB
    if ZIP_BOMB:
        return
    ZIP_BOMB = _zip_bomb()
    bomb = _flate_bomb(megabytes * 1024 * 1024)
    stream = (
        f"<< /Length {len(bomb)} /Filter /FlateDecode >>\nstream\n".encode() + bomb + b"\nendstream"
    )
    PDF_BOMB = pdf_document(pdf_pages([stream]))
    FONT_BOMB = stream


# --- the file system -------------------------------------------------------------------------

ODD_NAMES = [
    b"\xff\xfe-latin1-\xe9.txt",
    b"gbk-\xb1\xa8\xb8\xe6.txt",
    b"-rf.txt",
    b"=cmd|calc.txt",
    b"@SUM(1).txt",
    b"<script>alert(1)<\\script>.txt",
    b"line\nbreak.txt",
    b"tab\tname.txt",
    b"[glob]*?.txt",
    b" leading space.txt",
    b"quote\"'.txt",
    "报告（2024）.txt".encode(),
    b"x" * 200 + b".txt",
]


def oddities(folder: Path, text: bytes) -> list[Path]:
    """File-system oddities in ``folder``, each of which a folder scan must list."""
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []

    def link(name: str, target: str) -> None:
        path = folder / name
        os.symlink(target, path)
        made.append(path)

    link("dangling.txt", "nowhere/missing.txt")
    link("loop-a.txt", "loop-b.txt")
    link("loop-b.txt", "loop-a.txt")
    link("self-loop.txt", "self-loop.txt")
    link("dev-zero.txt", "/dev/zero")
    link("dev-null.txt", "/dev/null")
    link("dev-urandom.txt", "/dev/urandom")
    link("proc-mem.txt", "/proc/self/mem")
    link("proc-status.txt", "/proc/self/status")
    (folder / "real.txt").write_bytes(text)
    link("link-to-link.txt", "real.txt")
    link("chain.txt", "link-to-link.txt")
    made.append(folder / "real.txt")
    fifo = folder / "fifo.txt"
    os.mkfifo(fifo)
    made.append(fifo)
    sock = folder / "socket.txt"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    server.close()
    made.append(sock)
    unreadable = folder / "unreadable.txt"
    unreadable.write_bytes(text)
    unreadable.chmod(0)
    made.append(unreadable)
    sparse = folder / "sparse-huge.txt"
    with sparse.open("wb") as handle:
        handle.truncate(10 * 1024**3)
    made.append(sparse)
    (folder / "oversize.txt").write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    made.append(folder / "oversize.txt")
    for name in ODD_NAMES:
        path = Path(os.fsdecode(bytes(folder) + b"/" + name))
        path.write_bytes(text)
        made.append(path)
    (folder / "dir.txt").mkdir()
    (folder / "dir.txt" / "inner.txt").write_bytes(text)
    made.append(folder / "dir.txt" / "inner.txt")
    return made


# --- generation ----------------------------------------------------------------------------

SUFFIX = {"text": ".txt", "docx": ".docx", "html": ".html", "pdf": ".pdf"}


def generate(root: Path, count: int, seed: int = 9) -> dict[str, list[Path]]:
    """``count`` hostile inputs under ``root`` in batches of folders; by category."""
    _prepare_bombs()  # unless run() made them already
    rng = random.Random(seed)
    texts = seeds()
    made: dict[str, list[Path]] = {"text": [], "docx": [], "html": [], "pdf": [], "fs": []}
    kinds: Counter[str] = Counter()
    odd = oddities(root / "fs", texts[0].encode())
    made["fs"] = odd
    remaining = max(0, count - len(odd))
    shares = {"docx": 0.12, "html": 0.06, "pdf": 0.04}
    plan = {category: int(remaining * share) for category, share in shares.items()}
    plan["text"] = remaining - sum(plan.values())
    makers = {"text": mutate_text, "docx": hostile_docx, "html": hostile_html, "pdf": hostile_pdf}
    for category, amount in plan.items():
        for index in range(amount):
            kind, data = makers[category](rng.choice(texts), rng)
            kinds[f"{category}:{kind.split('@')[0].split('+')[0].split('=')[0].split('-')[0]}"] += 1
            folder = root / category / f"{index // 500:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{index:05d}{SUFFIX[category]}"
            path.write_bytes(data)
            made[category].append(path)
    made["_kinds"] = kinds  # type: ignore[assignment]
    return made


# --- running -------------------------------------------------------------------------------


@dataclass
class Tally:
    runs: int = 0
    inputs: int = 0
    tracebacks: int = 0
    crashes: int = 0
    hangs: int = 0
    missing: int = 0
    internal: int = 0
    seconds: float = 0.0
    parent_mb: float = 0.0
    worker_mb: float = 0.0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("runs", "inputs", "tracebacks", "crashes", "hangs", "missing", "internal"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.seconds += other.seconds
        self.parent_mb = max(self.parent_mb, other.parent_mb)
        self.worker_mb = max(self.worker_mb, other.worker_mb)
        self.problems += other.problems


def gkaudit_command() -> list[str]:
    return [sys.executable, "-m", "gkaudit"]


def scan(
    arguments: list[str | Path],
    expected: list[Path] | None,
    output: Path,
    jobs: int,
    limit: float,
    timeout_per_file: float = 20,
    output_format: str = "json",
) -> Tally:
    """One ``gkaudit scan``; what went wrong, if anything."""
    tally = Tally(runs=1, inputs=len(expected or ()))
    output.unlink(missing_ok=True)
    command = [
        *gkaudit_command(), "scan", *map(str, arguments), "--format", output_format,
        "--output", str(output), "--jobs", str(jobs), "--timeout-per-file", str(timeout_per_file),
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(  # cwd: not a checkout, whose gkaudit/ would shadow the installed
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment(),
        cwd=output.parent,
    )
    sampler = _MemorySampler(process.pid)
    sampler.start()
    try:
        _out, err = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        process.kill()
        _out, err = process.communicate()
        tally.hangs += 1
        tally.problems.append(f"hang: {command}")
    sampler.stop()
    tally.seconds = time.perf_counter() - started
    tally.parent_mb, tally.worker_mb = sampler.parent_mb, sampler.worker_mb
    stderr = err.decode("utf-8", "replace")
    if "Traceback" in stderr:
        tally.tracebacks += 1
        tally.problems.append(f"traceback: {stderr[-2000:]}")
    if process.returncode not in (0, 1) and not tally.hangs:
        tally.crashes += 1
        tally.problems.append(f"exit {process.returncode}: {stderr[-500:]}")
        return tally
    if not output.exists():
        tally.crashes += 1
        tally.problems.append(f"no output: {command}")
        return tally
    if output_format == "json" and expected is not None:
        listed = {report["path"] for report in json.loads(output.read_bytes())["reports"]}
        internal = [
            finding
            for report in json.loads(output.read_bytes())["reports"]
            for finding in report["findings"]
            if finding["code"] == "GK901" and "internal" in str(finding.get("evidence"))
        ]
        tally.internal += len(internal)
        tally.problems += [f"internal: {f['path']}: {f['evidence']}" for f in internal]
        for path in expected:
            if _display(path) not in listed:
                tally.missing += 1
                tally.problems.append(f"missing: {_display(path)}")
    return tally


def _display(path: Path) -> str:
    from gkaudit.audit.engine import display_path

    return display_path(path)


def _environment() -> dict[str, str]:
    return {**os.environ, "GKAUDIT_LOAD_PLUGINS": "builtin,readers", "PYTHONDONTWRITEBYTECODE": "1"}


class _MemorySampler(threading.Thread):
    """Peak resident memory (VmHWM) of a process and of its children, read from /proc."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.parent_mb = 0.0
        self.worker_mb = 0.0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.parent_mb = max(self.parent_mb, _peak_mb(self.pid))
            for child in _children(self.pid):
                self.worker_mb = max(self.worker_mb, _peak_mb(child))
            time.sleep(0.05)

    def stop(self) -> None:
        self.running = False
        self.join()


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(part) for part in handle.read().split()]
    except OSError:
        return []


def _peak_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


ALL_FORMATS = ("text", "csv", "xlsx", "sarif", "html", "markdown")


def run(
    count: int,
    batch: int,
    single: int,
    jobs: int,
    work: Path,
    seed: int = 9,
    formats: tuple[str, ...] = ALL_FORMATS,
    single_fs: int | None = None,
    bomb_mb: int = 400,
    baseline: bool = True,
) -> dict[str, Tally]:
    """Generate, scan in batches and singly (every file-system oddity, or the first
    ``single_fs``, and ``single`` random inputs), the oddities in other ``formats``, files
    vanishing during a scan; a tally per way of running, and the baseline."""
    _prepare_bombs(bomb_mb)
    made = generate(work / "inputs", count, seed)
    kinds = made.pop("_kinds")  # type: ignore[arg-type]
    tallies = {"batches": Tally(), "single": Tally(), "formats": Tally(), "vanishing": Tally()}
    everything = [path for paths in made.values() for path in paths]
    groups = [("fs", [work / "inputs" / "fs"], made["fs"])]
    for category in ("text", "docx", "html", "pdf"):
        paths = made[category]
        for start in range(0, len(paths), batch):
            chunk = paths[start : start + batch]
            folder = work / "batches" / f"{category}-{start // batch:03d}"
            folder.mkdir(parents=True)
            for path in chunk:
                os.symlink(path, folder / path.name)  # a folder of links: each followed once
            groups.append((category, [folder], [folder / path.name for path in chunk]))
    limit = 120 + 2 * batch  # seconds a batch may take before it counts as a hang
    for _category, arguments, expected in groups:
        tallies["batches"].add(scan(arguments, expected, work / "out.json", jobs, limit))
    rng = random.Random(seed)
    sample = made["fs"][:single_fs] + rng.sample(everything, min(single, len(everything)))
    for path in sample:
        tallies["single"].add(scan([path], [path], work / "one.json", 1, 120))
    for output_format in formats:
        output = work / f"out.{output_format}"
        fs = [work / "inputs" / "fs"]
        tallies["formats"].add(scan(fs, None, output, jobs, 300, output_format=output_format))
    tallies["vanishing"].add(_vanishing(work / "vanishing", jobs))
    if baseline:
        tallies["baseline"] = _baseline(work / "baseline", len(everything), batch, jobs)
    tallies["_kinds"] = kinds  # type: ignore[assignment]
    return tallies


def _vanishing(folder: Path, jobs: int) -> Tally:
    """Files deleted and replaced (by a FIFO) while the scan runs: no crash, no traceback."""
    folder.mkdir(parents=True)
    text = SEED_FILES[0].read_bytes()
    paths = [folder / f"{index:04d}.txt" for index in range(200)]
    for path in paths:
        path.write_bytes(text)

    def vandal() -> None:
        time.sleep(0.3)
        for index, path in enumerate(reversed(paths)):
            path.unlink(missing_ok=True)
            if index % 3 == 0:
                os.mkfifo(path)
            time.sleep(0.002)

    thread = threading.Thread(target=vandal, daemon=True)
    thread.start()
    tally = scan([folder], None, folder.parent / "vanishing.json", jobs, 300)
    thread.join()
    tally.inputs = len(paths)
    return tally


def _baseline(folder: Path, count: int, batch: int, jobs: int) -> Tally:
    """As many clean reports, scanned the same way: the yardstick for the times above."""
    tally = Tally()
    texts = [path.read_bytes() for path in SEED_FILES]
    for start in range(0, count, batch):
        chunk = folder / f"{start // batch:03d}"
        chunk.mkdir(parents=True)
        expected = []
        for index in range(start, min(count, start + batch)):
            path = chunk / f"{index:05d}.txt"
            path.write_bytes(texts[index % len(texts)])
            expected.append(path)
        tally.add(scan([chunk], expected, folder / "out.json", jobs, 120 + 2 * batch))
    return tally


def isolation_overhead(folder: Path, count: int = 400, repeat: int = 3) -> str:
    """The price of isolation on clean reports, in this process: every file audited in place
    (no protection) against the same files through the worker pool with one worker."""
    from gkaudit.audit.config import Config
    from gkaudit.audit.engine import Engine
    from gkaudit.audit.scan import audit_paths, summarise

    folder.mkdir(parents=True, exist_ok=True)
    texts = [path.read_bytes() for path in SEED_FILES]
    paths = []
    for index in range(count):
        path = folder / f"{index:05d}.txt"
        path.write_bytes(texts[index % len(texts)])
        paths.append(path)
    engine = Engine.load(Config())

    def in_place() -> None:
        for path in paths:
            summarise(engine.audit_file(path))

    def isolated() -> None:
        audit_paths(engine, paths, 1)

    best = {}
    for name, work in (("in place", in_place), ("1 worker", isolated)):
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        best[name] = min(times)
    ratio = best["1 worker"] / best["in place"]
    return (
        f"isolation overhead, {count} clean reports, best of {repeat}: in place "
        f"{count / best['in place']:.0f} files/s, one worker process "
        f"{count / best['1 worker']:.0f} files/s (× {ratio:.2f})"
    )


def table(tallies: dict[str, Tally]) -> str:
    baseline = tallies.get("baseline", Tally())
    rows = [
        "| run | scans | inputs | tracebacks | crashes | hangs | missing | internal | seconds | "
        "× baseline | peak MB main | peak MB worker |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, tally in tallies.items():
        if name.startswith("_"):
            continue
        ratio = tally.seconds / baseline.seconds if baseline.seconds else 0
        rows.append(
            f"| {name} | {tally.runs} | {tally.inputs} | {tally.tracebacks} | {tally.crashes} | "
            f"{tally.hangs} | {tally.missing} | {tally.internal} | {tally.seconds:.1f} | "
            f"{ratio:.2f} | {tally.parent_mb:.0f} | {tally.worker_mb:.0f} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--single", type=int, default=200, help="random inputs also run singly")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="gkaudit-hostile-"))
    try:
        print(isolation_overhead(work / "overhead"))
        tallies = run(
            options.count, options.batch, options.single, options.jobs, work, options.seed
        )
    finally:
        if not options.keep:
            _remove(work)
    kinds = tallies.pop("_kinds")
    print(f"inputs by kind: {dict(sorted(kinds.items()))}")  # type: ignore[union-attr]
    print(f"generated in {work}; jobs {options.jobs}, batches of {options.batch}")
    print(table(tallies))
    problems = [problem for tally in tallies.values() for problem in tally.problems]
    for problem in problems[:40]:
        print(problem[:400])
    bad = sum(t.tracebacks + t.crashes + t.hangs + t.missing for t in tallies.values())
    sys.exit(1 if bad else 0)


def _remove(work: Path) -> None:
    def writable(function, path, _info) -> None:
        os.chmod(path, stat.S_IRWXU)
        function(path)

    shutil.rmtree(work, onerror=writable)


if __name__ == "__main__":
    main()
