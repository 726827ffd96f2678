"""CPU time of the rules stage alone: ``Engine.audit_report`` over parsed reports, parse excluded,
and of ``scan.summarise`` (what a scan keeps of each audit: findings and the 数据汇总 figures).

The reports: reports_sample/, tests/data/corpus/*.txt and tests/data/realworld/* (those that
parse as reports) and the five seeds in every table layout of tests/layouts.py with ASCII and
full-width digits. Each round parses every report afresh (audit_report clears the report's
shared views) and times only audit_report and summarise with time.process_time; prints
milliseconds per report of each round and the medians. ``--per-rule`` times each rule apart (the
engine's loop, rule by rule; a fact computed once for several rules counts for the first that
asks). ``--profile`` prints cProfile's top functions instead. ``--dump FILE`` writes every
finding (code, line, messages in both languages, evidence, …) and every report's figures one
JSON line each, to diff two versions; ``--extra DIR`` adds a folder of reports (fuzzed ones,
say). ``--compare PYTHON`` runs this script with another interpreter (another version of
gkaudit installed) beside this one, a round of each in turn (two processes that keep their
parsed corpus), and prints both medians and their ratio, for the stage, the summary and the
ten costliest rules. Usage:
    python benchmarks/rules_stage.py [--rounds 9] [--per-rule] [--profile] [--dump FILE]
    python benchmarks/rules_stage.py --compare /tmp/basevenv/bin/python [--rounds 10]
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import LAYOUTS, ROOT, make_corpus

from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine
from gkaudit.audit.scan import summarise
from gkaudit.base.errors import GkauditError
from gkaudit.model.report import Report
from gkaudit.parse.parser import parse_document
from gkaudit.read.blocks import Document
from gkaudit.read.source import read_document


def documents(
    engine: Engine, folder: Path, extra: Path | None = None
) -> list[tuple[str, Document]]:
    paths = sorted((ROOT / "reports_sample").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "data" / "corpus").glob("*.txt"))
    realworld = ROOT / "tests" / "data" / "realworld"
    paths += sorted(path for path in realworld.iterdir() if path.name != "README.md")
    seeds = len(list((ROOT / "reports_sample").glob("*.txt")))
    paths += make_corpus(folder, seeds * len(LAYOUTS) * 2)  # each seed in every layout and width
    if extra is not None:
        paths += sorted(path for path in extra.rglob("*") if path.is_file())
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


def one_round(engine: Engine, found: list[tuple[str, Document]]) -> dict[str, float]:
    stage = summary = 0.0
    for report in reports(found):
        started = time.process_time()
        audit = engine.audit_report(report)
        audited = time.process_time()
        summarise(audit, False)
        stage += audited - started
        summary += time.process_time() - audited
    return {"stage": stage * 1000 / len(found), "summary": summary * 1000 / len(found)}


def per_rule_round(engine: Engine, found: list[tuple[str, Document]]) -> dict[str, float]:
    """The engine's loop over the single-report rules, each rule timed apart."""
    spent: dict[str, float] = {}
    for report in reports(found):
        unit_type = engine.unit_type(report)
        for code, rule in engine.active.items():
            if rule.batch:
                continue
            started = time.process_time()
            rule().run(report, engine._context(code, unit_type))
            spent[code] = spent.get(code, 0.0) + time.process_time() - started
        report.derived.clear()
    return {code: value * 1000 / len(found) for code, value in spent.items()}


def dump(engine: Engine, found: list[tuple[str, Document]], target: Path) -> None:
    lines = []
    for report in reports(found):
        audit = engine.audit_report(report)
        for finding in audit.findings:
            lines.append(json.dumps(dataclasses.asdict(finding), ensure_ascii=False, default=str))
        lines.append(f"{report.path} errors={audit.errors}")
        figures = summarise(audit, False).figures
        lines.append(f"{report.path} figures={json.dumps(figures, default=str)}")
    target.write_text("\n".join(lines) + "\n", "utf-8")


def measure(args: argparse.Namespace, engine: Engine, found: list) -> dict[str, list]:
    for _ in range(args.warmup):
        one_round(engine, found)
        per_rule_round(engine, found)
    rounds = [one_round(engine, found) for _ in range(args.rounds)]
    result: dict[str, list] = {
        "stage": [r["stage"] for r in rounds],
        "summary": [r["summary"] for r in rounds],
    }
    if args.per_rule:
        result["rules"] = [per_rule_round(engine, found) for _ in range(args.rounds)]
    return result


