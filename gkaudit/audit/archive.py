"""The archive of every scan: one SQLite file (standard library) holding each report's model,
content hash, findings and (unit, year).

- The schema is versioned (``PRAGMA user_version``) and brought up to date by the migrations
  below, each in its own transaction; an archive newer than this gkaudit is refused.
- A scan is written in one transaction: a scan killed mid-way leaves the archive as it was.
- WAL journal: a reader (another gkaudit, a report tool) sees the last committed scan while a
  scan writes.
- A file whose bytes and rule set are unchanged since an archived scan is not parsed again:
  its model and per-report findings come from the archive (the batch rules still run).

``History`` is what the cross-document rules see of the past: the archive and/or the reports of
a ``--previous`` folder, looked up by (unit, year).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, cast

from gkaudit import __version__
from gkaudit.base.errors import GkauditError
from gkaudit.check.digest import DigestStore, ReportDigest, report_digest
from gkaudit.check.findings import Finding, Severity
from gkaudit.check.roster import Binding, Roster, bind
from gkaudit.model.report import (
    Cell,
    Problem,
    Report,
    Row,
    Section,
    Subsection,
    Table,
    Tables,
    TextLine,
    Window,
)

DEFAULT_ARCHIVE = "gkaudit-archive.sqlite"

MIGRATIONS: list[str] = [
    # 1: scans and the reports each one read
    """
    CREATE TABLE scans (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT NOT NULL,
        tool TEXT NOT NULL,
        files INTEGER NOT NULL
    );
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        scan INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        unit TEXT,
        year INTEGER,
        model TEXT NOT NULL,
        findings TEXT NOT NULL
    );
    CREATE INDEX reports_by_hash ON reports(content_hash);
    CREATE INDEX reports_by_unit_year ON reports(unit, year);
    """,
    # 2: the rule set that made the findings (a hash hit reuses them only under the same rules),
    #    the unit's name as the report writes it, and its type
    """
    ALTER TABLE reports ADD COLUMN rules TEXT NOT NULL DEFAULT '';
    ALTER TABLE reports ADD COLUMN written_unit TEXT;
    ALTER TABLE reports ADD COLUMN unit_type TEXT NOT NULL DEFAULT 'unknown';
    """,
    # 3: each model stored once per content hash, zlib-compressed (a re-scan of unchanged files
    #    adds rows, not models); reports.model is emptied
    """
    CREATE TABLE models (content_hash TEXT PRIMARY KEY, model BLOB NOT NULL);
    INSERT OR IGNORE INTO models (content_hash, model)
        SELECT content_hash, model FROM reports WHERE model != '' ORDER BY id DESC;
    UPDATE reports SET model = '';
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class ArchiveError(GkauditError):
    """The archive cannot be opened, is not a gkaudit archive, or is newer than this gkaudit."""


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: str | Path) -> str | None:
    try:
        return content_hash(Path(path).read_bytes())
    except OSError:
        return None


