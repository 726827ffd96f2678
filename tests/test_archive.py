"""The archive: schema migrations, one transaction per scan, hash hits, concurrent readers."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner
from crossdoc_batch import CARRIED_FORWARD, DAYU, set_row, write, years_back

from gkaudit.audit.archive import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Archive,
    ArchiveError,
    History,
    report_from_json,
    report_to_json,
)
from gkaudit.audit.spread import spread
from gkaudit.base.spool import Spool
from gkaudit.cli import main
from gkaudit.parse.parser import parse_text


def scan(*args):
    result = CliRunner().invoke(main, ["scan", *args, "--format", "json", "--jobs", "1"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_the_model_survives_the_archive():
    report = parse_text(DAYU, "dayu.txt")
    again = report_from_json(report_to_json(report))
    assert again.to_dict() == report.to_dict()
    assert again.lines == report.lines


def test_an_old_archive_is_migrated_and_keeps_its_reports(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO scans VALUES (1, 'a', 'b', 'gkaudit 0.0', 1)")
    model = report_to_json(parse_text(years_back(DAYU), "dayu-2023.txt"))
    db.execute(
        "INSERT INTO reports (scan, path, content_hash, unit, year, model, findings) "
        "VALUES (1, 'dayu-2023.txt', 'x', '大峪镇', 2023, ?, '[]')",
        (model,),
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Archive(path) as archive:
        assert archive.version == SCHEMA_VERSION
        assert archive.report_of("大峪镇", 2023).year == 2023
        assert archive.cached("x", "") is not None  # the new column's default


def test_a_newer_or_foreign_file_is_refused(tmp_path):
    newer = tmp_path / "newer.sqlite"
    sqlite3.connect(newer).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ArchiveError, match="newer"):
        Archive(newer)
    foreign = tmp_path / "foreign.sqlite"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    with pytest.raises(ArchiveError, match="not a gkaudit archive"):
        Archive(foreign)


def test_last_years_scan_pairs_this_years_and_unchanged_files_are_not_parsed(tmp_path):
    archive = str(tmp_path / "a.sqlite")
    write(
        tmp_path / "2023",
        "dayu.txt",
        set_row(years_back(DAYU), CARRIED_FORWARD, [1, 0, 0, 0, 0, 0, 1]),
    )
    write(tmp_path / "2024", "dayu.txt", DAYU)
    scan(str(tmp_path / "2023"), "--archive", archive)
    data = scan(str(tmp_path / "2024"), "--archive", archive, "--select", "GK601")
    assert [f["code"] for f in data["reports"][0]["findings"]] == ["GK601"]
    with Archive(archive) as stored:
        assert stored.counts() == (2, 2)
    # The 2024 file again: a hash hit. Prove it is not parsed: break the parser for this run.
    script = textwrap.dedent(f"""
        import sys, gkaudit.audit.engine
        def broken(*a, **k): raise SystemExit("parsed again")
        gkaudit.audit.engine.parse_text = broken
        from gkaudit.cli import main
        sys.argv = ["gkaudit", "scan", {str(tmp_path / "2024")!r}, "--archive", {archive!r},
                    "--select", "GK601", "--format", "json", "--jobs", "1"]
        main()
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert [f["code"] for f in json.loads(done.stdout)["reports"][0]["findings"]] == ["GK601"]
    with Archive(archive) as stored:
        assert stored.counts() == (3, 3)  # every scan is recorded ...
        assert (
            stored.db.execute("SELECT COUNT(*) FROM models").fetchone()[0] == 2
        )  # ... models once
    no_archive = scan(
        str(tmp_path / "2024"), "--archive", archive, "--no-archive", "--select", "GK601"
    )
    assert no_archive["reports"][0]["findings"] == []  # nothing to pair with


def test_a_forked_process_reads_the_archive_through_a_connection_of_its_own(tmp_path):
    """Batch rules spread over processes (--jobs 2) read earlier reports in a forked child."""
    archive = str(tmp_path / "a.sqlite")
    write(tmp_path / "2023", "dayu.txt", years_back(DAYU))
    scan(str(tmp_path / "2023"), "--archive", archive)
    parent = os.getpid()
    with Archive(archive, readonly=True) as stored:
        history = History(stored)

        def task(index, spool):
            if os.getpid() == parent:
                time.sleep(1)  # the other task is the child's
            years = [report.year for _unit, report in history.reports_of_year(2023)]
            return os.getpid() != parent, years, hasattr(stored, "_inherited")

        results, spools, failed = spread(task, 2, 2, Spool(), history.after_fork)
        assert failed == [] and len(spools) == 1
        assert sorted(result for _spool, result in results.values()) == [
            (False, [2023], False),
            (True, [2023], True),  # read through the child's own connection
        ]
        history.release()


def test_a_reader_sees_the_last_committed_scan_while_a_scan_writes(tmp_path):
    path = tmp_path / "a.sqlite"
    report = parse_text(DAYU, "dayu.txt")
    report.derived["content_hash"] = "h1"
    entry = {"path": "dayu.txt", "content_hash": "h1", "unit": "大峪镇", "year": 2024,
             "model": report_to_json(report), "findings": "[]", "rules": "r",
             "written_unit": "大峪镇人民政府", "unit_type": "township"}  # fmt: skip
    with Archive(path) as writer:
        writer.record_scan([entry], "t0")

        def entries():
            yield entry
            with Archive(path, readonly=True) as reader:  # mid-transaction, another connection
                assert reader.counts() == (1, 1)
                assert reader.report_of("大峪镇", 2024) is not None
            yield {**entry, "content_hash": "h2"}

        writer.record_scan(entries(), "t1")
        assert writer.counts() == (2, 3)


def test_a_scan_killed_mid_way_leaves_the_archive_as_it_was(tmp_path):
    path = tmp_path / "a.sqlite"
    with Archive(path) as archive:
        archive.record_scan([], "t0")
    script = textwrap.dedent(f"""
        import os
        from gkaudit.audit.archive import Archive
        def entries():
            row = {{"path": "p", "content_hash": "h", "unit": "u", "year": 2024, "model": "{{}}",
                    "findings": "[]", "rules": "r", "written_unit": "u", "unit_type": "township"}}
            yield row
            yield row
            os.kill(os.getpid(), 9)  # killed in the middle of writing the scan
        Archive({str(path)!r}).record_scan(entries(), "t1")
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == -9
    with Archive(path) as archive:
        assert archive.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert archive.counts() == (1, 0)


def test_an_edited_rule_is_not_answered_from_the_archive(tmp_path):
    """The archive reuses a file's findings only under the same rules: a YAML rule whose text
    changed (or an upgraded rule module) is another rule."""
    from gkaudit.audit.config import Config
    from gkaudit.audit.engine import Engine

    rules = tmp_path / "rules"
    rules.mkdir()
    rule = rules / "office.yml"
    text = textwrap.dedent(
        """\
        rules:
          - code: XQ001
            severity: warning
            title: {zh: 未说明处理费, en: no fee statement}
            message: {zh: "“{section}”中没有“{phrase}”", en: "'{section}' lacks '{phrase}'"}
            check: {required-phrase: "信息处理费", section: 6}
        """
    )
    rule.write_text(text, "utf-8")
    before = Engine.load(Config(), [str(rules)]).rules_fingerprint
    assert Engine.load(Config(), [str(rules)]).rules_fingerprint == before
    rule.write_text(text.replace("信息处理费", "政务公开"), "utf-8")
    assert Engine.load(Config(), [str(rules)]).rules_fingerprint != before
