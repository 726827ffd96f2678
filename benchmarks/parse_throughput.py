"""Parse throughput: gkaudit parse vs. a plain regex tokenisation of the same files.

Generates N report files (default 2,400) from reports_sample/ in every table layout of
tests/layouts.py (ten; ``--layouts tab,pipe,stacked_tab`` for a subset, e.g. the three the
first parser read), half of them with full-width digits, then times, in one process and the
same run:

* baseline: read + decode + ``re.findall`` of cell tokens, per file;
* gkaudit: ``parse_file`` per file (read, decode, normalise, grammar, model).

Prints reports per second for both and their ratio. Usage:
    python benchmarks/parse_throughput.py [--files N] [--repeat R]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from corpus import DESCRIPTION, LAYOUTS, best_rate, make_corpus, regex_baseline

from gkaudit import parse_file


def gkaudit(paths: list[Path]) -> int:
    cells = 0
    for path in paths:
        report = parse_file(path)
        cells += sum(len(row.cells) for t in report.tables.present() for row in t.rows.values())
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--layouts", help="comma-separated layouts of tests/layouts.py")
    args = parser.parse_args()
    layouts = tuple(args.layouts.split(",")) if args.layouts else LAYOUTS
    with tempfile.TemporaryDirectory() as folder:
        paths = make_corpus(Path(folder), args.files, layouts)
        gkaudit(paths[:30])  # build the parser once, as any real run does
        regex_rate = best_rate(regex_baseline, paths, args.repeat)
        parse_rate = best_rate(gkaudit, paths, args.repeat)
    print(f"files: {len(paths)} ({DESCRIPTION if not args.layouts else ', '.join(layouts)})")
    print(f"regex tokenisation baseline: {regex_rate:10.1f} reports/s")
    print(f"gkaudit parse:               {parse_rate:10.1f} reports/s")
    print(f"ratio parse / baseline:      {parse_rate / regex_rate:10.4f}")


if __name__ == "__main__":
    main()
