"""The batch stage of a scan: batch findings spilled as rules yield them, filed per report."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import pytest

from gkaudit.audit import engine as engine_module
from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine, _order
from gkaudit.audit.scan import (
    Batch,
    Entry,
    Outcome,
    ReportResult,
    Spill,
    _placed,
    audit_paths,
    header_of,
    settle,
)
from gkaudit.base.spool import Spool
from gkaudit.check.findings import Finding, Severity
from gkaudit.check.rule import BatchRule

SAMPLES = Path(__file__).resolve().parent.parent / "reports_sample"


class EveryReport(BatchRule):
    """Test rule: one finding on every report."""

    code = "XB001"
    severity = Severity.INFO
    title: ClassVar = {"zh": "测试", "en": "test"}
    source = "test"
    messages: ClassVar = {"seen": {"zh": "见到{unit}", "en": "saw {unit}"}}

    def check_batch(self, reports, context):
        for report in reports:
            yield self.finding("seen", report=report, line=report.title_line, unit=report.unit)


class HalfThenFail(EveryReport):
    """Test rule: a finding, then a crash."""

    code = "XB002"

    def check_batch(self, reports, context):
        yield self.finding("seen", report=reports[0], line=1, unit="?")
        raise RuntimeError("bug")


def _scan(rules, paths=None, roster=None, jobs=1):
    engine = Engine.load(Config(select=["GK608"]))
    engine.roster = roster
    for rule in rules:
        engine.rules[rule.code] = engine.active[rule.code] = rule
    paths = paths or sorted(SAMPLES.glob("*.txt"))
    batch = audit_paths(engine, paths, jobs, excerpts=False)
    try:
        return [(Path(r.path).name, [f.code for f in r.findings], r.errors) for r in batch]
    finally:
        batch.close()


def test_each_report_gets_its_batch_findings_and_a_failing_rule_files_none():
    results = _scan([EveryReport, HalfThenFail])
    assert len(results) == 5
    assert all(codes.count("XB001") == 1 for _, codes, _ in results)
    assert not any("XB002" in codes for _, codes, _ in results)
    errors = [error for _, _, errors in results for error in errors]
    assert errors == ["batch rule XB002 failed: RuntimeError: bug"]


PARENT = os.getpid()


@pytest.fixture(autouse=True)
def spread_small_batches(monkeypatch):
    """The samples are a small batch: spread its rules all the same (see SPREAD_FROM)."""
    monkeypatch.setattr(engine_module, "SPREAD_FROM", 0)


class SlowHere(EveryReport):
    """Test rule: takes a second in the scan's own process (so a forked one takes the next)."""

    code = "XB003"

    def check_batch(self, reports, context):
        if os.getpid() == PARENT:
            time.sleep(1)
        yield from super().check_batch(reports, context)


class DiesElsewhere(EveryReport):
    """Test rule: ends the forked process running it."""

    code = "XB004"

    def check_batch(self, reports, context):
        if os.getpid() != PARENT:
            os._exit(7)
        yield from super().check_batch(reports, context)


def test_batch_rules_spread_over_processes_file_the_same_findings_in_the_same_order():
    rules = [EveryReport, HalfThenFail, SlowHere]
    assert _scan(rules, jobs=2) == _scan(rules, jobs=1)


class HeavyThenFail(HalfThenFail):
    """Test rule: a heavy one (started first), failing."""

    code = "XB005"
    cost = 5


def test_a_small_batch_runs_its_rules_in_this_process(monkeypatch):
    monkeypatch.setattr(engine_module, "SPREAD_FROM", 2000)
    results = _scan([SlowHere, DiesElsewhere], jobs=2)  # spread, XB004 would end its process
    assert all(codes == ["XB003", "XB004"] and not errors for _, codes, errors in results)


def test_heaviest_rules_start_first_yet_results_keep_the_rules_order():
    rules = [HalfThenFail, EveryReport, HeavyThenFail]
    for jobs in (1, 2):
        results = _scan(rules, jobs=jobs)
        errors = [error for _, _, errors in results for error in errors]
        assert errors == [
            "batch rule XB002 failed: RuntimeError: bug",
            "batch rule XB005 failed: RuntimeError: bug",
        ]


