"""Scan throughput and memory at a province's scale, in 1 and 2 processes, beside the regex
baseline of the same run.

For each corpus size (default 1,000 and 10,000; 50,000 takes minutes) it generates text
reports from reports_sample/ in every table layout of tests/layouts.py, ASCII and full-width
digits, each unit renamed (a numbered county prefix) so no two reports share a unit; then, in
one run: the regex tokenisation baseline over the same files, and for each --jobs a fresh
process running what ``gkaudit scan -o scan.json`` runs (audit in worker processes, ranking,
the JSON output written). Per run it prints reports/s, the ratio to the baseline, the ratio of
two processes to one, the parent's and the workers' peak RSS (getrusage RUSAGE_SELF and
RUSAGE_CHILDREN) and the parent's time per stage (audit, batch rules included; finalise; JSON).
Then a per-stage profile of one process over a sample (read, parse, rules, the digest the batch
rules need, summary), and the machine's own ceiling for two processes: the same audit of the sample
by one process alone, then by two copies side by side (no pool, nothing shared); two cores that
each slow down when both work (shared caches, memory, the host's other guests) bound any
``--jobs 2`` below 2x, and this measures that bound in the same run.

``--no-batch`` leaves the cross-document (batch) rules out (benchmarks/crossdoc.py measures them
with an archive). With them, the parent's CPU is split: during the audit (merging the workers'
results and digests into the spill files) and after it (the batch rules: with --jobs > 1 spread
over forked processes, whose CPU is not the parent's, so the batch stage's wall time is given
too). Usage:
    python benchmarks/scan_throughput.py [--sizes 1000 10000 50000] [--jobs 1 2] [--no-batch]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

from corpus import DESCRIPTION, ROOT, regex_baseline

from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine

from layouts import LAYOUTS, render, seed_blocks

PLACES = ("卞路口乡", "策勒乡", "大峪镇", "史庄镇", "瓦窑沟乡")  # the samples' units
NUMERALS = "零一二三四五六七八九"


def county(index: int) -> str:
    """A county name of its own for each report: 一二三县 for 123."""
    return "".join(NUMERALS[int(digit)] for digit in str(index)) + "县"


def make_corpus(folder: Path, count: int) -> list[Path]:
    """``count`` reports in folders of 500, each seed in every layout and digit width, the
    unit renamed per report."""
    variants = []
    for seed in sorted((ROOT / "reports_sample").glob("*.txt")):
        blocks = seed_blocks(seed.stem)
        for layout in LAYOUTS:
            variants += [render(blocks, layout), render(blocks, layout, full_width=True)]
    paths = []
    for index in range(count):
        text = variants[index % len(variants)]
        for place in PLACES:
            text = text.replace(place, county(index) + place)
        path = folder / f"county-{index // 500:03d}" / f"{county(index)}-{index:06d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, "utf-8")
        paths.append(path)
    return paths


def engine_for(no_batch: bool) -> Engine:
    engine = Engine.load(Config())
    if no_batch:
        engine = Engine.load(Config(ignore=list(engine.batch_rules)))
    return engine


def probe(folder: str, jobs: int, no_batch: bool) -> None:
    """One scan as the command line runs it, in this fresh process; prints its figures."""
    from gkaudit.audit.scan import audit_paths, collect_paths, finalise, write_atomically
    from gkaudit.outputs import render as outputs

    engine = engine_for(no_batch)
    paths = collect_paths([folder])
    cpu, start = time.process_time(), time.perf_counter()
    try:
        results = audit_paths(engine, paths, jobs, excerpts=False)
    except TypeError:  # before the scan streamed (374e954): excerpts always kept
        results = audit_paths(engine, paths, jobs)
    audited, audit_cpu = time.perf_counter(), time.process_time()
    scan = finalise(results, engine.config)
    ranked = time.perf_counter()
    target = Path(folder).parent / "scan.json"
    if hasattr(outputs, "stream_json"):
        write_atomically(target, outputs.stream_json(scan))
    else:  # before: the whole JSON rendered in memory
        write_atomically(target, outputs.render_json(scan))
    done = time.perf_counter()
    parent = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "reports": len(paths), "seconds": done - start, "audit": audited - start,
        "finalise": ranked - audited, "json": done - ranked,
        "parent_cpu": time.process_time() - cpu, "tail_cpu": time.process_time() - audit_cpu,
        "batch_cpu": getattr(results, "batch_cpu", float("nan")),
        "batch_wall": getattr(results, "batch_wall", float("nan")),
        "worker_cpu": children.ru_utime + children.ru_stime,
        "parent_rss": parent.ru_maxrss / 1024, "worker_rss": children.ru_maxrss / 1024,
    }))  # fmt: skip


def measure(folder: Path, jobs: int, no_batch: bool) -> dict:
    command = [sys.executable, __file__, "--probe", str(folder), "--probe-jobs", str(jobs)]
    command += ["--no-batch"] if no_batch else []
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.splitlines()[-1])


def stage_profile(paths: list[Path], no_batch: bool) -> dict[str, float]:
    """Milliseconds per report in each stage of one process's audit (no worker processes)."""
    from gkaudit.audit import scan
    from gkaudit.parse.parser import parse_document
    from gkaudit.read.source import read_document

    def summary(audit):
        if hasattr(scan, "pack"):
            return scan.pack(scan.settle(scan.summarise(audit, False), engine.config))
        return scan.summarise(audit)

    def digest(audit):
        if not engine.batch_rules:
            return None
        from gkaudit.check.digest import pack_digest

        return pack_digest(engine.batch_digest(audit), True)

    engine = engine_for(no_batch)
    stages = dict.fromkeys(("read", "parse", "rules", "digest", "summary"), 0.0)
    clock = time.process_time
    for path in paths[:20]:  # warm-up: the libraries a stage loads on first use, the grammar
        digest(engine.audit_file(path))
    began = time.perf_counter()
    for path in paths:
        marks = [clock()]
        document = read_document(path, engine.readers, engine.max_bytes)
        marks.append(clock())
        report = parse_document(document, str(path))
        marks.append(clock())
        audit = engine.audit_report(report)
        marks.append(clock())
        digest(audit)
        marks.append(clock())
        summary(audit)
        marks.append(clock())
        for stage, (start, end) in zip(stages, pairwise(marks), strict=True):
            stages[stage] += end - start
    stages["wall"] = time.perf_counter() - began
    return {stage: seconds * 1000 / len(paths) for stage, seconds in stages.items()}


