"""CPU time of the rules stage alone: ``Engine.audit_report`` over parsed reports, parse excluded.

The reports: reports_sample/, tests/data/corpus/*.txt (those that parse as reports) and the five
seeds in every table layout of tests/layouts.py with ASCII and full-width digits. Each round
parses every report afresh (audit_report clears the report's shared views) and times only
audit_report with time.process_time; prints milliseconds per report of each round and the median.
``--profile`` prints cProfile's top functions instead. ``--dump FILE`` writes every finding (code,
line, messages, evidence, …) one JSON line each, to diff two versions' findings. Usage:
    python benchmarks/rules_stage.py [--rounds 9] [--profile] [--dump findings.jsonl]
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from corpus import LAYOUTS, ROOT, make_corpus

from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine
from gkaudit.base.errors import GkauditError
from gkaudit.model.report import Report
from gkaudit.parse.parser import parse_document
from gkaudit.read.blocks import Document
from gkaudit.read.source import read_document


def documents(engine: Engine, folder: Path) -> list[tuple[str, Document]]:
    paths = sorted((ROOT / "reports_sample").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "data" / "corpus").glob("*.txt"))
    seeds = len(list((ROOT / "reports_sample").glob("*.txt")))
    paths += make_corpus(folder, seeds * len(LAYOUTS) * 2)  # each seed in every layout and width
    found = []
    for path in paths:
        try:
            document = read_document(path, engine.readers, engine.max_bytes)
            parse_document(document, str(path))
        except GkauditError:
            continue  # not a report: no rules stage to time
        found.append((path.name, document))
    return found


def reports(found: list[tuple[str, Document]]) -> list[Report]:
    return [parse_document(document, name) for name, document in found]


def one_round(engine: Engine, found: list[tuple[str, Document]]) -> float:
    spent = 0.0
    for report in reports(found):
        started = time.process_time()
        engine.audit_report(report)
        spent += time.process_time() - started
    return spent * 1000 / len(found)


def dump(engine: Engine, found: list[tuple[str, Document]], target: Path) -> None:
    lines = []
    for report in reports(found):
        audit = engine.audit_report(report)
        for finding in audit.findings:
            lines.append(json.dumps(dataclasses.asdict(finding), ensure_ascii=False, default=str))
        lines.append(f"{report.path} errors={audit.errors}")
    target.write_text("\n".join(lines) + "\n", "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    engine = Engine.load(Config())
    with tempfile.TemporaryDirectory() as root:
        found = documents(engine, Path(root))
    if args.dump:
        dump(engine, found, args.dump)
        return
    if args.profile:
        parsed = reports(found)
        profile = cProfile.Profile()
        profile.runcall(lambda: [engine.audit_report(report) for report in parsed])
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
        return
    rounds = [one_round(engine, found) for _ in range(args.rounds)]
    shown = " ".join(f"{value:.3f}" for value in rounds)
    print(f"{len(found)} reports; rules stage, ms per report: {shown}")
    print(f"median {statistics.median(rounds):.3f} ms per report")


if __name__ == "__main__":
    main()
