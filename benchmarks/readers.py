"""Reader throughput per format: reports read and parsed per second.

Builds, from the five samples: plain text, .docx (python-docx), saved web pages, and — when
LibreOffice is installed — PDFs (conversion time not counted), then times read + parse of
each format over N copies (default 200 per format), beside the regex baseline on the text
copies. Also compares the two PDF libraries on the real huaian-city-2024.pdf: seconds and
the Table B rows each one's output yields.
    python benchmarks/readers.py [--copies N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from corpus import ROOT, regex_baseline

from gkaudit import parse_text
from gkaudit.plugins import collect_readers, plugin_manager
from gkaudit.read.source import read_document

from documents import convert, soffice, to_docx, to_html
from layouts import seed_blocks

REALWORLD_PDF = ROOT / "tests" / "data" / "realworld" / "huaian-city-2024.pdf"


def build(folder: Path, copies: int) -> dict[str, list[Path]]:
    samples = sorted((ROOT / "reports_sample").glob("*.txt"))
    made: dict[str, list[Path]] = {"text": [], "docx": [], "html": [], "pdf": []}
    for seed in samples:
        blocks = seed_blocks(seed.stem)
        made["text"].append(seed)
        made["docx"].append(to_docx(blocks, folder / f"{seed.stem}.docx"))
        made["html"].append(to_html(blocks, folder / f"{seed.stem}.html"))
        if soffice():
            made["pdf"].append(convert(made["docx"][-1], "pdf", folder))
    corpus: dict[str, list[Path]] = {}
    for kind, files in made.items():
        corpus[kind] = []
        for index in range(copies if files else 0):
            source = files[index % len(files)]
            target = folder / kind / f"{index:04d}{source.suffix}"
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(source, target)
            corpus[kind].append(target)
    return corpus


def rate(paths: list[Path], readers) -> float:
    start = time.perf_counter()
    for path in paths:
        parse_text(read_document(path, readers))
    return len(paths) / (time.perf_counter() - start)


def pdf_libraries() -> None:
    import pdfplumber
    import pypdfium2

    from gkaudit.read.readers.pdf import PdfReader

    results = []
    start = time.perf_counter()
    text = PdfReader().read(REALWORLD_PDF, 10**8)
    results.append(("pdfplumber, cells (gkaudit)", time.perf_counter() - start, text))
    start = time.perf_counter()
    with pdfplumber.open(str(REALWORLD_PDF)) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    results.append(("pdfplumber, text only", time.perf_counter() - start, text))
    start = time.perf_counter()
    document = pypdfium2.PdfDocument(str(REALWORLD_PDF))
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    results.append(("pypdfium2, text only", time.perf_counter() - start, text))
    for name, seconds, text in results:
        rows = len(parse_text(text).tables.requests.rows)
        print(f"  {name:30s} {seconds:6.3f} s   Table B rows read: {rows}/25")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200)
    args = parser.parse_args()
    readers = collect_readers(plugin_manager())
    with tempfile.TemporaryDirectory() as folder:
        corpus = build(Path(folder), args.copies)
        start = time.perf_counter()
        regex_baseline(corpus["text"])
        baseline = len(corpus["text"]) / (time.perf_counter() - start)
        print(f"regex tokenisation baseline (text): {baseline:10.1f} reports/s")
        for kind, paths in corpus.items():
            if not paths:
                print(f"{kind:5s}: skipped (LibreOffice is not installed to make the PDFs)")
                continue
            print(f"{kind:5s}: {rate(paths, readers):10.1f} reports/s over {len(paths)} files")
    print(f"PDF libraries on {REALWORLD_PDF.name}:")
    pdf_libraries()


if __name__ == "__main__":
    main()
