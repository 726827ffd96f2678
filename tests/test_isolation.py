"""One bad file never costs the batch (issue 9): isolation at the file boundary, budgets,
only regular files opened, outputs safe to open, and the promises: inputs untouched, a killed
scan leaves the previous output intact, exit codes as documented."""

import csv
import faulthandler
import hashlib
import importlib.util
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from gkaudit.audit import scan as scan_module
from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine, display_path
from gkaudit.audit.scan import ReportResult, ScanResult, write_atomically
from gkaudit.base.errors import ReadError
from gkaudit.check.findings import Finding, Severity
from gkaudit.cli import main
from gkaudit.outputs.html import render_html
from gkaudit.outputs.render import render_csv
from gkaudit.outputs.xlsx import render_xlsx
from gkaudit.read.readers import docx as docx_reader
from gkaudit.read.readers import html as html_reader
from gkaudit.read.readers import pdf as pdf_reader
from gkaudit.read.readers.text import TextReader
from gkaudit.read.source import open_regular, read_bytes

from conftest import REALWORLD, ROOT, SEEDS

GOOD = SEEDS["002"]  # a warning only: exit 0 on its own


def load_hostile():
    spec = importlib.util.spec_from_file_location("hostile", ROOT / "benchmarks" / "hostile.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile"] = module
    spec.loader.exec_module(module)
    return module


hostile = load_hostile()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    return result.exit_code, result.stdout, result.stderr


def scan_json(*args) -> tuple[int, dict[str, list[dict]], str]:
    """Exit status, findings by report path (English), stderr."""
    code, out, err = run("scan", *args, "--format", "json", "--lang", "en")
    assert "Traceback" not in err, err
    data = json.loads(out)
    return code, {report["path"]: report["findings"] for report in data["reports"]}, err


def gk901(findings: list[dict]) -> str:
    messages = [finding["message"] for finding in findings if finding["code"] == "GK901"]
    assert len(messages) == 1, findings
    return messages[0]


# --- the file system: only regular files are opened ------------------------------------