def serve(engine: Engine, found: list) -> None:
    """For ``--compare``: one round per line read, its result printed as a JSON line."""
    one_round(engine, found)  # warm-up
    per_rule_round(engine, found)
    print("ready", flush=True)
    for request in sys.stdin:
        if request.strip() == "rules":
            print(json.dumps(per_rule_round(engine, found)), flush=True)
        else:
            print(json.dumps(one_round(engine, found)), flush=True)


def compare(args: argparse.Namespace) -> None:
    """This interpreter's gkaudit ("new") beside ``args.compare``'s ("base"): both load the
    corpus once, then run one round each in turn (the machine's load falls on both alike)."""
    servers = {
        name: subprocess.Popen(
            [python, __file__, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True,
        )
        for name, python in (("base", args.compare), ("new", sys.executable))
    }  # fmt: skip
    for server in servers.values():
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
    rounds: dict[str, list[dict[str, float]]] = {"base": [], "new": []}
    rules: dict[str, list[dict[str, float]]] = {"base": [], "new": []}
    for index in range(args.rounds * 2):
        order = ("base", "new") if index % 2 == 0 else ("new", "base")  # neither always first
        for name in order:
            rounds[name].append(_ask(servers[name], "stage"))
            rules[name].append(_ask(servers[name], "rules"))
    for server in servers.values():
        server.communicate("")
    medians = {}
    for name in servers:
        codes = rules[name][0]
        medians[name] = {
            "stage": statistics.median(r["stage"] for r in rounds[name]),
            "summary": statistics.median(r["summary"] for r in rounds[name]),
            "rules": {c: statistics.median(r[c] for r in rules[name]) for c in codes},
        }
    base, new = medians["base"], medians["new"]
    print(f"ms of CPU per report, median of {args.rounds * 2} rounds taken in turn: base new ratio")
    for what in ("stage", "summary"):
        print(f"{what:10} {base[what]:.4f} {new[what]:.4f} {base[what] / new[what]:.2f}x")
    both = base["stage"] + base["summary"], new["stage"] + new["summary"]
    print(f"{'both':10} {both[0]:.4f} {both[1]:.4f} {both[0] / both[1]:.2f}x")
    print("costliest rules (each timed apart; a shared fact counts for the first rule asking):")
    top = sorted(base["rules"], key=lambda code: -base["rules"][code])[:10]
    for code in top:
        old, now = base["rules"][code], new["rules"].get(code, float("nan"))
        print(f"  {code:8} {old:.4f} {now:.4f} {old / now:.2f}x")


def _ask(server: subprocess.Popen, what: str) -> dict[str, float]:
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(what + "\n")
    server.stdin.flush()
    return json.loads(server.stdout.readline())  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--per-rule", action="store_true")
    parser.add_argument("--warmup", type=int, default=0, help="rounds run before those timed")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--extra", type=Path, help="a folder of more reports (with --dump)")
    parser.add_argument("--json", action="store_true", help="print the rounds as JSON")
    parser.add_argument("--compare", help="another interpreter, with the base version installed")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare:
        compare(args)
        return
    engine = Engine.load(Config())
    with tempfile.TemporaryDirectory() as root:
        found = documents(engine, Path(root), args.extra)
    if args.dump:
        dump(engine, found, args.dump)
        return
    if args.serve:
        serve(engine, found)
        return
    if args.profile:
        parsed = reports(found)
        profile = cProfile.Profile()
        profile.runcall(lambda: [summarise(engine.audit_report(r), False) for r in parsed])
        pstats.Stats(profile).sort_stats("tottime").print_stats(40)
        return
    result = measure(args, engine, found)
    if args.json:
        print(json.dumps(result))
        return
    for what in ("stage", "summary"):
        shown = " ".join(f"{value:.3f}" for value in result[what])
        print(f"{len(found)} reports; {what}, ms per report: {shown}")
        print(f"median {statistics.median(result[what]):.3f} ms per report")
    if args.per_rule:
        codes = result["rules"][0]
        medians = {c: statistics.median(r[c] for r in result["rules"]) for c in codes}
        for code in sorted(medians, key=lambda c: -medians[c]):
            print(f"  {code:8} {medians[code]:.4f}")


if __name__ == "__main__":
    main()