def side_by_side(folder: Path, count: int, no_batch: bool) -> float:
    """The machine's ceiling for two processes: 2 x (one process's wall time for the audit of
    ``count`` reports) / (the wall time of two processes doing the same, side by side)."""
    command = [sys.executable, __file__, "--probe-stages", str(folder), "--probe-count", str(count)]
    command += ["--no-batch"] if no_batch else []

    def together(copies: int) -> float:
        """Wall ms per report of each copy's audit loop (start-up excluded), the slowest."""
        running = [subprocess.Popen(command, stdout=subprocess.PIPE) for _ in range(copies)]
        outputs = [process.communicate()[0] for process in running]
        if any(process.returncode for process in running):
            raise RuntimeError("a side-by-side probe failed")
        return max(json.loads(output)["wall"] for output in outputs)

    alone = min(together(1) for _ in range(2))
    pair = min(together(2) for _ in range(2))
    return 2 * alone / pair


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-batch", action="store_true")
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--probe-jobs", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--probe-stages", help=argparse.SUPPRESS)
    parser.add_argument("--probe-count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe, args.probe_jobs, args.no_batch)
        return
    if args.probe_stages:
        paths = sorted(Path(args.probe_stages).rglob("*.txt"))[: args.probe_count]
        print(json.dumps(stage_profile(paths, args.no_batch)))
        return
    print(f"corpus: {DESCRIPTION}, units renamed; batch rules {'off' if args.no_batch else 'on'}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as root:
            folder = Path(root) / "reports"
            folder.mkdir()
            paths = make_corpus(folder, size)
            started = time.process_time()
            regex_baseline(paths)
            regex = size / (time.process_time() - started)
            rates = {}
            for jobs in args.jobs:
                run = measure(folder, jobs, args.no_batch)
                rates[jobs] = rate = size / run["seconds"]
                cpu = size / (run["parent_cpu"] + run["worker_cpu"])
                scaling = f"  {rate / rates[1]:.2f}x one process" if jobs > 1 and 1 in rates else ""
                print(
                    f"{size:6d} reports, --jobs {jobs}: {rate:7.1f} reports/s wall{scaling};"
                    f" {cpu:.1f} reports per CPU-second (1/{regex / cpu:.0f} of the regex"
                    f" baseline, {regex:.0f}/s)\n"
                    f"    parent peak RSS {run['parent_rss']:6.1f} MB, worker peak RSS"
                    f" {run['worker_rss']:6.1f} MB; CPU: workers {run['worker_cpu']:.1f} s,"
                    f" parent {run['parent_cpu']:.1f} s (batch rules after the audit"
                    f" {run.get('batch_cpu', float('nan')):.2f} s, then {run['tail_cpu']:.2f} s);"
                    f" wall: audit {run['audit']:.1f} s (batch rules"
                    f" {run.get('batch_wall', float('nan')):.2f} s),"
                    f" finalise {run['finalise']:.2f} s,"
                    f" JSON {run['json']:.2f} s"
                )
            if size == args.sizes[0]:
                sample = paths[: min(300, size)]
                profile = stage_profile(sample, args.no_batch)
                stages = ", ".join(f"{stage} {ms:.2f}" for stage, ms in profile.items())
                print(f"per-stage profile, one process, ms per report (CPU; wall): {stages}")
                ceiling = side_by_side(folder, min(1000, size), args.no_batch)
                print(
                    f"the machine's ceiling for two processes: {ceiling:.2f}x (the audit of"
                    f" {min(1000, size)} reports, two copies side by side against one alone)"
                )


if __name__ == "__main__":
    main()