@pytest.fixture
def oddities(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    os.symlink("missing.txt", folder / "dangling.txt")
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink("good.txt", folder / "link.txt")
    os.mkfifo(folder / "fifo.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "socket.txt"))
    server.close()
    return folder


EXPECTED_REASONS = {
    "dangling.txt": "symbolic link to a file that does not exist",
    "loop-a.txt": "symbolic link loop",
    "loop-b.txt": "symbolic link loop",
    "zero.txt": "not a regular file (character device)",
    "fifo.txt": "not a regular file (FIFO)",
    "socket.txt": "not a regular file (socket)",
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_links_fifos_sockets_and_devices_are_findings_not_crashes(oddities, jobs):
    code, reports, _ = scan_json(oddities, "--jobs", jobs)
    assert sorted(Path(path).name for path in reports) == sorted(
        [*EXPECTED_REASONS, "good.txt", "link.txt"]
    )
    for path, findings in reports.items():
        name = Path(path).name
        if name in EXPECTED_REASONS:
            assert EXPECTED_REASONS[name] in gk901(findings)
        else:  # a link to a regular file is followed
            assert all(finding["code"] != "GK901" for finding in findings)
    assert code == 1


def test_odd_files_given_as_arguments_never_block(oddities):
    arguments = [oddities / name for name in ("fifo.txt", "dangling.txt", "loop-a.txt")]
    started = time.monotonic()
    code, reports, _ = scan_json(*arguments, "/dev/zero", "--jobs", "1")
    assert time.monotonic() - started < 30
    assert len(reports) == 4 and code == 1
    assert "character device" in gk901(reports["/dev/zero"])


def test_open_regular_refuses_a_fifo_without_blocking(oddities):
    outcome = []

    def attempt():
        try:
            open_regular(oddities / "fifo.txt", 1000)
        except ReadError as error:
            outcome.append(error)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(5)
    assert outcome and outcome[0].reason == "not-regular"
    assert outcome[0].localised()["zh"] == "不是普通文件（命名管道），未打开"


def test_every_reader_honours_max_bytes(tmp_path):
    files = {
        TextReader(): GOOD.read_bytes(),
        html_reader.HtmlReader(): hostile.html_page(GOOD.read_text("utf-8")).encode(),
        pdf_reader.PdfReader(): pdf_with(b"BT /F1 9 Tf 9 9 Td (x) Tj ET" * 100, flate=False),
        docx_reader.DocxReader(): hostile.docx_bytes(hostile.docx_body(GOOD.read_text("utf-8"))),
    }
    for reader, data in files.items():
        path = tmp_path / f"big.{reader.name}"
        path.write_bytes(data)
        reader.read(path, len(data))  # within the limit: read
        with pytest.raises(ReadError, match="file too large") as caught:
            reader.read(path, len(data) - 1)
        assert caught.value.reason == "too-large", reader.name
    assert len(read_bytes(tmp_path / "big.text", 10**6)) == len(GOOD.read_bytes())


# --- readers validate where they read ------------------------------------------------------


def write_docx(tmp_path, name, body):
    path = tmp_path / name
    path.write_bytes(hostile.docx_bytes(body))
    return path


def docx_with_cell(properties: str) -> str:
    return hostile.docx_body(GOOD.read_text("utf-8"), lambda i: properties if i == 5 else "")


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ('<w:gridSpan w:val="abc"/>', 'w:gridSpan="abc" is invalid'),
        ('<w:gridSpan w:val="99999999999"/>', 'w:gridSpan="99999999999" is invalid'),
        ('<w:gridSpan w:val="-3"/>', 'w:gridSpan="-3" is invalid'),
        ('<w:gridSpan w:val="65"/>', 'w:gridSpan="65" is invalid'),
        ('<w:vMerge w:val="bogus"/>', 'w:vMerge="bogus" is invalid'),
    ],
)
def test_docx_spans_and_merges_are_validated(tmp_path, properties, message):
    path = write_docx(tmp_path, "bad.docx", docx_with_cell(properties))
    audit = Engine.load(Config()).audit_file(path)
    assert [f.code for f in audit.findings] == ["GK901"]
    assert message in audit.findings[0].message("en")
    assert "无效" in audit.findings[0].message("zh")


def test_docx_row_width_and_cell_count_are_bounded(tmp_path, monkeypatch):
    row = "<w:tr>" + '<w:tc><w:tcPr><w:gridSpan w:val="60"/></w:tcPr><w:p/></w:tc>' * 2 + "</w:tr>"
    wide = write_docx(tmp_path, "wide.docx", f"<w:tbl>{row}</w:tbl>")
    engine = Engine.load(Config())
    assert "a table row spans more than 64 cells" in engine.audit_file(wide).findings[0].message(
        "en"
    )
    monkeypatch.setattr(docx_reader, "MAX_CELLS", 50)
    many = write_docx(tmp_path, "many.docx", docx_with_cell(""))
    assert "more than 50 table cells" in engine.audit_file(many).findings[0].message("en")


def test_docx_entities_are_not_expanded(tmp_path):
    body = hostile.docx_body(GOOD.read_text("utf-8")) + "<w:p><w:r><w:t>&j;</w:t></w:r></w:p>"
    path = tmp_path / "laughs.docx"
    path.write_bytes(hostile.docx_bytes(body, hostile.LAUGHS))
    audit = Engine.load(Config()).audit_file(path)
    assert [f.code for f in audit.findings] == ["GK901"]


def test_html_spans_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(html_reader, "MAX_CELLS", 5000)
    page = hostile.html_page(GOOD.read_text("utf-8"), lambda i: ' colspan="100000" rowspan="100"')
    path = tmp_path / "spans.html"
    path.write_text(page, "utf-8")
    audit = Engine.load(Config()).audit_file(path)
    assert "more than 5000 table cells" in audit.findings[0].message("en")
    assert html_reader._span("100000") == html_reader.MAX_SPAN
    assert html_reader._span("-4") == 1 and html_reader._span("x") == 1


def pdf_with(content: bytes, pages: int = 1, flate: bool = True) -> bytes:
    return hostile.pdf_document(hostile.pdf_pages([hostile.pdf_stream(content, flate)] * pages))


def test_pdf_stream_bomb_stops_at_the_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_DECODED", 4 * 1024 * 1024)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_with(b" " * (40 * 1024 * 1024)))
    assert path.stat().st_size < 100_000
    started = time.monotonic()
    audit = Engine.load(Config()).audit_file(path)
    assert time.monotonic() - started < 10
    assert "streams decompress to more than 4 MB" in audit.findings[0].message("en")
    assert "解压后的数据流超过 4 MB" in audit.findings[0].message("zh")


def test_pdf_objects_and_pages_are_bounded(tmp_path, monkeypatch):
    rects = b"".join(b"%d %d 1 1 re f\n" % (i % 500, i % 800) for i in range(25_000))
    (tmp_path / "rects.pdf").write_bytes(pdf_with(rects))
    engine = Engine.load(Config())
    started = time.monotonic()
    message = engine.audit_file(tmp_path / "rects.pdf").findings[0].message("en")
    assert "page 1 has 25000 drawing operators, limit 20000" in message
    assert time.monotonic() - started < 10
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    (tmp_path / "pages.pdf").write_bytes(pdf_with(b"BT /F1 9 Tf 9 9 Td (x) Tj ET", pages=3))
    assert "3 pages, limit 2" in engine.audit_file(tmp_path / "pages.pdf").findings[0].message("en")


def test_real_documents_are_within_every_budget():
    engine = Engine.load(Config())
    for name in ("huaian-city-2024.pdf", "shuyang-fgj-2023.html", "template-2021-blank.docx"):
        audit = engine.audit_file(REALWORLD / name)
        assert "GK901" not in [f.code for f in audit.findings], (name, audit.findings)


# --- isolation: exceptions, dead and hung workers, time and memory -------------------------


def sabotage(monkeypatch, action):
    """TextReader.read does ``action`` for files whose name says so (workers fork with it)."""
    original = TextReader.read

    def read(self, path, max_bytes):
        if not path.stem.startswith("good"):
            action(path.stem)
        return original(self, path, max_bytes)

    monkeypatch.setattr(TextReader, "read", read)


def batch(tmp_path, *names):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("good", *names):
        shutil.copy(GOOD, folder / f"{name}.txt")
    return folder


def by_name(reports):
    return {Path(path).stem: findings for path, findings in reports.items()}


def test_a_reader_bug_becomes_gk901_and_the_batch_goes_on(tmp_path, monkeypatch):
    def fail(stem):
        raise {"key": KeyError("x"), "recursion": RecursionError("deep")}[stem]

    sabotage(monkeypatch, fail)
    folder = batch(tmp_path, "key", "recursion")
    code, reports, _ = scan_json(folder, "--jobs", "2")
    reports = by_name(reports)
    assert "internal error while reading (KeyError)" in gk901(reports["key"])
    assert "internal error while reading (RecursionError)" in gk901(reports["recursion"])
    assert [f["code"] for f in reports["good"]] == ["GK202"]
    assert code == 1  # findings, not a crash: the batch finished
    code, out, _ = run("check", folder / "key.txt", folder / "good.txt", "--lang", "zh")
    assert "读取时发生内部错误（KeyError）" in out and code == 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_worker_that_dies_costs_only_its_file(tmp_path, monkeypatch, jobs):
    def die(stem):
        faulthandler.disable()  # pytest's: it would print the dying worker's stack
        os.kill(os.getpid(), {"killed": signal.SIGKILL, "segfault": signal.SIGSEGV}[stem])

    sabotage(monkeypatch, die)
    folder = batch(tmp_path, "killed", "segfault")
    shutil.copy(GOOD, folder / "good2.txt")
    code, reports, _ = scan_json(folder, "--jobs", jobs, "--ignore", "GK608")  # a copy is GK608
    reports = by_name(reports)
    assert "worker process reading this file stopped (killed (SIGKILL" in gk901(reports["killed"])
    assert "stopped (killed by SIGSEGV)" in gk901(reports["segfault"])
    assert (
        [f["code"] for f in reports["good"]] == [f["code"] for f in reports["good2"]] == ["GK202"]
    )
    assert code == 1


def test_a_worker_found_dead_by_the_file_sent_to_it_is_replaced(tmp_path, monkeypatch):
    """The worker dies after its first result; the next file sent to it fails before the pool
    has seen the death: the pool must stop feeding it (not try again and again) and go on."""

    def die(stem):
        if stem == "killed":
            os.kill(os.getpid(), signal.SIGKILL)

    def slow_ready(self, timeout):  # the death happens while the pool waits, unseen
        time.sleep(0.3)
        return original_ready(self, timeout)

    def hung(signum, frame):
        raise TimeoutError("the scan did not finish")

    original_ready = scan_module._Readiness.ready
    monkeypatch.setattr(scan_module._Readiness, "ready", slow_ready)
    sabotage(monkeypatch, die)
    folder = batch(tmp_path, "killed", "later")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, 60)
    try:
        code, reports, _ = scan_json(folder, "--jobs", "1", "--ignore", "GK608")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    reports = by_name(reports)
    assert "killed (SIGKILL" in gk901(reports["killed"])
    assert [f["code"] for f in reports["good"]] == [f["code"] for f in reports["later"]] == ["GK202"]
    assert code == 1


