"""Scan time and peak memory with and without the cross-document rules (GK6xx), with last
year's reports in the archive, for growing batches — beside the regex baseline of the same run.

For each size N: N reports of distinct units for this year and N for last year are generated
from reports_sample/ (each unit's prose perturbed so that units do not share text; 2% of units
repeat last year's text with the years moved, 1% copy another unit's report). Last year's
reports are scanned into a fresh archive first. Then, each in a fresh process (peak RSS is
per process): this year's scan with every rule and the archive, and the same scan without the
GK6xx rules and without the archive. Usage:
    python benchmarks/crossdoc.py [--sizes 1000,10000] [--jobs 1]
Times are CPU seconds (parent and workers; the parent's apart), the regex baseline's too; wall
seconds beside. Peak RSS: the parent's and the largest worker's.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import regex_baseline

ROOT = Path(__file__).resolve().parent.parent
POOL = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处理府研质"
)


def perturb(text: str, rng: random.Random, keep: str, rate: float = 0.3) -> str:
    """Replace a share of the prose's Chinese characters (not the tables', the title's or the
    unit's name ``keep``)."""
    text = text.replace(keep, "\x00")
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if "\t" in line or "|" in line or len(line) < 20 or "年度报告" in line:
            continue
        lines[index] = "".join(
            rng.choice(POOL) if "\u4e00" <= char <= "\u9fff" and rng.random() < rate else char
            for char in line
        )
    return "\n".join(lines).replace("\x00", keep)


def new_count(text: str, rng: random.Random) -> str:
    """Another 行政处罚 count (a single-cell row outside every chain), in any layout."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.strip().startswith("行政处罚"):
            for position in range(index, min(index + 4, len(lines))):
                changed = re.sub(
                    r"(?<![\d.])\d+(?![\d.])",
                    lambda m: str(int(m.group()) + rng.randint(1, 9)),
                    lines[position],
                    count=1,
                )
                if changed != lines[position]:
                    lines[position] = changed
                    return "\n".join(lines)
    return text


def years_back(text: str) -> str:
    # Years only: not the digits of a unit's number (第02050号乡).
    return re.sub(r"(?<!\d)20(\d\d)(?!\d)", lambda m: f"20{int(m.group(1)) - 1:02d}", text)


def renamed(text: str, unit: str) -> str:
    name = re.search(r"^\s*(\S+?)\s*20\d\d\s*年", text.lstrip(), re.M)
    assert name, "seed without a title"
    return text.replace(name.group(1), unit)


def make_years(folder: Path, count: int, seed: int = 7) -> None:
    seeds = [path.read_text("utf-8") for path in sorted((ROOT / "reports_sample").glob("*.txt"))]
    seeds = [text for text in seeds if re.search(r"2024\s*年", text)]  # one report year
    rng = random.Random(seed)
    (folder / "previous").mkdir()
    (folder / "current").mkdir()
    current_texts = []
    for index in range(count):
        unit = f"第{index:05d}号乡人民政府"
        base = renamed(seeds[index % len(seeds)], unit)
        now = perturb(base, rng, unit)
        if index % 50 == 0:  # last year's text and tables repeated, years moved
            before = years_back(now)
        else:
            before = years_back(new_count(perturb(base, rng, unit), rng))
        if index % 100 == 1 and current_texts:  # a copy of another unit's report
            now = current_texts[-1].replace(f"第{index - 1:05d}号乡", f"第{index:05d}号乡")
        current_texts.append(now)
        (folder / "current" / f"u{index:05d}-2024.txt").write_text(now, "utf-8")
        (folder / "previous" / f"u{index:05d}-2023.txt").write_text(before, "utf-8")


def probe(mode: str, folder: str, archive: str, jobs: int) -> None:
    """In a fresh process: one scan; prints seconds, peak RSS (MB) and GK6xx counts as JSON."""
    from click.testing import CliRunner

    from gkaudit.cli import main

    args = ["scan", folder, "--format", "json", "--jobs", str(jobs), "--exit-zero"]
    if mode == "with":
        args += ["--archive", archive]
    else:
        args += ["--ignore", "GK6", "--no-archive"]
    start, cpu, own = time.perf_counter(), _cpu(), time.process_time()
    result = CliRunner().invoke(main, args)
    seconds, cpu, own = time.perf_counter() - start, _cpu() - cpu, time.process_time() - own
    assert result.exit_code == 0, result.output[-2000:]
    found: dict[str, int] = {}
    for report in json.loads(result.stdout)["reports"]:
        for finding in report["findings"]:
            if finding["code"].startswith("GK6"):
                found[finding["code"]] = found.get(finding["code"], 0) + 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "parent_cpu": own,
                "peak_mb": peak,
                "worker_peak_mb": children,
                "found": found,
            }
        )
    )


def _cpu() -> float:
    """CPU seconds of this process and its finished workers (the machine is shared: wall time
    alone would measure the neighbours)."""
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def run_probe(mode: str, folder: Path, archive: Path, jobs: int) -> dict:
    command = [sys.executable, __file__, "--probe", mode, str(folder), str(archive), str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--probe", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        mode, folder, archive, jobs = args.probe
        probe(mode, folder, archive, int(jobs))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            make_years(folder, size)
            archive = folder / "archive.sqlite"
            files = sorted((folder / "current").glob("*.txt"))
            start = time.process_time()
            regex_baseline(files)
            regex = time.process_time() - start  # CPU seconds, like the scans'

            fill = run_probe("with", folder / "previous", archive, args.jobs)
            without = run_probe("without", folder / "current", archive, args.jobs)
            with_rules = run_probe("with", folder / "current", archive, args.jobs)
            rows.append((size, regex, fill, without, with_rules))
            print(
                f"{size} reports, --jobs {args.jobs}: regex baseline {regex:.2f} s; "
                f"last year into the archive {fill['cpu']:.1f} s CPU"
            )
            for label, run in (("without GK6xx", without), ("with GK6xx + archive", with_rules)):
                print(
                    f"  scan {label}: {run['cpu']:.1f} s CPU ({run['cpu'] / regex:.0f}x regex;"
                    f" parent {run.get('parent_cpu', float('nan')):.1f} s), "
                    f"{run['seconds']:.1f} s wall; parent peak RSS {run['peak_mb']:.0f} MB, "
                    f"worker peak {run['worker_peak_mb']:.0f} MB"
                )
            ratio = with_rules["cpu"] / without["cpu"]
            print(f"  with/without: {ratio:.2f}; GK6xx found: {with_rules['found']}", flush=True)
    if len(rows) > 1:
        (n0, r0, _, w0, c0), (n1, r1, _, w1, c1) = rows[0], rows[-1]
        print(f"growth {n0} -> {n1} reports ({n1 / n0:.0f}x): regex {r1 / r0:.1f}x")
        for label, a, b in (("without GK6xx", w0, w1), ("with GK6xx", c0, c1)):
            time_growth = b["cpu"] / a["cpu"]
            memory_growth = b["peak_mb"] / a["peak_mb"]
            print(f"  {label}: time {time_growth:.1f}x, peak memory {memory_growth:.1f}x")


if __name__ == "__main__":
    main()
