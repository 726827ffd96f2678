"""The auditor's outputs on a county-sized batch, beside the JSON output in the same run.

Generates N reports (default 1,200) from reports_sample/, audits them once, then times:
the 数据汇总 figures (``table_figures``) against the audit they are taken from, and each
renderer against the JSON output: the streamed ones (json, csv, sarif, markdown, xlsx)
written to a file as the command line writes them, the others (text, html, docx notices)
rendered in memory. Usage:
    python benchmarks/outputs.py [--files N] [--repeat R]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from corpus import DESCRIPTION, make_corpus

from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine
from gkaudit.audit.figures import table_figures
from gkaudit.audit.scan import audit_paths, finalise, write_atomically
from gkaudit.outputs.html import render_html
from gkaudit.outputs.notice import render_notices
from gkaudit.outputs.render import render_text, stream_csv, stream_json, stream_markdown
from gkaudit.outputs.sarif import stream_sarif
from gkaudit.outputs.xlsx import write_xlsx


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = Engine.load(Config())
    with tempfile.TemporaryDirectory() as folder:
        paths = make_corpus(Path(folder), args.files)
        reports = [engine.audit_file(str(path)).report for path in paths[:200]]
        audit = best(lambda: [engine.audit_file(str(path)) for path in paths[:200]], args.repeat)
        figures = best(lambda: [table_figures(r) for r in reports if r], args.repeat)
        scan = finalise(audit_paths(engine, paths, 1), engine.config)
        scan.rules = dict(engine.rules)
        findings = scan.shown
        print(f"corpus: {args.files} reports ({DESCRIPTION}), {findings} findings")
        print(f"数据汇总 figures: {figures / audit:.3%} of the audit time of the same 200 reports")
        target = Path(folder) / "out"
        streamed = {
            "json": lambda: stream_json(scan),
            "csv": lambda: stream_csv(scan),
            "sarif": lambda: stream_sarif(scan, engine.rules),
            "markdown": lambda: (chunk.encode() for chunk in stream_markdown(scan)),
            "xlsx": lambda: lambda handle: write_xlsx(scan, "zh", handle),
        }
        baseline = best(lambda: write_atomically(target, streamed["json"]()), args.repeat)
        print(f"json, streamed to a file (baseline): {baseline * 1000:.0f} ms")
        for name, chunks in list(streamed.items())[1:]:
            seconds = best(lambda c=chunks: write_atomically(target, c()), args.repeat)
            print(f"{name:>8}: {seconds * 1000:7.0f} ms  = {seconds / baseline:5.1f} x json")
        in_memory = {"text": render_text, "html": render_html, "docx": render_notices}
        for name, render in in_memory.items():
            seconds = best(lambda render=render: render(scan), args.repeat)
            ratio = seconds / baseline
            print(f"{name:>8}: {seconds * 1000:7.0f} ms  = {ratio:5.1f} x json (in memory)")


if __name__ == "__main__":
    main()
