"""PDF scan throughput and memory at a province's scale, in 1 and 2 processes, through each PDF
library, beside the regex baseline of the text of the same reports.

The corpus: ``--distinct`` reports (default 300) made from the five samples (ASCII and
full-width digits), each unit renamed as benchmarks/scan_throughput.py renames it (a numbered
county prefix), written as .docx (tests/documents.py) and made into PDFs by LibreOffice, many
files per soffice call. They are cached in ~/.cache/gkaudit-bench/pdf-<hash> (the hash of the
texts and of the document builder), so only the first run pays the conversion. A corpus of N
reports holds the distinct ones and, for the rest of N, hard links (copies where links fail)
to them under other names, in other county folders: the copies' units repeat, so the
cross-document (batch) rules are off by default (``--batch`` turns them on, and then the
copying rules fire on the copies). The regex baseline tokenises the text version of each of
the N reports (a regex cannot read a PDF), in this process, in CPU time.

Each size is scanned, for each library (``--readers``) and each ``--jobs``, by a fresh process
running what ``gkaudit scan -o scan.json`` runs (scan_throughput.probe: audit in worker
processes, ranking, the JSON written). "pdfplumber" is the reader before pypdfium2: the probe
replaces the PDF reader's page reading (gkaudit.read.readers.pdf._read_pages) by its pdfplumber
path before the workers fork; it runs only at sizes up to ``--plumber-max`` (default 1,000:
it is about 7x slower). Per run: reports/s and pages/s (wall), reports per CPU-second and the
ratio to the regex baseline, the parent's and the workers' peak RSS, CPU and wall per stage.
Then, per library, a per-stage profile of one process over a sample of the distinct reports
(read, parse, rules, summary; pages/s of the read stage alone), and the read stage again with
the libraries taking turns file by file on the same reports (``--rounds`` rounds, the least
total of each): the ratio between libraries under the same machine load. Before any timing, every
distinct PDF is checked against its text version: tables (every cell), what was read, unit,
year, and the finding codes, through each library.

    python benchmarks/pdf_scan.py [--sizes 1000 10000 50000] [--jobs 1 2]
        [--readers pypdfium2 pdfplumber] [--plumber-max 1000] [--distinct 300] [--batch]
        [--no-compare] [--rounds 3]
``--sizes`` with no size runs only the check against the text and the per-stage profiles.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

import scan_throughput
from corpus import ROOT, regex_baseline
from pdf_readers import page_count
from scan_throughput import PLACES, county, engine_for, stage_profile

from documents import convert_all, soffice, to_docx
from layouts import render, seed_blocks

READERS = ("pypdfium2", "pdfplumber")
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gkaudit-bench"
PDF_SUFFIXES = {".pdf"}
SOFFICE_BATCH = 50  # documents per LibreOffice call
PROFILE_SAMPLE = {"pypdfium2": 100, "pdfplumber": 30}  # reports in the per-stage profile


# --- the corpus -------------------------------------------------------------------------------


def distinct_texts(count: int) -> dict[str, str]:
    """``count`` reports by file stem (county-NNN/name): the samples with ASCII and with
    full-width digits in turn, in the tab layout (its tables round-trip into a .docx), each
    unit renamed per report."""
    variants = []
    for seed in sorted((ROOT / "reports_sample").glob("*.txt")):
        blocks = seed_blocks(seed.stem)
        variants += [render(blocks, "tab"), render(blocks, "tab", full_width=True)]
    texts = {}
    for index in range(count):
        text = variants[index % len(variants)]
        for place in PLACES:
            text = text.replace(place, county(index) + place)
        texts[f"county-{index // 500:03d}/{county(index)}-{index:06d}"] = text
    return texts


def corpus_key(texts: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for stem, text in texts.items():
        digest.update(f"{stem}\0{text}\0".encode())
    digest.update((ROOT / "tests" / "documents.py").read_bytes())
    return digest.hexdigest()[:16]


def distinct_corpus(count: int) -> tuple[Path, dict[str, int]]:
    """The cached folder of the distinct reports (text/<stem>.txt, pdf/<stem>.pdf) and each
    stem's page count; built on first use (written aside, then renamed into place)."""
    texts = distinct_texts(count)
    folder = CACHE / f"pdf-{corpus_key(texts)}"
    manifest = folder / "pages.json"
    if manifest.exists():
        return folder, json.loads(manifest.read_text("utf-8"))
    if soffice() is None:
        sys.exit("LibreOffice (soffice) is needed to make the PDF corpus")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as building:
        staging = Path(building) / "corpus"
        pages = build_corpus(staging, texts)
        (staging / "pages.json").write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
        staging.rename(folder)
    return folder, pages


