"""CPU per report of each stage of read + parse, for two gkaudit installs in the same run.

The corpus is benchmarks/corpus.py's (the five seeds in every layout of tests/layouts.py, ASCII
and full-width digits; ``--files`` reports, 200 by default). Every file goes through all
stages in turn, as in a real run, the CPU time of each stage summed over the files; the whole
pass is made ``--repeat`` times in one process and each stage's least total kept:

* read: file and decode (``read_text``);
* layout: text -> blocks (``text_document``);
* lex: blocks -> logical lines -> tokens;
* lark: the LALR parse of the tokens;
* build: parse tree -> report model, the three tables included;
* model: what every rule reads of the model (lines, section bodies, every table cell), so that
  a field computed on first use is counted;
* regex: benchmarks/corpus.py's regex tokenisation of the same files (the issue's baseline).

``--python`` names another environment's interpreter (e.g. one with main's gkaudit installed):
the two are then run in alternating subprocesses for ``--rounds`` rounds, and the medians of
both, their least values (the least disturbed by other load on the machine) and the
ratios printed. ``--opcodes`` counts the Python bytecodes each stage executes instead of
timing it: the same figure on a busy machine as on a quiet one, but blind to work done in C.
Run from outside the checkout (its ``gkaudit/`` would shadow the installed package)::

    python benchmarks/parse_stages.py --python /tmp/basevenv/bin/python --rounds 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any

STAGES = ("read", "layout", "lex", "lark", "build", "model")


def measure(files: int, repeat: int) -> dict[str, Any]:
    """Least CPU ms per report of each stage over ``repeat`` passes (this interpreter's gkaudit)."""
    from corpus import make_corpus, regex_baseline, stage_seconds

    import gkaudit
    from gkaudit.parse.parser import report_parser

    parser = report_parser()
    clock = time.process_time
    best = dict.fromkeys((*STAGES, "regex"), float("inf"))
    with tempfile.TemporaryDirectory() as folder:
        paths = make_corpus(Path(folder), files)
        for _ in range(repeat + 1):  # the first pass warms the caches every real run has
            spent = [0.0] * (len(STAGES) + 1)
            for path in paths:  # one file through every stage, as a real run does
                for index, seconds in enumerate(stage_seconds(path, parser, _read_model)):
                    spent[index] += seconds
            t7 = clock()
            regex_baseline(paths)
            spent[-1] = clock() - t7
            for name, seconds in zip((*STAGES, "regex"), spent, strict=True):
                best[name] = min(best[name], seconds * 1e3 / len(paths))
    best["read+parse"] = sum(best[name] for name in STAGES)
    return {"version": gkaudit.__version__, "file": gkaudit.__file__, "ms": best}


def count_opcodes(files: int) -> dict[str, Any]:
    """Python bytecodes each stage executes per report, counted by ``sys.settrace``: slow, but
    the same on a busy machine as on a quiet one. It leaves out work done in C (regular
    expressions, object allocation, the garbage collector): a guide, not a CPU figure."""
    from corpus import make_corpus, through_stages

    import gkaudit
    from gkaudit.parse.parser import report_parser

    parser = report_parser()
    counts = dict.fromkeys((*STAGES, "done"), 0)
    stage = ["read"]

    def mark(name: str) -> None:
        stage[0] = name

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        frame.f_trace_opcodes = True
        if event == "opcode":
            counts[stage[0]] += 1
        return trace

    with tempfile.TemporaryDirectory() as folder:
        paths = make_corpus(Path(folder), files)
        for tracing in (False, True):  # the first pass warms the caches every real run has
            sys.settrace(trace if tracing else None)
            for path in paths:
                through_stages(path, parser, mark, _read_model)
            sys.settrace(None)
    per_report = {name: counts[name] / len(paths) for name in STAGES}
    per_report["read+parse"] = sum(per_report.values())
    return {"version": gkaudit.__version__, "file": gkaudit.__file__, "opcodes": per_report}


def compare_opcodes(python: str, files: int) -> None:
    """Bytecodes per report and stage of ``python``'s gkaudit (base) and this one (new)."""
    command = [__file__, "--worker", "--opcodes", "--files", str(files)]
    found = {}
    for name, interpreter in (("base", python), ("new", sys.executable)):
        output = subprocess.run(
            [interpreter, *command], check=True, capture_output=True, text=True
        ).stdout
        found[name] = json.loads(output)["opcodes"]
    print(f"{files} reports, Python bytecodes executed per report")
    print(f"{'stage':12s} {'base':>8s} {'new':>8s} {'ratio':>7s}")
    for stage in (*STAGES, "read+parse"):
        base, new = found["base"][stage], found["new"][stage]
        print(f"{stage:12s} {base:8.0f} {new:8.0f} {base / max(new, 1):6.2f}x")


def _read_model(report: Any) -> None:
    """Every part of the model that rules read."""
    for line in report.lines:
        line.text  # noqa: B018
    for section in report.sections:
        for line in section.body:
            line.text  # noqa: B018
        section.subsections  # noqa: B018
    for table in report.tables.present():
        for row in table.rows.values():
            row.label  # noqa: B018
            for cell in row.cells:
                cell.value  # noqa: B018


def compare(python: str, rounds: int, files: int, repeat: int) -> None:
    """Alternate subprocess runs of ``python`` (base) and this interpreter (new); print medians."""
    runs: dict[str, list[dict[str, float]]] = {"base": [], "new": []}
    command = [__file__, "--worker", "--files", str(files), "--repeat", str(repeat)]
    for number in range(rounds):
        for name, interpreter in (("base", python), ("new", sys.executable)):
            output = subprocess.run(
                [interpreter, *command], check=True, capture_output=True, text=True
            ).stdout
            result = json.loads(output)
            runs[name].append(result["ms"])
            print(f"round {number + 1} {name}: {result['ms']['read+parse']:.3f} ms", flush=True)
    names = (*STAGES, "read+parse", "regex")

    def median(version: str, stage: str) -> float:
        return statistics.median(run[stage] for run in runs[version])

    def least(version: str, stage: str) -> float:
        return min(run[stage] for run in runs[version])

    print(f"\n{files} reports, {rounds} rounds, CPU ms per report: median and least of rounds")
    columns = f"{'base':>8s} {'new':>8s} {'ratio':>7s}"
    print(f"{'stage':12s} {columns}   {columns}")
    for stage in names:
        base, new = median("base", stage), median("new", stage)
        low_base, low_new = least("base", stage), least("new", stage)
        print(f"{stage:12s} {base:8.3f} {new:8.3f} {base / new:6.2f}x   "
              f"{low_base:8.3f} {low_new:8.3f} {low_base / low_new:6.2f}x")  # fmt: skip
    for version in ("base", "new"):
        ratio = median(version, "read+parse") / median(version, "regex")
        print(f"{version}: read+parse = {ratio:.1f} x the regex baseline (medians)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5, help="passes per process (least kept)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating runs with --python")
    parser.add_argument("--python", help="another environment's interpreter: the base to compare")
    parser.add_argument("--opcodes", action="store_true", help="count bytecodes, not CPU")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.python and not args.worker:
        if args.opcodes:
            compare_opcodes(args.python, args.files)
        else:
            compare(args.python, args.rounds, args.files, args.repeat)
        return
    result = count_opcodes(args.files) if args.opcodes else measure(args.files, args.repeat)
    if args.worker:
        print(json.dumps(result))
        return
    unit = "opcodes" if args.opcodes else "ms"
    print(f"gkaudit {result['version']} ({result['file']}), {args.files} reports, {unit}/report")
    for stage, value in result[unit].items():
        print(f"{stage:12s} {value:10.3f}")


if __name__ == "__main__":
    main()
