"""How gkaudit reads the real corpus (tests/data/corpus) against what was read there by eye.

Per table: the cells read by hand, how many gkaudit read equal, read DIFFERENT (a wrong number, or
a number where the text has a blank cell) and left unread. Per rule: the hand-read defects and how
many gkaudit reports (recall), the aspects checked clean and how many it nonetheless flags (false
alarms). The comparison is the one tests/test_corpus.py asserts, case by case.

    python benchmarks/corpus_recall.py                      # the tables
    python benchmarks/corpus_recall.py --known-failures     # today's failing cases, as YAML
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("GKAUDIT_LOAD_PLUGINS", "builtin,readers")  # the built-in pack only

import yaml  # noqa: E402
from tabulate import tabulate  # noqa: E402
from test_corpus import (  # noqa: E402
    TABLES,
    case_names,
    compare,
    findings_of,
    has_values,
    load_case,
    matching_findings,
)

OUTCOMES = ("equal", "different", "unread")


def table_figures() -> list[list[Any]]:
    totals: dict[str, Counter] = {table: Counter() for table in TABLES}
    for name in case_names():
        for table in TABLES:
            if not has_values(name, table):
                continue
            comparison = compare(name, table)
            totals[table]["reports"] += 1
            totals[table].update(cell.outcome for cell in comparison.cells)
    rows = []
    for table in (*TABLES, "all"):
        counts = sum(totals.values(), Counter()) if table == "all" else totals[table]
        read = sum(counts[outcome] for outcome in OUTCOMES)
        rows.append(
            [
                table,
                counts["reports"],
                read,
                *(counts[o] for o in OUTCOMES),
                _percent(counts["equal"], read),
            ]
        )
    return rows


def rule_figures() -> list[list[Any]]:
    counts: dict[str, Counter] = {}
    for name in case_names():
        case = load_case(name)
        for defect in case["defects"]:
            count = counts.setdefault(defect["code"], Counter())
            result = matching_findings(name, defect["code"], defect["line"])
            count["defects"] += 1
            count["found"] += bool(result) and not isinstance(result, str)
            count["unparsed"] += isinstance(result, str)
        for clean in case["checked_clean"]:
            count = counts.setdefault(clean["code"], Counter())
            result = findings_of(name, clean["code"])
            count["checks"] += 1
            count["alarms"] += bool(result) and not isinstance(result, str)
            count["unparsed"] += isinstance(result, str)
    counts["all"] = sum(counts.values(), Counter())
    return [
        [
            code,
            count["defects"],
            count["found"],
            _percent(count["found"], count["defects"]),
            count["checks"],
            count["alarms"],
            count["unparsed"],
        ]
        for code, count in sorted(counts.items(), key=lambda item: (item[0] == "all", item[0]))
    ]


def _percent(part: int, whole: int) -> str:
    return "–" if whole == 0 else f"{100 * part / whole:.0f}%"


def known_failures() -> list[dict[str, Any]]:
    """Today's failing cases with the reason each fails: the content of known_failures.yml."""
    entries = []
    for name in case_names():
        case = load_case(name)
        for table in TABLES:
            if not has_values(name, table):
                continue
            comparison = compare(name, table)
            if comparison.outcomes("different") or comparison.outcomes("unread"):
                entries.append(
                    {"report": name, "table": table, "reason": _table_reason(comparison)}
                )
        for defect in case["defects"]:
            result = matching_findings(name, defect["code"], defect["line"])
            if isinstance(result, str) or not result:
                reason = result if isinstance(result, str) else f"{defect['code']} not reported"
                entries.append(
                    {
                        "report": name,
                        "defect": defect["code"],
                        "line": defect["line"],
                        "reason": reason,
                    }
                )
        for clean in case["checked_clean"]:
            result = findings_of(name, clean["code"])
            if isinstance(result, str) or result:
                reason = result if isinstance(result, str) else _alarm_reason(result)
                entries.append({"report": name, "clean": clean["code"], "reason": reason})
    return entries


def _table_reason(comparison: Any) -> str:
    different, unread = comparison.outcomes("different"), comparison.outcomes("unread")
    parts = []
    if different:
        first = different[0]
        parts.append(
            f"WRONG NUMBER: {len(different)} cell(s), first {first.where}: "
            f"by eye {first.mine}, gkaudit {first.theirs}"
        )
    if unread:
        parts.append(f"{len(unread)} cell(s) unread, first {unread[0].where}")
    if comparison.note:
        parts.append(comparison.note.split(": ", 1)[0])
    return "; ".join(parts)


def _alarm_reason(findings: list[Any]) -> str:
    first = findings[0]
    return f"false alarm: {first.code} line {first.line}: {first.message('zh')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--known-failures", action="store_true", help="print today's failures as YAML"
    )
    arguments = parser.parse_args()
    if arguments.known_failures:
        print(
            yaml.safe_dump(known_failures(), allow_unicode=True, sort_keys=False, width=1000),
            end="",
        )
        return
    print(f"Real corpus: {len(case_names())} published reports (tests/data/corpus)\n")
    print("Tables: cells read by eye, and what gkaudit read for them")
    headers = ["table", "reports", "cells", "equal", "DIFFERENT", "unread", "equal %"]
    print(tabulate(table_figures(), headers=headers))
    print("\nRules: hand-read defects found (recall); clean aspects flagged (false alarms);")
    print("unparsed: checks on texts gkaudit cannot parse at all (neither found nor alarmed)")
    headers = ["rule", "defects", "found", "recall", "clean checks", "false alarms", "unparsed"]
    print(tabulate(rule_figures(), headers=headers))


if __name__ == "__main__":
    main()
