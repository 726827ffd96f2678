"""PDF pages read per second, per library, in the same run: gkaudit's reader through pdfplumber
(before) and through pypdfium2 (after), with each library's plain text extraction as reference.

PDFs: the five samples made into PDFs by LibreOffice (conversion not timed), LibreOffice PDFs
shaped like the hard cases (tests/test_pdf_reader.py: a long table over pages, merged cells,
wrapped header cells) and the real tests/data/realworld/huaian-city-2024.pdf. Each file is read
by every path in turn, ``--repeat`` rounds (paths interleaved, so machine load hits them alike);
a path's time for a file is its median round, in CPU time of this process (all paths are
single-threaded; CPU time is steadier than wall time on a shared machine). The two readers'
items are compared on every file: the ratio only counts when the cells are equal.
    python benchmarks/pdf_readers.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from corpus import ROOT

from documents import convert_all, soffice, to_docx

SAMPLES = sorted((ROOT / "reports_sample").glob("*.txt"))
REALWORLD_PDF = ROOT / "tests" / "data" / "realworld" / "huaian-city-2024.pdf"


def make_pdfs(folder: Path) -> list[Path]:
    from test_pdf_reader import SHAPES

    if soffice() is None:
        print("LibreOffice is not installed: only the real-world PDF is measured")
        return [REALWORLD_PDF]
    sources = [to_docx(seed.read_text("utf-8"), folder / f"{seed.stem}.docx") for seed in SAMPLES]
    sources += [build(folder / f"{name}.docx") for name, build in SHAPES.items()]
    return [*convert_all(sources, folder), REALWORLD_PDF]


def reader_with_pdfplumber(path: Path) -> object:
    from gkaudit.read.readers.pdf import _read_pages_with_pdfplumber

    return _read_pages_with_pdfplumber(path)


def reader_with_pdfium(path: Path) -> object:
    from gkaudit.read.readers.pdfium import read_pages

    return read_pages(path, 10**6)


def text_with_pdfplumber(path: Path) -> object:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.extract_text() for page in pdf.pages]


def text_with_pdfium(path: Path) -> object:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


PATHS: dict[str, Callable[[Path], object]] = {
    "gkaudit reader, pdfplumber (before)": reader_with_pdfplumber,
    "gkaudit reader, pypdfium2 (after)": reader_with_pdfium,
    "pdfplumber, plain text only": text_with_pdfplumber,
    "pypdfium2, plain text only": text_with_pdfium,
}


def page_count(path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def same_cells(path: Path) -> bool:
    def plain(pages: object) -> list:
        return [[(i.text, i.edge, i.page, i.cells) for i in items] for items in pages]  # type: ignore[attr-defined]

    return plain(reader_with_pdfplumber(path)) == plain(reader_with_pdfium(path))


def measure(pdfs: list[Path], repeat: int) -> dict[str, dict[Path, float]]:
    """Median seconds per file and path over interleaved rounds."""
    for path in pdfs:  # warm imports and caches
        for read in PATHS.values():
            read(path)
    rounds: dict[str, dict[Path, list[float]]] = {name: {p: [] for p in pdfs} for name in PATHS}
    for _ in range(repeat):
        for path in pdfs:
            for name, read in PATHS.items():
                start = time.process_time()
                read(path)
                rounds[name][path].append(time.process_time() - start)
    return {
        name: {path: statistics.median(times) for path, times in by_file.items()}
        for name, by_file in rounds.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pdfs = make_pdfs(Path(folder))
        pages = {path: page_count(path) for path in pdfs}
        equal = {path: same_cells(path) for path in pdfs}
        seconds = measure(pdfs, args.repeat)
    before, after = list(PATHS)[:2]
    print(f"{len(pdfs)} PDFs, {sum(pages.values())} pages, median of {args.repeat} rounds")
    header = ("file", "pages", "before ms/p", "after ms/p", "ratio")
    print("{:28s} {:>5s} {:>11s} {:>10s} {:>6s} cells".format(*header))
    for path in pdfs:
        b, a = (seconds[name][path] / pages[path] * 1000 for name in (before, after))
        same = "equal" if equal[path] else "DIFFERENT"
        print(f"{path.stem[:28]:28s} {pages[path]:5d} {b:11.2f} {a:10.2f} {b / a:5.1f}x {same}")
    total_pages = sum(pages.values())
    rates = {name: total_pages / sum(by_file.values()) for name, by_file in seconds.items()}
    print("pages/s over all files:")
    for name, rate in rates.items():
        print(f"  {name:38s} {rate:8.1f} pages/s  ({rate / rates[before]:5.2f}x the reader before)")
    print(f"reader after / before: {rates[after] / rates[before]:.1f}x per page; cells equal on "
          f"{sum(equal.values())}/{len(pdfs)} files")  # fmt: skip


if __name__ == "__main__":
    main()
