"""The scan as SARIF 2.1.0, for tools that read static-analysis results."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gkaudit import __version__
from gkaudit.audit.scan import ScanResult, fingerprint
from gkaudit.check.rule import Rule

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
BASELINE_STATES = {"new": "new", "remaining": "unchanged"}


def stream_sarif(
    scan: ScanResult, rules: dict[str, type[Rule]], lang: str = "zh"
) -> Iterator[bytes]:
    """The SARIF log a result at a time, each on one line; the run's header indented."""
    used = sorted({tally[1] for tally in scan.tallies()} | {entry["code"] for entry in scan.fixed})
    index = {code: position for position, code in enumerate(used)}
    driver = {
        "name": "gkaudit",
        "version": __version__,
        "rules": [_descriptor(code, rules.get(code), lang) for code in used],
    }
    head = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0"}
    opening = json.dumps(head, ensure_ascii=False, indent=2)[:-2]  # without its closing brace
    tool = json.dumps({"driver": driver}, ensure_ascii=False, indent=2).replace("\n", "\n      ")
    yield f'{opening},\n  "runs": [\n    {{\n      "tool": {tool},\n      "results": ['.encode()
    separator = "\n        "
    for result in _results(scan, index, lang):
        yield (separator + json.dumps(result, ensure_ascii=False)).encode("utf-8")
        separator = ",\n        "
    closing = "\n      ]" if separator != "\n        " else "]"
    yield f"{closing}\n    }}\n  ]\n}}".encode()


def render_sarif(scan: ScanResult, rules: dict[str, type[Rule]], lang: str = "zh") -> bytes:
    return b"".join(stream_sarif(scan, rules, lang))


def _results(scan: ScanResult, index: dict[str, int], lang: str) -> Iterator[dict[str, Any]]:
    for report, finding in scan.findings:
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": LEVELS[finding.severity.value],
            "message": {"text": finding.message(lang)},
            "locations": [_location(report.path, finding.line)],
            "partialFingerprints": {"gkaudit/v1": fingerprint(report, finding)},
            "properties": {"unit": report.unit, "year": report.year, "evidence": finding.evidence},
        }
        if finding.accepted:
            result["suppressions"] = [{"kind": "external", "justification": finding.accepted}]
        if scan.baseline is not None and finding.status:
            result["baselineState"] = BASELINE_STATES[finding.status]
        yield result
    for entry in scan.fixed:
        yield {
            "ruleId": entry["code"],
            "ruleIndex": index[entry["code"]],
            "level": "none",
            "message": {"text": entry["message"]},
            "locations": [_location(entry["path"], None)],
            "partialFingerprints": {"gkaudit/v1": entry["fingerprint"]},
            "baselineState": "absent",
        }


def _location(path: str, line: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": Path(path).as_posix()}}
    if line:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _descriptor(code: str, rule: type[Rule] | None, lang: str) -> dict[str, Any]:
    if rule is None:
        return {"id": code}
    return {
        "id": code,
        "name": rule.__name__,
        "shortDescription": {"text": rule.title.get(lang, rule.title["zh"])},
        "fullDescription": {"text": rule.source},
        "help": {"text": rule.documentation() or rule.title["en"]},
        "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
    }
