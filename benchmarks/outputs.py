"""The auditor's outputs on a county-sized batch, beside the JSON output in the same run.

Generates N reports (default 1,200) from reports_sample/, audits them once, then times:
the 数据汇总 figures (``table_figures``) against the audit they are taken from, and each
renderer (text, csv, xlsx, html, docx notices) against ``render_json``. Usage:
    python benchmarks/outputs.py [--files N] [--repeat R]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from corpus import DESCRIPTION, make_corpus

from gkaudit.config import Config
from gkaudit.engine import Engine
from gkaudit.figures import table_figures
from gkaudit.html import render_html
from gkaudit.notice import render_notices
from gkaudit.outputs import render_csv, render_json, render_text
from gkaudit.scan import audit_paths, finalise
from gkaudit.xlsx import render_xlsx


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
    findings = sum(len(report.findings) for report in scan.reports)
    print(f"corpus: {args.files} reports ({DESCRIPTION}), {findings} findings")
    print(f"数据汇总 figures: {figures / audit:.3%} of the audit time of the same 200 reports")
    baseline = best(lambda: render_json(scan), args.repeat)
    print(f"render_json (baseline): {baseline * 1000:.0f} ms")
    renderers = {
        "text": render_text, "csv": render_csv, "xlsx": render_xlsx,
        "html": render_html, "docx": render_notices,
    }  # fmt: skip
    for name, render in renderers.items():
        seconds = best(lambda render=render: render(scan), args.repeat)
        print(f"{name:>5}: {seconds * 1000:7.0f} ms  = {seconds / baseline:5.1f} x json")


if __name__ == "__main__":
    main()