def build_corpus(folder: Path, texts: dict[str, str]) -> dict[str, int]:
    started = time.perf_counter()
    work = folder / "docx"
    for stem, text in texts.items():
        for kind in ("text", "docx", "pdf"):
            (folder / kind / stem).parent.mkdir(parents=True, exist_ok=True)
        (folder / "text" / f"{stem}.txt").write_text(text, "utf-8")
        to_docx(text, work / f"{stem}.docx")
    stems = list(texts)
    for start in range(0, len(stems), SOFFICE_BATCH):
        batch = [work / f"{stem}.docx" for stem in stems[start : start + SOFFICE_BATCH]]
        try:
            convert_all(batch, batch[0].parent, timeout=1800, profile=work / "lo-profile")
        except AssertionError as error:
            sys.exit(str(error))
        print(f"  {min(start + SOFFICE_BATCH, len(stems))}/{len(stems)} PDFs made", flush=True)
    pages = {}
    for stem in stems:
        made = (work / stem).with_suffix(".pdf")
        made.rename(folder / "pdf" / f"{stem}.pdf")
        pages[stem] = page_count(folder / "pdf" / f"{stem}.pdf")
    for docx in work.rglob("*.docx"):
        docx.unlink()
    elapsed = time.perf_counter() - started
    print(f"  {len(stems)} PDFs made by LibreOffice in {elapsed:.0f} s (cached for next runs)")
    return pages


def link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        target.write_bytes(source.read_bytes())


def sized_corpus(
    distinct: Path, stems: list[str], root: Path, size: int
) -> tuple[Path, list[Path], list[str]]:
    """``size`` reports under root/pdf (the distinct ones, then copies under other names in
    other county folders), the text version of each under root/text, and each one's stem."""
    texts, sources = [], []
    for index in range(size):
        stem = stems[index % len(stems)]
        name = (
            stem if index < len(stems) else f"county-{index // 500:03d}/{county(index)}-{index:06d}"
        )
        link_or_copy(distinct / "pdf" / f"{stem}.pdf", root / "pdf" / f"{name}.pdf")
        text = root / "text" / f"{name}.txt"
        link_or_copy(distinct / "text" / f"{stem}.txt", text)
        texts.append(text)
        sources.append(stem)
    return root / "pdf", texts, sources


# --- the reader under test ----------------------------------------------------------------


@contextmanager
def reading_with(library: str) -> Iterator[None]:
    """PDF pages read through ``library``: pypdfium2 is the reader's own choice; pdfplumber
    replaces its page reading by the pdfplumber path (the reader before pypdfium2)."""
    from gkaudit.read.readers import pdf

    original = pdf._read_pages
    if library == "pdfplumber":
        pdf._read_pages = pdf._read_pages_with_pdfplumber
    try:
        yield
    finally:
        pdf._read_pages = original


def probe(folder: str, jobs: int, no_batch: bool, library: str) -> None:
    """scan_throughput's probe (this fresh process, workers forked from it) through ``library``;
    its folder listing takes the PDFs, as the command line's does (it passes its readers'
    suffixes; the probe lists text reports)."""
    from gkaudit.audit import scan

    listing = scan.collect_paths

    def pdfs(patterns: list[str], suffixes: set[str] = PDF_SUFFIXES) -> list[Path]:
        return listing(patterns, suffixes)

    scan.collect_paths = pdfs
    printed = io.StringIO()
    with reading_with(library), redirect_stdout(printed):
        scan_throughput.probe(folder, jobs, no_batch)
    run = json.loads(printed.getvalue().splitlines()[-1])
    run["parent_rss"] = own_peak_rss() or run["parent_rss"]
    print(json.dumps(run))


