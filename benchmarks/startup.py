"""Start-up time of the command line, beside ``python -c pass`` measured in the same run.

Each command runs in a fresh interpreter, ``--repeat`` rounds with the commands interleaved (so
machine load hits them alike); the figures are the median wall time of a command and the median
CPU time (user + system) of its process, which a loaded machine inflates less, each beside the
bare interpreter's. ``--before SITE`` also runs the commands against another installed
gkaudit (e.g. ``pip install --no-deps --target SITE <old checkout>``), put first on the path,
in the same rounds. Then the cost of the report grammar: built by lark in a fresh process,
against loaded from gkaudit.parse.grammar_cache (the saving a cached parser brings to every
process).
    python benchmarks/startup.py [--repeat N] [--before SITE]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "reports_sample" / "dayu-town-2024.txt"

# The report parser as gkaudit/parse/parser.py makes it (LALR over the block lexer's tokens).
GRAMMAR = """
import time
from lark import Lark
from gkaudit.parse.grammar_cache import cached_lark
from gkaudit.parse.parser import REPORT_OPTIONS
from gkaudit.base.resources import grammar_text
text = grammar_text("report")
start = time.perf_counter()
{make}(text, **REPORT_OPTIONS)
print(time.perf_counter() - start)
"""
GRAMMAR_BUILD = GRAMMAR.format(make="Lark")
GRAMMAR_CACHED = GRAMMAR.format(make="cached_lark")


def commands() -> dict[str, list[str]]:
    python = sys.executable
    run_cli = "import sys; from gkaudit.cli import main; sys.argv[0] = 'gkaudit'; main()"
    return {
        "python -c pass (baseline)": [python, "-c", "pass"],
        "gkaudit --help": [python, "-c", run_cli, "--help"],
        "gkaudit check one.txt": [python, "-c", run_cli, "check", str(SAMPLE)],
    }


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, env=environment, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)


def measure(repeat: int, before: str | None) -> dict[str, tuple[float, float]]:
    variants = {"": dict(os.environ)}
    if before:
        variants[" [before]"] = {**os.environ, "PYTHONPATH": before}
    runs: dict[str, list[tuple[float, float]]] = {}
    for _ in range(repeat):
        for suffix, environment in variants.items():
            for name, command in commands().items():
                if suffix and not name.startswith("gkaudit"):
                    continue
                runs.setdefault(name + suffix, []).append(timed(command, environment))
    return {
        name: (statistics.median(t[0] for t in times), statistics.median(t[1] for t in times))
        for name, times in runs.items()
    }


def grammar_seconds(code: str, environment: dict[str, str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=environment
        )
        times.append(float(done.stdout.strip()))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--before", help="site folder of another gkaudit install to compare")
    args = parser.parse_args()
    medians = measure(args.repeat, args.before)
    wall_base, cpu_base = medians["python -c pass (baseline)"]
    print(f"median of {args.repeat} runs: wall time | CPU time, and their excess over python")
    for name, (wall, cpu) in medians.items():
        print(f"  {name:34s} {wall * 1000:7.1f} ms (+{(wall - wall_base) * 1000:6.1f}) | "
              f"{cpu * 1000:7.1f} ms (+{(cpu - cpu_base) * 1000:6.1f})")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        environment = {**os.environ, "GKAUDIT_CACHE_DIR": folder}
        warm = [sys.executable, "-c", GRAMMAR_CACHED]
        subprocess.run(warm, env=environment, check=True, capture_output=True)
        built = grammar_seconds(GRAMMAR_BUILD, environment, args.repeat)
        cached = grammar_seconds(GRAMMAR_CACHED, environment, args.repeat)
    print("report grammar, making the parser in a fresh process (lark already imported):")
    print(f"  built by lark            {built * 1000:7.1f} ms")
    print(f"  loaded from the cache    {cached * 1000:7.1f} ms  ({built / cached:.1f}x faster, "
          f"{(built - cached) * 1000:.1f} ms saved per process)")  # fmt: skip


if __name__ == "__main__":
    main()
