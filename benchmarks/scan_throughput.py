"""Scan throughput with every rule, in 1 and 2 processes, beside the regex baseline.

Generates N reports (default 2,400) from reports_sample/ in every table layout, then times in
one run: the regex tokenisation baseline; ``gkaudit scan``'s audit (parse + all built-in
rules + ranking) with --jobs 1 and --jobs 2. Then measures the peak memory of the scanning
process for growing batches (each in a fresh process), which should stay flat: workers
return small summaries, not parsed reports. Usage:
    python benchmarks/scan_throughput.py [--files N] [--repeat R]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from corpus import DESCRIPTION, best_rate, make_corpus, regex_baseline

from gkaudit.config import Config
from gkaudit.engine import Engine
from gkaudit.scan import audit_paths, finalise


def scan(engine: Engine, paths: list[Path], jobs: int) -> int:
    results = audit_paths(engine, paths, jobs)
    return len(list(finalise(results, engine.config).findings))


def peak_memory(count: int) -> float:
    """Peak RSS in MB of a fresh process scanning ``count`` reports with one process."""
    command = [sys.executable, __file__, "--memory-probe", str(count)]
    return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def memory_probe(count: int) -> None:
    engine = Engine.load(Config())
    with tempfile.TemporaryDirectory() as folder:
        scan(engine, make_corpus(Path(folder), count), jobs=1)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-probe", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_probe:
        memory_probe(args.memory_probe)
        return
    engine = Engine.load(Config())
    with tempfile.TemporaryDirectory() as folder:
        paths = make_corpus(Path(folder), args.files)
        scan(engine, paths[:30], jobs=1)  # warm up: parser and rules built once
        regex_rate = best_rate(regex_baseline, paths, args.repeat)
        one = best_rate(lambda p: scan(engine, p, 1), paths, args.repeat)
        two = best_rate(lambda p: scan(engine, p, 2), paths, args.repeat)
    print(f"files: {len(paths)} ({DESCRIPTION}), rules: {len(engine.active)}")
    print(f"regex tokenisation baseline: {regex_rate:10.1f} reports/s")
    print(
        f"gkaudit scan, 1 process:     {one:10.1f} reports/s   ({one / regex_rate:.4f} of baseline)"
    )
    print(f"gkaudit scan, 2 processes:   {two:10.1f} reports/s   ({two / one:.2f}x one process)")
    for count in (500, 1000, 2000, 4000):
        print(f"peak memory, {count:5d} reports: {peak_memory(count):8.1f} MB")


if __name__ == "__main__":
    main()