def test_a_hung_file_is_stopped_by_its_time_budget(tmp_path, monkeypatch):
    sabotage(monkeypatch, lambda stem: time.sleep(60))
    folder = batch(tmp_path, "slow")
    started = time.monotonic()
    code, reports, _ = scan_json(folder, "--jobs", "2", "--timeout-per-file", "1")
    assert time.monotonic() - started < 30
    assert "took longer than 1 s (--timeout-per-file)" in gk901(by_name(reports)["slow"])
    assert code == 1


def test_a_worker_deaf_to_its_alarm_is_killed(tmp_path, monkeypatch):
    def deaf(stem):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)

    sabotage(monkeypatch, deaf)
    monkeypatch.setattr(scan_module, "GRACE", 1.0)
    folder = batch(tmp_path, "deaf", "deaf2")
    started = time.monotonic()
    code, reports, _ = scan_json(folder, "--jobs", "1", "--timeout-per-file", "1")
    assert time.monotonic() - started < 30
    reports = by_name(reports)
    assert "took longer than 1 s" in gk901(reports["deaf"])
    assert "took longer than 1 s" in gk901(reports["deaf2"])
    assert [f["code"] for f in reports["good"]] == ["GK202"]  # audited by a fresh worker
    assert code == 1


def test_a_worker_is_bounded_in_memory(tmp_path, monkeypatch):
    def hog(stem):
        bytearray(4 * 1024**3)

    sabotage(monkeypatch, hog)
    folder = batch(tmp_path, "hog")
    code, reports, _ = scan_json(folder, "--jobs", "1")
    assert "out of memory while processing the file" in gk901(by_name(reports)["hog"])
    assert code == 1


