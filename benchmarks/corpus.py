"""A benchmark corpus: the five seeds (tests/data/seed_blocks) written in every table layout of
tests/layouts.py, each with ASCII and with full-width digits, plus the regex-tokenisation
baseline every benchmark is measured beside."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # layouts, documents

from layouts import LAYOUTS, render, seed_blocks  # noqa: E402

TOKEN = re.compile(r"[^\t\n|]+")
DESCRIPTION = f"{len(LAYOUTS)} layouts x 2 digit widths x 5 samples"


def make_corpus(folder: Path, count: int, layouts: tuple[str, ...] = LAYOUTS) -> list[Path]:
    variants = []
    for seed in sorted((ROOT / "reports_sample").glob("*.txt")):
        blocks = seed_blocks(seed.stem)
        for layout in layouts:
            variants += [render(blocks, layout), render(blocks, layout, full_width=True)]
    paths = []
    for index in range(count):
        path = folder / f"report-{index:05d}.txt"
        path.write_text(variants[index % len(variants)], "utf-8")
        paths.append(path)
    return paths


def through_stages(
    path: Path, parser: Any, mark: Callable[[str], None], model: Callable[[Any], object]
) -> None:
    """One file through every read + parse stage as a real run takes it, ``mark(stage)``
    called as each stage (read, layout, lex, lark, build, model) begins and ``mark("done")``
    after the last; ``model`` is what the last stage reads of the report."""
    from gkaudit.parse.build import build_report
    from gkaudit.parse.lexer import logical_lines, tokens
    from gkaudit.read.layout import text_document
    from gkaudit.read.source import read_text

    mark("read")
    text = read_text(path)
    mark("layout")
    document = text_document(text, str(path))
    mark("lex")
    lines = logical_lines(document)
    stream = tokens(lines)
    mark("lark")
    tree = parser.parse(stream)
    mark("build")
    report = build_report(tree, lines, str(path))
    mark("model")
    model(report)
    mark("done")


def stage_seconds(path: Path, parser: Any, model: Callable[[Any], object]) -> list[float]:
    """CPU seconds of each stage of ``through_stages`` for one file."""
    marks: list[float] = []
    through_stages(path, parser, lambda _stage: marks.append(time.process_time()), model)
    return [end - start for start, end in pairwise(marks)]


def best_rate(function, paths: list[Path], repeat: int) -> float:
    """Reports per second of the fastest of ``repeat`` runs of ``function(paths)``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(paths)
        best = min(best, time.perf_counter() - start)
    return len(paths) / best


def regex_baseline(paths: list[Path]) -> int:
    """Read, decode and tokenise every file with one regular expression."""
    return sum(len(TOKEN.findall(path.read_bytes().decode("utf-8"))) for path in paths)