def test_a_batch_rule_whose_process_dies_is_a_failure_and_costs_no_other_finding():
    results = _scan([SlowHere, DiesElsewhere, EveryReport], jobs=2)
    assert all(codes == ["XB001", "XB003"] for _, codes, _ in sorted(results)), results
    errors = [error for _, _, errors in results for error in errors]
    assert errors == ["batch rule XB004 failed: its process ended (exit code 7)"]


def test_a_lone_file_with_nothing_to_compare_skips_the_batch_rules(tmp_path):
    lone = sorted(SAMPLES.glob("*.txt"))[:1]
    assert _scan([EveryReport], lone) == [(lone[0].name, [], [])]
    roster = tmp_path / "units.csv"
    roster.write_text("名称,类型\n边路口乡,乡镇\n", encoding="utf-8")
    from gkaudit.check.roster import load_roster

    [(_, codes, _)] = _scan([EveryReport], lone, load_roster(str(roster)))
    assert "XB001" in codes  # a roster is something to compare with


def _finding(code, severity, line, message):
    return Finding(code, severity, {"zh": message, "en": message}, "a.txt", line, unit="甲乡")


@pytest.mark.parametrize("weights", [{}, {"error": 0.1, "warning": 0.1, "info": 0.1}])
def test_batch_findings_filed_apart_load_and_count_as_if_merged_into_the_result(weights):
    """A scan files batch findings beside the stored result (not read and written again):
    loaded, ranked and counted, it is what settling the merged result gives, whatever the
    weights (sums of 0.1s depend on their order; scores do not)."""
    config = Config(accept=[{"code": "XB9", "contains": "准", "reason": "批准"}])
    config.weights.update(weights)
    own = [_finding("GK301", Severity.ERROR, 5, "表一"), _finding("GK501", Severity.INFO, 9, "收费")]
    own += [_finding("GK502", Severity.WARNING, 3, "甲")] * 2
    extra = [
        _finding("XB901", Severity.WARNING, 5, "同行"),
        _finding("XB902", Severity.ERROR, 2, "批准的"),  # accepted
        _finding("XB901", Severity.ERROR, 9, "后面"),
        _finding("XB903", Severity.WARNING, 1, "前面"),
    ]

    def stored():
        return settle(ReportResult("a.txt", "甲乡", 2024, "township", list(own)), config)

    eager = settle(replace(stored(), findings=[*own, *extra]), config)
    eager.findings.sort(key=_order)
    batch = Batch(config)
    batch.add(stored())
    batch.merge_one(0, Outcome("a.txt", "township", findings=list(extra)))
    [entry] = batch.entries
    loaded = batch.load(entry)
    assert loaded.findings == eager.findings and loaded.score == eager.score
    assert entry.extra >= 0
    fresh = Entry(0, 0, header_of(eager))
    for name in ("score", "counts", "tally", "errors"):
        assert getattr(entry, name) == getattr(fresh, name), name
    batch.replace(entry, loaded)  # stored again whole: filed once, not merged twice
    assert entry.extra == -1 and batch.load(entry).findings == eager.findings
    batch.close()


def test_batch_rules_run_here_when_no_process_can_be_forked(monkeypatch):
    import multiprocessing

    from gkaudit.audit import spread

    class NoProcess:
        def __init__(self, **_arguments):
            pass

        def start(self):
            raise OSError(11, "Resource temporarily unavailable")

    fork = multiprocessing.get_context("fork")
    refusing = type("Refusing", (), {"Pipe": fork.Pipe, "Value": fork.Value, "Process": NoProcess})
    monkeypatch.setattr(spread, "_fork_context", refusing)
    rules = [EveryReport, HalfThenFail]
    assert _scan(rules, jobs=2) == _scan(rules, jobs=1)


def test_a_worker_whose_file_cannot_be_written_sends_its_result_through_the_pipe():
    class Full(Spill):
        def put(self, data):
            raise OSError(28, "No space left on device")

    pair = ((("header",), b"pickled result"), None)
    full, spill, spool = Full(), Spill(), Spool()
    try:
        assert _placed(pair, full, spool) == pair
        assert _placed(pair, spill, spool)[0] == (("header",), 0)  # else: its offset
    finally:
        for file in (full, spill, spool):
            file.close()