def test_the_time_budget_also_holds_in_process(tmp_path, monkeypatch):
    sabotage(monkeypatch, lambda stem: time.sleep(60))
    shutil.copy(GOOD, tmp_path / "slow.txt")
    engine = Engine.load(Config(), timeout=0.5)
    audit = engine.audit_file(tmp_path / "slow.txt")
    assert "took longer than 0.5 s" in audit.findings[0].message("en")
    assert "处理超时：超过 0.5 秒" in audit.findings[0].message("zh")


def test_a_rule_crash_is_exit_2_and_the_output_is_complete(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "crash.py").write_text(CRASHING_RULE, "utf-8")
    folder = batch(tmp_path, "other")
    code, out, err = run("scan", folder, "--rules-dir", plugins, "--format", "json", "-j", "2")
    assert code == 2 and "XC001" in err and "ZeroDivisionError" in err  # zh by default
    assert len(json.loads(out)["reports"]) == 2


CRASHING_RULE = '''
from gkaudit import Rule, Severity, hookimpl

class Crash(Rule):
    """Always fails."""
    code = "XC001"
    severity = Severity.INFO
    title = {"zh": "崩溃", "en": "crash"}
    source = "test"
    messages = {}

    def check(self, report, context):
        return 1 / 0

@hookimpl
def register_rules(register):
    register(Crash)
'''


# --- exit codes, exactly as documented ---------------------------------------------------


def test_exit_codes_are_exactly_as_documented(tmp_path):
    assert run("scan", GOOD, "-j", "1")[0] == 0  # a warning only
    assert run("scan", SEEDS["004"], "-j", "1")[0] == 1  # an error-level finding
    assert run("scan", SEEDS["004"], "-j", "1", "--exit-zero")[0] == 0
    assert run("scan", tmp_path / "absent.txt")[0] == 2  # usage: no such file or folder
    assert run("scan", GOOD, "--timeout-per-file", "0")[0] == 2
    assert run("scan", GOOD, "--format", "xlsx")[0] == 2  # xlsx needs --output
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert run("scan", empty, "-j", "1")[0] == 1  # GK901 is an error-level finding


# --- outputs safe to open ------------------------------------------------------------------

INJECTED = {
    "unit": '=HYPERLINK("http://example.invalid","x")',
    "path": "@SUM(1+1).txt",
    "message": "+cmd|' /C calc'!A0",
    "section": "-2+3",
}


