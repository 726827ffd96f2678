"""Parse throughput per layout, in CPU time, beside a plain regex tokenisation of the same files.

Generates N report files (default 2,400) from reports_sample/ spread over every table layout
of tests/layouts.py (ten; ``--layouts tab,pipe,stacked_tab`` for a subset, e.g. the three the
first parser read), half of them with full-width digits. For each layout, in one process and
the same run, it measures CPU time (``time.process_time``, the best of ``--repeat`` runs):

* baseline: read + decode + ``re.findall`` of cell tokens, per file;
* gkaudit: ``parse_file`` per file (read, decode, layout, tokens, grammar, model);

and prints reports per CPU-second for both and their ratio. Then, unless ``--total-only``,
the CPU time of each stage per report (the best of the runs, file by file): read (file and
decode), layout (text -> blocks), lex (blocks -> logical lines -> tokens), lark (LALR parse),
build (tree -> model, tables included), and facts (every fact of the prose that rules compute
on first use; not part of ``parse_file``). ``--total-only`` needs nothing but
``gkaudit.parse_file``, so that an older gkaudit installed in another environment runs the same
benchmark over the same files. Usage:
    python benchmarks/parse_throughput.py [--files N] [--repeat R] [--layouts a,b] [--total-only]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from corpus import LAYOUTS, make_corpus, regex_baseline, stage_seconds

from gkaudit import Report, parse_file

STAGES = ("read", "layout", "lex", "lark", "build", "facts")


FAILED: set[Path] = set()  # files this gkaudit could not parse (an older one, some layouts)


def gkaudit(paths: list[Path]) -> int:
    cells = 0
    for path in paths:
        try:
            report = parse_file(path)
        except Exception:  # an older gkaudit run with --total-only may refuse a layout
            FAILED.add(path)
            continue
        cells += sum(len(row.cells) for t in report.tables.present() for row in t.rows.values())
    return cells


def best_cpu(function: Callable[[list[Path]], object], paths: list[Path], repeat: int) -> float:
    """The least CPU time of ``repeat`` runs of ``function(paths)``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        function(paths)
        best = min(best, time.process_time() - start)
    return best


def stage_times(paths: list[Path], repeat: int) -> list[float]:
    """CPU seconds per stage, summed over the files (each file's best of ``repeat`` runs)."""
    from gkaudit.parse.parser import report_parser

    parser = report_parser()
    totals = [0.0] * len(STAGES)
    for path in paths:
        best = [float("inf")] * len(STAGES)
        for _ in range(repeat):
            spent = stage_seconds(path, parser, _all_facts)
            best = [min(a, b) for a, b in zip(best, spent, strict=True)]
        totals = [a + b for a, b in zip(totals, best, strict=True)]
    return totals


def _all_facts(report: Report) -> None:
    """Every fact of the report's prose (each is computed on first use by the rules)."""
    facts = report.facts
    for name, member in vars(type(facts)).items():
        if isinstance(member, cached_property):
            getattr(facts, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--layouts", help="comma-separated layouts of tests/layouts.py")
    parser.add_argument("--total-only", action="store_true", help="no per-stage figures")
    args = parser.parse_args()
    layouts = tuple(args.layouts.split(",")) if args.layouts else LAYOUTS
    per_layout = max(1, args.files // len(layouts))
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        corpora = {}
        for layout in layouts:
            (Path(folder) / layout).mkdir()
            corpora[layout] = make_corpus(Path(folder) / layout, per_layout, (layout,))
        gkaudit(corpora[layouts[0]][:30])  # build the parser once, as any real run does
        for layout, paths in corpora.items():
            regex = best_cpu(regex_baseline, paths, args.repeat)
            parse = best_cpu(gkaudit, paths, args.repeat)
            stages = None if args.total_only else stage_times(paths, args.repeat)
            rows.append((layout, len(paths), regex, parse, stages))
    _print(rows)


def _print(rows: list[tuple[str, int, float, float, list[float] | None]]) -> None:
    files = sum(row[1] for row in rows)
    print(f"files: {files} ({len(rows)} layouts x 5 samples x 2 digit widths); CPU time")
    head = f"{'layout':20s} {'regex/s':>9s} {'parse/s':>8s} {'ratio':>7s}"
    if rows[0][4] is not None:
        head += "   ms per report: " + " ".join(f"{name:>6s}" for name in STAGES)
    print(head)
    total_regex = total_parse = 0.0
    total_stages = [0.0] * len(STAGES)
    for layout, count, regex, parse, stages in rows:
        total_regex, total_parse = total_regex + regex, total_parse + parse
        line = f"{layout:20s} {count / regex:9.0f} {count / parse:8.1f} {regex / parse:7.4f}"
        if stages is not None:
            total_stages = [a + b for a, b in zip(total_stages, stages, strict=True)]
            line += "                  " + " ".join(f"{s / count * 1e3:6.3f}" for s in stages)
        print(line)
    line = f"{'all':20s} {files / total_regex:9.0f} {files / total_parse:8.1f}"
    line += f" {total_regex / total_parse:7.4f}"
    if rows[0][4] is not None:
        line += "                  " + " ".join(f"{s / files * 1e3:6.3f}" for s in total_stages)
    print(line)
    print("ratio = parse reports/s / regex reports/s, both in this run")
    if FAILED:
        print(f"files that did not parse: {len(FAILED)}")


if __name__ == "__main__":
    main()