class Archive:
    """An open archive file. Use as a context manager, or call ``close``."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        try:
            if readonly:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
            else:
                self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as error:
            raise ArchiveError(f"archive {self.path}: cannot open: {error}") from None
        if version > SCHEMA_VERSION:
            self.db.close()
            raise ArchiveError(
                f"archive {self.path}: schema version {version} is newer than this gkaudit's "
                f"({SCHEMA_VERSION}); upgrade gkaudit"
            )
        if version < SCHEMA_VERSION:
            if readonly:
                self.db.close()
                raise ArchiveError(f"archive {self.path}: schema version {version} needs migration")
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        if version == 0 and self._has_foreign_tables():
            raise ArchiveError(f"archive {self.path}: not a gkaudit archive")
        for number in range(version, SCHEMA_VERSION):
            try:
                self.db.execute("BEGIN IMMEDIATE")
                for statement in _statements(MIGRATIONS[number]):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")
                self.db.execute("COMMIT")
            except sqlite3.Error as error:
                self.db.execute("ROLLBACK")
                raise ArchiveError(
                    f"archive {self.path}: migration to version {number + 1} failed: {error}"
                ) from None

    def _has_foreign_tables(self) -> bool:
        return bool(self.db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone())

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def reopen_readonly(self) -> None:
        """In a forked process: a connection of its own (SQLite's must not cross a fork). The
        inherited one is kept, never used nor closed: closing it here could release the
        parent's locks."""
        self._inherited = self.db
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        self.db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ----------------------------------------------------------------------------

    def cached(self, digest: str, rules: str) -> tuple[Report, list[Finding], str] | None:
        """The model, per-report findings and unit type of a file read under the same rules."""
        row = self.db.execute(
            "SELECT models.model, findings, unit_type FROM reports "
            "JOIN models USING (content_hash) "
            "WHERE content_hash = ? AND rules = ? ORDER BY id DESC LIMIT 1",
            (digest, rules),
        ).fetchone()
        if row is None:
            return None
        return _model(row[0]), findings_from_json(row[1]), row[2]

    def report_of(self, unit: str, year: int) -> Report | None:
        """The latest archived report of ``unit`` for ``year``."""
        row = self.db.execute(
            "SELECT models.model FROM reports JOIN models USING (content_hash) "
            "WHERE unit = ? AND year = ? ORDER BY id DESC LIMIT 1",
            (unit, year),
        ).fetchone()
        return _model(row[0]) if row else None

    def reports_of_year(self, year: int) -> list[tuple[str, Report]]:
        """(unit, report) for every unit's latest archived report of ``year``."""
        return list(self.iter_reports_of_year(year))

    def iter_reports_of_year(
        self, year: int, besides: frozenset[str] | set[str] = frozenset()
    ) -> Iterator[tuple[str, Report]]:
        """The same, one at a time, leaving out the units ``besides``."""
        rows = self.db.execute(
            "SELECT unit, content_hash FROM reports WHERE id IN "
            "(SELECT MAX(id) FROM reports WHERE year = ? AND unit IS NOT NULL GROUP BY unit)",
            (year,),
        ).fetchall()
        for unit, digest in rows:
            if unit in besides:
                continue
            row = self.db.execute(
                "SELECT model FROM models WHERE content_hash = ?", (digest,)
            ).fetchone()
            if row:
                yield unit, _model(row[0])

    def counts(self) -> tuple[int, int]:
        """(scans, reports) held."""
        scans = self.db.execute("SELECT COUNT(*) FROM scans").fetchone()[0]
        reports = self.db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        return scans, reports

    # --- writing ----------------------------------------------------------------------------

    def record_scan(self, entries: Iterable[dict[str, Any]], started: str) -> int:
        """Write one scan and its reports in one transaction; returns the scan's id."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            cursor = self.db.execute(
                "INSERT INTO scans (started, finished, tool, files) VALUES (?, ?, ?, 0)",
                (started, started, f"gkaudit {__version__}"),
            )
            scan_id = cursor.lastrowid
            count = 0
            for entry in entries:
                self.db.execute(
                    "INSERT OR REPLACE INTO models (content_hash, model) VALUES (?, ?)",
                    (entry["content_hash"], entry["model"]),
                )
                self.db.execute(
                    "INSERT INTO reports (scan, path, content_hash, unit, year, model, findings, "
                    "rules, written_unit, unit_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        scan_id,
                        entry["path"],
                        entry["content_hash"],
                        entry["unit"],
                        entry["year"],
                        "",
                        entry["findings"],
                        entry["rules"],
                        entry["written_unit"],
                        entry["unit_type"],
                    ),
                )
                count += 1
            self.db.execute(
                "UPDATE scans SET finished = ?, files = ? WHERE id = ?", (_now(), count, scan_id)
            )
            self.db.execute("COMMIT")
        except BaseException as error:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise ArchiveError(f"archive {self.path}: cannot write: {error}") from None
            raise
        assert scan_id is not None
        return scan_id


def _model(stored: bytes | str) -> Report:
    """A stored model: zlib-compressed JSON (version 3 on), or plain JSON migrated from before."""
    text = zlib.decompress(stored).decode("utf-8") if isinstance(stored, bytes) else stored
    return report_from_json(text)


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def archive_entry(
    report: ReportDigest, findings: list[Finding], binding: Binding, rules: str, unit_type: str
) -> dict[str, Any] | None:
    """One reports row, or None when the report's bytes were not hashed (nothing to key on)
    or its model was not kept (the worker serialises it only when a scan archives)."""
    if not report.content_hash or report.model is None:
        return None
    return {
        "path": report.path or "",
        "content_hash": report.content_hash,
        "unit": binding.unit,
        "year": report.year,
        "model": report.model,
        "findings": json.dumps([_finding_dict(f) for f in findings], ensure_ascii=False),
        "rules": rules,
        "written_unit": report.unit,
        "unit_type": unit_type,
    }


def stored_model(report: Report) -> bytes:
    """The model as the archive stores it: JSON, zlib-compressed."""
    return zlib.compress(report_to_json(report).encode("utf-8"))


def batch_digest(
    report: Report, roster: Roster | None, unit_type: str, archiving: bool
) -> ReportDigest:
    """What a scan's worker sends back for the batch rules and the archive (it sketches the
    text when it packs it, gkaudit.check.digest.pack_digest)."""
    return report_digest(report, roster, unit_type, stored_model(report) if archiving else None)


# --- the model as JSON ---------------------------------------------------------------------


def report_to_json(report: Report) -> str:
    data = {
        "path": report.path,
        "unit": report.unit,
        "year": report.year,
        "title": report.title,
        "title_line": report.title_line,
        "window": _window_dict(report.window),
        "signature_date": report.signature_date.isoformat() if report.signature_date else None,
        "signature_line": report.signature_line,
        "template": report.template,
        "sections": [
            {
                "number": s.number,
                "ordinal": s.ordinal,
                "kind": s.kind,
                "heading": s.heading,
                "line": s.line,
                "end_line": s.end_line,
                "subsections": [[sub.number, sub.heading, sub.line] for sub in s.subsections],
                "body": [[line.number, line.text] for line in s.body],
            }
            for s in report.sections
        ],
        "tables": {
            table.name: {
                "line": table.line,
                "end_line": table.end_line,
                "rows": [
                    [row.key, row.label, row.line, [list(cell) for cell in row.cells]]
                    for row in table.rows.values()
                ],
                "subtotals": {key: list(cell) for key, cell in table.subtotals.items()},
            }
            for table in report.tables.present()
        },
        "problems": [[p.kind, p.line, p.params] for p in report.problems],
        "lines": [[line.number, line.text] for line in report.lines],
        "content_hash": report.derived.get("content_hash"),
    }
    return json.dumps(data, ensure_ascii=False, default=str)


def report_from_json(text: str) -> Report:
    data = json.loads(text)
    texts = {number: line for number, line in data["lines"]}  # body lines share these strings
    tables = Tables()
    for name, table in data["tables"].items():
        rows = {
            key: Row(key, label, line, [Cell(*cell) for cell in cells])
            for key, label, line, cells in table["rows"]
        }
        subtotals = {key: Cell(*cell) for key, cell in table["subtotals"].items()}
        setattr(tables, name, Table(name, table["line"], rows, table["end_line"], subtotals))
    report = Report(
        path=data["path"],
        unit=data["unit"],
        year=data["year"],
        title=data["title"],
        title_line=data["title_line"],
        window=_window(data["window"]),
        signature_date=_day(data["signature_date"]),
        signature_line=data["signature_line"],
        template=data["template"],
        sections=[
            Section(
                number=s["number"],
                ordinal=s["ordinal"],
                kind=s["kind"],
                heading=s["heading"],
                line=s["line"],
                end_line=s["end_line"],
                subsections=[Subsection(*sub) for sub in s["subsections"]],
                body=[TextLine(number, texts.get(number, text)) for number, text in s["body"]],
            )
            for s in data["sections"]
        ],
        tables=tables,
        problems=[Problem(kind, line, params) for kind, line, params in data["problems"]],
        lines=[TextLine(*line) for line in data["lines"]],
    )
    if data.get("content_hash"):
        report.derived["content_hash"] = data["content_hash"]
    return report


def _window_dict(window: Window | None) -> dict[str, Any] | None:
    if window is None:
        return None
    return {
        "text": window.text,
        "line": window.line,
        "start": window.start.isoformat() if window.start else None,
        "end": window.end.isoformat() if window.end else None,
    }


def _window(data: dict[str, Any] | None) -> Window | None:
    if data is None:
        return None
    return Window(data["text"], data["line"], _day(data["start"]), _day(data["end"]))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _finding_dict(finding: Finding) -> dict[str, Any]:
    data = asdict(finding)
    data["severity"] = finding.severity.value
    return data


def findings_from_json(text: str) -> list[Finding]:
    return [
        Finding(**{**data, "severity": Severity(data["severity"])}) for data in json.loads(text)
    ]


# --- what the cross-document rules see of the past ----------------------------------------


class History:
    """Earlier reports by (unit, year): a ``--previous`` folder's reports, then the archive.
    The cross-document rules see them as ``ReportDigest``s, made once for the run; those read
    from the archive are spilled to a temporary file as they are read (``DigestStore``: a
    small ``DigestRef`` each in memory), so pairing a province's reports with last year's
    keeps memory flat."""

    def __init__(
        self,
        archive: Archive | None = None,
        previous: list[Report] | None = None,
        roster: Roster | None = None,
    ) -> None:
        self.archive = archive
        self.roster = roster
        self._given: dict[tuple[str, int], ReportDigest] = {}
        for report in previous or []:
            binding = bind(report, roster)
            if binding.unit and report.year and (binding.unit, report.year) not in self._given:
                self._given[(binding.unit, report.year)] = report_digest(report, roster)
        self._loaded: dict[tuple[str, int], ReportDigest | None] = {}
        self._store: DigestStore | None = None

    def _spilled(self, report: Report) -> ReportDigest:
        if self._store is None:
            self._store = DigestStore(self.roster)
        digest = report_digest(report, self.roster, sketched=True)
        return cast(ReportDigest, self._store.add(digest))

    def report_of(self, unit: str, year: int) -> ReportDigest | None:
        """The unit's report of ``year`` (its previous year's, for pairing)."""
        key = (unit, year)
        if key in self._given:
            return self._given[key]
        if key not in self._loaded:
            report = self.archive.report_of(unit, year) if self.archive else None
            self._loaded[key] = self._spilled(report) if report else None
        return self._loaded[key]

    def after_fork(self) -> None:
        """In a forked process (batch rules spread over processes): its own archive connection
        and its own spill for the reports it reads; those read before the fork stay readable."""
        if self.archive is not None:
            self.archive.reopen_readonly()
        self._store = None

    def release(self) -> None:
        """Let the archived reports read so far go (they are read again if asked for)."""
        self._loaded.clear()
        if self._store is not None:
            self._store.close()
            self._store = None
        for report in self._given.values():
            report.lighten()

    def reports_of_year(
        self, year: int, besides: frozenset[str] | set[str] = frozenset()
    ) -> list[tuple[str, ReportDigest]]:
        """(unit, report) of every earlier report of ``year`` known to the history, but for
        the units ``besides``; an archived one is digested (and spilled) as it is read."""
        found = {
            unit: report
            for (unit, y), report in self._given.items()
            if y == year and unit not in besides
        }
        if self.archive:
            skip = set(besides) | set(found)
            for unit, report in self.archive.iter_reports_of_year(year, skip):
                found[unit] = self._spilled(report)
        return sorted(found.items(), key=lambda item: item[0])