def own_peak_rss() -> float | None:
    """This process's peak RSS in MB (VmHWM). getrusage's ru_maxrss is not: Linux carries the
    peak of the process that started this one over the exec (a 300 MB benchmark process gives
    every probe it starts a 300 MB ru_maxrss)."""
    try:
        status = Path("/proc/self/status").read_text("ascii")
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def measure(folder: Path, jobs: int, no_batch: bool, library: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--probe", str(folder), "--probe-jobs", str(jobs)]
    command += ["--probe-reader", library, *(["--no-batch"] if no_batch else [])]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return {**json.loads(output.splitlines()[-1]), "load": os.getloadavg()[0]}


# --- PDF against text -----------------------------------------------------------------------


def comparable(audit: Any) -> dict[str, Any]:
    """What must be the same whatever the format: every table cell, what was read, unit,
    year, and the finding codes."""
    codes = sorted({finding.code for finding in audit.findings})
    if audit.report is None:
        return {"unread": True, "codes": codes}
    whole = audit.report.to_dict()
    kept = {key: whole[key] for key in ("unit", "year", "template", "tables", "read")}
    return {**kept, "codes": codes}


def differences(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    return [key for key in sorted(set(left) | set(right)) if left.get(key) != right.get(key)]


def compare_with_text(distinct: Path, stems: list[str], library: str, no_batch: bool) -> int:
    """Each distinct PDF against its text version; prints the files that differ and how."""
    engine = engine_for(no_batch)
    different = 0
    with reading_with(library):
        for stem in stems:
            pdf = comparable(engine.audit_file(distinct / "pdf" / f"{stem}.pdf"))
            text = comparable(engine.audit_file(distinct / "text" / f"{stem}.txt"))
            if pdf != text:
                different += 1
                detail = {key: (text.get(key), pdf.get(key)) for key in differences(text, pdf)}
                print(f"  DIFFERENT through {library}: {stem}.pdf (text, pdf): {detail}")
    print(f"  {library}: {len(stems) - different}/{len(stems)} PDFs read the same as their text "
          "(every cell, read status, unit, year, finding codes)")  # fmt: skip
    return different


# --- the run ------------------------------------------------------------------------------


def report_run(size: int, library: str, jobs: int, run: dict[str, Any], pages: int,
               regex: float) -> None:  # fmt: skip
    rate = size / run["seconds"]
    cpu = size / (run["parent_cpu"] + run["worker_cpu"])
    print(
        f"{size:6d} reports, {library:10s} --jobs {jobs}: {rate:6.1f} reports/s,"
        f" {pages / run['seconds']:6.0f} pages/s wall; {cpu:.1f} reports per"
        f" CPU-second (1/{regex / cpu:.0f} of the regex baseline, {regex:.0f}/s)\n"
        f"    parent peak RSS {run['parent_rss']:6.1f} MB, worker peak RSS"
        f" {run['worker_rss']:6.1f} MB; CPU: workers {run['worker_cpu']:.1f} s,"
        f" parent {run['parent_cpu']:.1f} s (serial tail {run['tail_cpu']:.2f} s);"
        f" wall: audit {run['audit']:.1f} s, finalise {run['finalise']:.2f} s,"
        f" JSON {run['json']:.2f} s; load average {run['load']:.1f}",
        flush=True,
    )


def profile(distinct: Path, stems: list[str], pages: dict[str, int], library: str,
            no_batch: bool) -> None:  # fmt: skip
    sample = stems[: PROFILE_SAMPLE[library]]
    with reading_with(library):
        stages = stage_profile([distinct / "pdf" / f"{stem}.pdf" for stem in sample], no_batch)
    per_page = stages["read"] * len(sample) / sum(pages[stem] for stem in sample)
    print(f"per-stage profile, {library}, one process, {len(sample)} reports, ms per report: "
          + ", ".join(f"{stage} {ms:.2f}" for stage, ms in stages.items())
          + f"; read {per_page:.2f} ms per page = {1000 / per_page:.0f} pages per CPU-second",
          flush=True)  # fmt: skip


def read_in_turns(distinct: Path, stems: list[str], pages: dict[str, int],
                  libraries: list[str], no_batch: bool, rounds: int) -> None:  # fmt: skip
    """The read stage (what stage_profile times as read) per page through each library on the
    same reports, the libraries taking turns file by file, ``rounds`` times: the load of a
    shared machine falls on them alike, where the per-stage profiles, one library after the
    other, can see different loads. A library's figure is its least total over the rounds."""
    from gkaudit.read.source import read_document

    sample = stems[: min(PROFILE_SAMPLE[library] for library in libraries)]
    engine = engine_for(no_batch)
    paths = [distinct / "pdf" / f"{stem}.pdf" for stem in sample]
    totals: dict[str, list[float]] = {library: [] for library in libraries}
    for _ in range(rounds):
        spent = dict.fromkeys(libraries, 0.0)
        for path in paths:
            for library in libraries:
                with reading_with(library):
                    started = time.process_time()
                    read_document(path, engine.readers, engine.max_bytes)
                    spent[library] += time.process_time() - started
        for library in libraries:
            totals[library].append(spent[library])
    page_total = sum(pages[stem] for stem in sample)
    per_page = {library: min(seconds) * 1000 / page_total for library, seconds in totals.items()}
    figures = ", ".join(f"{library} {ms:.2f}" for library, ms in per_page.items())
    print(
        f"read stage in turns, {len(sample)} reports ({page_total} pages), least of {rounds}"
        f" rounds, CPU ms per page: {figures}",
        flush=True,
    )
    first, *others = libraries
    for other in others:
        print(f"    {first} {per_page[other] / per_page[first]:.1f}x faster than {other}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--readers", nargs="+", choices=READERS, default=list(READERS))
    parser.add_argument("--plumber-max", type=int, default=1000,
                        help="largest size scanned through pdfplumber")  # fmt: skip
    parser.add_argument("--distinct", type=int, default=300)
    parser.add_argument("--batch", action="store_true", help="run the cross-document rules too")
    parser.add_argument("--no-compare", action="store_true", help="skip the PDF/text check")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of the read stage with the libraries in turns")  # fmt: skip
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--probe-jobs", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--probe-reader", choices=READERS, help=argparse.SUPPRESS)
    parser.add_argument("--no-batch", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe, args.probe_jobs, args.no_batch, args.probe_reader)
        return
    no_batch = not args.batch
    distinct, pages = distinct_corpus(args.distinct)
    stems = list(pages)
    print(f"corpus: {len(stems)} distinct PDFs ({sum(pages.values())} pages, LibreOffice from "
          f"5 samples x 2 digit widths, units renamed) in {distinct}; beyond them, copies under "
          f"other names; batch rules {'on' if args.batch else 'off'}")  # fmt: skip
    if not args.no_compare:
        for library in args.readers:
            compare_with_text(distinct, stems, library, no_batch)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as root:
            folder, texts, sources = sized_corpus(distinct, stems, Path(root), size)
            total_pages = sum(pages[stem] for stem in sources)
            copies = max(0, size - len(stems))
            print(f"{size} reports, {total_pages} pages ({copies} of them copies)", flush=True)
            started = time.process_time()
            regex_baseline(texts)
            regex = size / (time.process_time() - started)
            for library in args.readers:
                if library == "pdfplumber" and size > args.plumber_max:
                    print(f"  (pdfplumber not run above {args.plumber_max} reports)")
                    continue
                seconds = {}
                for jobs in args.jobs:
                    run = measure(folder, jobs, no_batch, library)
                    report_run(size, library, jobs, run, total_pages, regex)
                    seconds[jobs] = run["seconds"]
                if 1 in seconds and len(seconds) > 1:
                    print("    wall speed-up over one process: " + ", ".join(
                        f"--jobs {jobs} {seconds[1] / s:.2f}x" for jobs, s in seconds.items()
                        if jobs != 1))  # fmt: skip
    for library in args.readers:
        profile(distinct, stems, pages, library, no_batch)
    read_in_turns(distinct, stems, pages, args.readers, no_batch, args.rounds)


if __name__ == "__main__":
    main()