def injected_scan() -> ScanResult:
    finding = Finding(
        code="GK999",
        severity=Severity.ERROR,
        messages={"zh": INJECTED["message"], "en": INJECTED["message"]},
        path=INJECTED["path"],
        line=3,
        section=INJECTED["section"],
    )
    tab = Finding("GK998", Severity.WARNING, {"zh": "\t=1+1"}, None, None)
    report = ReportResult(INJECTED["path"], INJECTED["unit"], 2024, "county", [finding, tab])
    return scan_module.finalise([report], Config())


def test_csv_cells_that_look_like_formulas_are_neutralised():
    rows = list(csv.reader(io.StringIO(render_csv(injected_scan(), "en").decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    for value in (INJECTED["unit"], INJECTED["message"], "\t=1+1"):  # the list's columns
        assert "'" + value in cells
        assert value not in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_xlsx_cells_that_look_like_formulas_stay_text(tmp_path):
    data = render_xlsx(injected_scan(), "en")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)
    path = tmp_path / "out.xlsx"
    path.write_bytes(data)
    workbook = load_workbook(path)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    risky = [cell for cell in cells if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t"]
    assert {cell.value for cell in risky} >= {INJECTED["unit"], INJECTED["message"]}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)


SCRIPT = "var d=document.createElement('div');d.id='pwned'+'1';document.body.appendChild(d)"


def test_html_report_runs_no_script_from_a_report(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("chromium is required: apt-get install chromium (CI installs it)")
    finding = Finding(
        "GK999",
        Severity.ERROR,
        {"zh": f"<script>{SCRIPT}</script>", "en": "x"},
        "p",
        2,
    )
    report = ReportResult(
        path=f'<img src=x onerror="{SCRIPT}">.txt',
        unit=f'<svg onload="{SCRIPT}"></svg>',
        year=2024,
        unit_type="<b>county</b>",
        findings=[finding],
        excerpts={2: f"</pre><script>{SCRIPT}</script>", 3: "<img src=x onerror=alert(1)>"},
    )
    page = tmp_path / "report.html"
    page.write_bytes(render_html(scan_module.finalise([report], Config()), "zh"))
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom", page.as_uri(),
    ]  # fmt: skip
    dom = subprocess.run(command, capture_output=True, timeout=120, check=True).stdout.decode()
    assert 'data-ready="1"' in dom  # the page's own script ran
    assert "pwned1" not in dom and "<svg onload" not in dom and "<img src" not in dom
    assert "&lt;script&gt;" in dom  # shown as text


def test_non_utf8_file_names_are_shown_escaped_in_every_format(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"bad-\xff\xfe.txt")
    shutil.copy(SEEDS["004"], folder / name)
    shown = "bad-\\xff\\xfe.txt"
    assert display_path(folder / name).endswith(shown)
    for output_format in ("text", "json", "csv", "markdown", "sarif", "html", "xlsx"):
        target = tmp_path / f"out.{output_format}"
        code, _, err = run("scan", folder, "--format", output_format, "--output", target, "-j", "1")
        assert code == 1 and "Traceback" not in err, (output_format, err)
        data = target.read_bytes()
        if output_format == "xlsx":
            workbook = load_workbook(target)
            data = "".join(
                str(c.value) for s in workbook for r in s.iter_rows() for c in r
            ).encode()
        text = data.decode("utf-8")
        assert shown.replace("\\", "\\\\") in text or shown in text, output_format


# --- the promises: inputs untouched, output atomic, temporary files removed ---------------


def digest(folder: Path) -> dict[str, str]:
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def test_inputs_are_byte_identical_after_any_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for source in [*SEEDS.values(), *REALWORLD.iterdir()]:
        shutil.copy(source, folder / source.name)
    (folder / "bad.docx").write_bytes(hostile.docx_bytes(docx_with_cell('<w:gridSpan w:val="x"/>')))
    (folder / "bomb.pdf").write_bytes(pdf_with(b" " * (2 * 1024 * 1024)))
    stats = {path: path.stat().st_mtime_ns for path in folder.iterdir()}
    before = digest(folder)
    for output_format in ("json", "xlsx", "html"):
        run("scan", folder, "--format", output_format, "--output", tmp_path / f"o.{output_format}")
    run("check", *sorted(folder.iterdir()))
    for path in folder.iterdir():
        run("parse", path)
    assert digest(folder) == before
    assert {path: path.stat().st_mtime_ns for path in folder.iterdir()} == stats


def test_an_interrupted_write_leaves_the_old_output_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_bytes(b"previous")

    def interrupted(source, destination):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


SLOW_RULE = '''
import time
from gkaudit import Rule, Severity, hookimpl

class Slow(Rule):
    """Takes its time."""
    code = "XS001"
    severity = Severity.INFO
    title = {"zh": "慢", "en": "slow"}
    source = "test"
    messages = {}

    def check(self, report, context):
        time.sleep(30)
        return ()

@hookimpl
def register_rules(register):
    register(Slow)
'''


def start_slow_scan(tmp_path, target: Path) -> subprocess.Popen:
    plugins = tmp_path / "plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "slow.py").write_text(SLOW_RULE, "utf-8")
    command = [
        sys.executable, "-m", "gkaudit", "scan", str(GOOD), "--rules-dir", str(plugins),
        "--format", "json", "--output", str(target), "-j", "1",
    ]  # fmt: skip
    process = (
        subprocess.Popen(  # not from the repository, whose gkaudit/ would shadow the installed
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
        )
    )
    deadline = time.monotonic() + 60
    while not children(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # the worker is inside the slow rule
    return process


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize(
    ("sent", "status"), [(signal.SIGKILL, -9), (signal.SIGTERM, 143), (signal.SIGINT, 130)]
)
def test_a_killed_scan_leaves_the_previous_output_intact(tmp_path, sent, status):
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    target.write_bytes(b'{"previous": true}')
    stale = target.parent / ".report.json.12345.gkaudit-tmp"
    stale.write_bytes(b"half a report from a run killed long ago")
    process = start_slow_scan(tmp_path, target)
    workers = children(process.pid)
    assert workers, process.stderr.read() if process.poll() is not None else "no worker"
    process.send_signal(sent)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == status, err
    assert b"Traceback" not in err
    assert target.read_bytes() == b'{"previous": true}'
    assert sorted(p.name for p in target.parent.iterdir()) == sorted([target.name, stale.name])
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)  # no worker outlives the scan


def test_a_stale_temporary_file_is_never_taken_for_a_report_or_output(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    (folder / ".out.json.999.gkaudit-tmp").write_bytes(GOOD.read_bytes())
    code, reports, _ = scan_json(folder, "-j", "1")
    assert [Path(path).name for path in reports] == ["good.txt"] and code == 0


def test_the_pdf_decoding_budget_is_only_active_while_a_pdf_is_read(tmp_path):
    path = tmp_path / "one.pdf"
    path.write_bytes(pdf_with(b"BT /F1 9 Tf 9 9 Td (x) Tj ET"))
    Engine.load(Config()).audit_file(path)
    assert pdf_reader._decoded.get() is None


def test_parse_and_check_refuse_odd_files_in_one_line(oddities, monkeypatch):
    code, _, err = run("parse", oddities / "fifo.txt", "--lang", "en")
    assert code == 1 and "not a regular file (FIFO)" in err and err.count("\n") == 1
    sabotage(monkeypatch, lambda stem: {}[stem])
    shutil.copy(GOOD, oddities / "bug.txt")
    code, _, err = run("parse", oddities / "bug.txt")
    assert code == 1 and "internal error (KeyError)" in err and "Traceback" not in err
    code, out, _ = run("check", oddities / "loop-a.txt", oddities / "bug.txt", "--lang", "en")
    assert code == 1 and "symbolic link loop" in out and "internal error" in out


def test_a_doc_is_converted_inside_a_memory_bounded_worker(tmp_path):
    from documents import convert, to_docx

    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.fail("LibreOffice is required: apt-get install libreoffice-writer-nogui")
    folder = tmp_path / "in"
    folder.mkdir()
    convert(to_docx(GOOD.read_text("utf-8"), tmp_path / "report.docx"), "doc", folder)
    code, reports, _ = scan_json(folder, "-j", "1")
    assert [[f["code"] for f in findings] for findings in reports.values()] == [["GK202"]]
    assert code == 0


def test_a_docx_with_an_impossible_zip_version_is_corrupt_not_a_bug(tmp_path):
    data = bytearray(hostile.docx_bytes(docx_with_cell("")))
    at = data.find(b"PK\x01\x02")
    data[at + 6] = 194  # "version needed to extract": 19.4
    path = tmp_path / "version.docx"
    path.write_bytes(bytes(data))
    audit = Engine.load(Config()).audit_file(path)
    finding = audit.findings[0]
    assert "corrupt or unsupported .docx" in finding.message("en")
    assert "zip file version 19.4" in finding.evidence["reason"]  # the detail, for engineers
