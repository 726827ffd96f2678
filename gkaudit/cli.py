"""The command line: ``gkaudit parse`` (and, later, ``check``/``scan``)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click
from tabulate import tabulate

from gkaudit import __version__
from gkaudit.config import ConfigError, load_config
from gkaudit.engine import Audit, Engine
from gkaudit.errors import GkauditError
from gkaudit.findings import Severity
from gkaudit.html import render_html
from gkaudit.messages import describe
from gkaudit.model import REQUEST_KEYS, REVIEW_KEYS, Report
from gkaudit.outputs import render_csv, render_json, render_markdown, render_text
from gkaudit.parse import parse_text
from gkaudit.plugins import PluginError, collect_readers, plugin_manager, registrations
from gkaudit.read import DEFAULT_MAX_BYTES, read_document
from gkaudit.readers.text import TextReader
from gkaudit.sarif import render_sarif
from gkaudit.scan import (
    audit_paths,
    baseline_data,
    collect_paths,
    finalise,
    load_baseline,
    write_atomically,
)
from gkaudit.xlsx import render_xlsx

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2  # like ruff: clean, findings/bad input, usage


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gkaudit")
def main() -> None:
    """gkaudit — audit 政府信息公开工作年度报告 (open government information annual reports)."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Message language.")
@click.option(
    "--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True
)
def parse(file: str, output_format: str, lang: str, max_bytes: int) -> None:
    """Parse FILE into the report model and print it (text or JSON).

    Exits 1 when the file cannot be read, is not a report, or has none of the three tables.
    """
    try:
        readers = collect_readers(plugin_manager()) or [TextReader()]
        report = parse_text(read_document(file, readers, max_bytes), file)
    except GkauditError as error:
        _fail(error)
    if output_format == "json":
        click.echo(json.dumps(report_json(report, lang), ensure_ascii=False, indent=2))
    else:
        click.echo(report_text(report, lang))
    if not report.tables.present():
        _fail(GkauditError(_NO_TABLES[lang], path=file))


_NO_TABLES = {"zh": "未找到任何统计表（主动公开、依申请公开、复议诉讼）", "en": "no tables found"}


def _fail(error: GkauditError, code: int = EXIT_INPUT) -> None:
    click.echo(f"gkaudit: {error}", err=True)
    sys.exit(code)


def _engine_options(function):
    """--config and --rules-dir: every command that lists or runs rules takes them."""
    function = click.option(
        "--rules-dir",
        "rules_dirs",
        multiple=True,
        type=click.Path(file_okay=False, path_type=str),
        help="Folder of local rule plugins (*.py) and YAML rules (*.yml); repeatable.",
    )(function)
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=str),
        help="gkaudit.toml or pyproject.toml (default: either, in the current folder).",
    )(function)


def _load_engine(config_path: str | None, rules_dirs: tuple[str, ...], **overrides) -> Engine:
    """Configuration and plugins; their errors are usage errors (exit 2), said in one line."""
    try:
        config = load_config(config_path)
        for key, value in overrides.items():
            if value:
                setattr(config, key, value)
        return Engine.load(config, rules_dirs)
    except (ConfigError, PluginError) as error:
        _fail(error, EXIT_USAGE)
        raise  # unreachable: _fail exits


def _audit_options(function):
    """--select, --ignore, --lang, --fail-on, --exit-zero: shared by check and scan."""
    options = [
        click.option(
            "--exit-zero", is_flag=True, help="Exit 0 even when findings are at or above --fail-on."
        ),
        click.option(
            "--fail-on",
            type=click.Choice(["error", "warning", "info"]),
            default="error",
            show_default=True,
            help="Exit 1 when a finding is at or above this severity.",
        ),
        click.option(
            "--lang", type=click.Choice(["zh", "en"]), default=None, help="Message language."
        ),
        click.option(
            "--ignore",
            help="Comma-separated rule codes or prefixes to skip (added to configuration).",
        ),
        click.option(
            "--select",
            help="Comma-separated rule codes or prefixes to run (replaces configuration).",
        ),
    ]
    for option in options:
        function = option(function)
    return function


def _command_engine(
    config_path: str | None,
    rules_dirs: tuple[str, ...],
    select: str | None,
    ignore: str | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Engine:
    engine = _load_engine(config_path, rules_dirs, select=_codes(select))
    engine.config.ignore = [*engine.config.ignore, *_codes(ignore)]
    return Engine(engine.config, engine.rules, max_bytes=max_bytes, readers=engine.readers)


def _codes(value: str | None) -> list[str]:
    return [code.strip() for code in (value or "").split(",") if code.strip()]


SEVERITY_NAMES = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@_engine_options
@_audit_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def check(
    files: tuple[str, ...],
    config_path: str | None,
    rules_dirs: tuple[str, ...],
    select: str | None,
    ignore: str | None,
    lang: str | None,
    output_format: str,
    fail_on: str,
    exit_zero: bool,
) -> None:
    """Audit each FILE with every selected rule and print its findings."""
    engine = _command_engine(config_path, rules_dirs, select, ignore)
    lang = lang or engine.config.lang
    audits = [engine.audit_file(path) for path in files]
    if engine.batch_rules:
        engine.add_batch_findings(audits, [audit.report for audit in audits if audit.report])
    if output_format == "json":
        data = [_audit_json(audit, lang) for audit in audits]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for audit in audits:
            click.echo(_audit_text(audit, lang))
    _exit([(audit.path, audit.errors, audit.findings) for audit in audits], fail_on, exit_zero)


def _exit(outcomes: list[tuple[str, list[str], list]], fail_on: str, exit_zero: bool) -> None:
    """Report rule failures (exit 2); otherwise exit 1 when a finding reaches ``fail_on``."""
    for path, errors, _ in outcomes:
        for error in errors:
            click.echo(f"gkaudit: {path}: {error}", err=True)
    if any(errors for _, errors, _ in outcomes):
        sys.exit(EXIT_USAGE)
    threshold = Severity(fail_on).rank
    failed = any(f.severity.rank >= threshold for _, _, findings in outcomes for f in findings)
    sys.exit(EXIT_INPUT if failed and not exit_zero else EXIT_OK)


def _audit_json(audit: Audit, lang: str) -> dict[str, Any]:
    report = audit.report
    return {
        "path": audit.path,
        "unit": report.unit if report else None,
        "year": report.year if report else None,
        "unit_type": audit.unit_type,
        "findings": [finding.to_dict(lang) for finding in audit.findings],
    }


def _audit_text(audit: Audit, lang: str) -> str:
    report = audit.report
    unit = report.unit if report and report.unit else "?"
    head = f"{audit.path}  {unit}  ({audit.unit_type})"
    if not audit.findings:
        return f"{head}\n  {'未发现问题' if lang == 'zh' else 'no findings'}\n"
    names = SEVERITY_NAMES[lang]
    rows = [
        (f.line or "-", f.code, names[f.severity.value], f.message(lang)) for f in audit.findings
    ]
    counts = {s: sum(1 for f in audit.findings if f.severity.value == s) for s in names}
    summary = "  ".join(f"{names[s]} {n}" for s, n in counts.items())
    table = tabulate(rows, headers=["line", "code", "severity", "message"], tablefmt="simple")
    return f"{head}\n{table}\n{summary}\n"


def _crossdoc_options(function):
    """--units, --archive, --no-archive, --previous: what scan knows across documents."""
    options = [
        click.option(
            "--previous",
            type=click.Path(exists=True, path_type=str),
            help="Folder (or file) of last year's reports to pair each report with.",
        ),
        click.option(
            "--no-archive", is_flag=True, help="Do not read or write the archive (one-off use)."
        ),
        click.option(
            "--archive",
            type=click.Path(dir_okay=False, path_type=str),
            help="Archive of every scan (SQLite; default: 'archive' in configuration).",
        ),
        click.option(
            "--units",
            type=click.Path(dir_okay=False, path_type=str),
            help="The county's roster of units (units.csv / units.xlsx).",
        ),
    ]
    for option in options:
        function = option(function)
    return function


FORMATS = ("text", "json", "csv", "xlsx", "sarif", "html", "markdown")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_engine_options
@_audit_options
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write to FILE (atomically).",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, help="Processes (default: all cores)."
)
@click.option(
    "--min-severity",
    type=click.Choice(["error", "warning", "info"]),
    default="info",
    show_default=True,
    help="Hide findings below this severity.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=str),
    help="Record this scan's findings in FILE.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=str),
    help="Compare with a recorded scan: new, remaining, fixed.",
)
@click.option(
    "--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True
)
@_crossdoc_options
def scan(
    paths: tuple[str, ...],
    config_path: str | None,
    rules_dirs: tuple[str, ...],
    select: str | None,
    ignore: str | None,
    lang: str | None,
    output_format: str,
    output: str | None,
    jobs: int | None,
    fail_on: str,
    min_severity: str,
    exit_zero: bool,
    write_baseline: str | None,
    baseline_path: str | None,
    max_bytes: int,
    units: str | None,
    archive: str | None,
    no_archive: bool,
    previous: str | None,
) -> None:
    """Audit every report under PATHS (files, folders, globs) and rank them for inspection.

    Prints the ranked table (worst report first), every finding, and a summary per rule.
    """
    engine = _command_engine(config_path, rules_dirs, select, ignore, max_bytes)
    _setup_crossdoc(engine, units, archive, no_archive, previous)
    lang = lang or engine.config.lang
    if output_format == "xlsx" and not output:
        _fail(GkauditError("--format xlsx needs --output FILE"), EXIT_USAGE)
    try:
        files = collect_paths(paths, engine.suffixes)
        baseline = load_baseline(baseline_path) if baseline_path else None
    except GkauditError as error:
        _fail(error, EXIT_USAGE)
        return
    results = _audit_with_progress(engine, files, jobs or os.cpu_count() or 1, rules_dirs)
    result = finalise(results, engine.config, min_severity, baseline, baseline_path)
    try:
        if write_baseline:
            data = json.dumps(baseline_data(result.reports), ensure_ascii=False, indent=1)
            write_atomically(write_baseline, data.encode("utf-8"))
        rendered = _render(result, output_format, lang, engine)
        if output:
            write_atomically(output, rendered)
        else:
            click.echo(rendered.decode("utf-8"), nl=False)
    except GkauditError as error:
        _fail(error, EXIT_USAGE)
    _exit([(r.path, r.errors, r.counted) for r in result.reports], fail_on, exit_zero)


def _setup_crossdoc(
    engine: Engine,
    units: str | None,
    archive: str | None,
    no_archive: bool,
    previous: str | None,
) -> None:
    """Roster, archive and last year's reports for the cross-document rules (usage errors: 2)."""
    from gkaudit.archive import Archive, History
    from gkaudit.roster import load_roster

    config = engine.config
    try:
        units = units or config.units
        engine.roster = load_roster(units) if units else None
        config.archive = None if no_archive else (archive or config.archive)
        engine.archive = Archive(config.archive) if config.archive else None
        earlier = _parse_all(engine, [previous]) if previous else []
    except GkauditError as error:
        _fail(error, EXIT_USAGE)
        return
    if engine.archive is not None or earlier:
        engine.history = History(engine.archive, earlier, engine.roster)


def _parse_all(engine: Engine, paths: list[str]) -> list[Report]:
    """Parse every report under ``paths`` (no rules); an unreadable file is said and skipped."""
    reports = []
    for path in collect_paths(paths, engine.suffixes):
        try:
            text = read_document(path, engine.readers, engine.max_bytes)
            reports.append(parse_text(text, str(path)))
        except GkauditError as error:
            click.echo(f"gkaudit: {error}", err=True)
    return reports


def _audit_with_progress(
    engine: Engine, files: list, jobs: int, rules_dirs: tuple[str, ...]
) -> list:
    if not sys.stderr.isatty() or len(files) < 2:
        return audit_paths(engine, files, jobs, rules_dirs)
    with click.progressbar(length=len(files), file=sys.stderr, label="gkaudit") as bar:
        return audit_paths(engine, files, jobs, rules_dirs, progress=bar.update)


def _render(result, output_format: str, lang: str, engine: Engine) -> bytes:
    if output_format == "text":
        return render_text(result, lang).encode("utf-8")
    if output_format == "markdown":
        return render_markdown(result, lang).encode("utf-8")
    if output_format == "json":
        return render_json(result, lang)
    if output_format == "csv":
        return render_csv(result, lang)
    if output_format == "sarif":
        return render_sarif(result, engine.rules, lang)
    if output_format == "html":
        return render_html(result, lang)
    return render_xlsx(result, lang)


@main.command("units")
@click.argument("paths", nargs=-1, required=True)
@_engine_options
@click.option(
    "--units",
    type=click.Path(dir_okay=False, path_type=str),
    help="The county's roster (default: 'units' in configuration).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Message language.")
def units_command(
    paths: tuple[str, ...],
    config_path: str | None,
    rules_dirs: tuple[str, ...],
    units: str | None,
    lang: str | None,
) -> None:
    """Show which unit each report under PATHS is bound to, and the roster's units without one."""
    from gkaudit.roster import bind, load_roster

    engine = _load_engine(config_path, rules_dirs)
    lang = lang or engine.config.lang
    try:
        source = units or engine.config.units
        roster = load_roster(source) if source else None
        reports = _parse_all(engine, list(paths))
    except GkauditError as error:
        _fail(error, EXIT_USAGE)
        return
    words = _UNIT_WORDS[lang]
    rows, bound = [], set()
    for report in reports:
        binding = bind(report, roster)
        bound.add((binding.unit, report.year))
        unit = binding.unit or (words["ambiguous"] if binding.candidates else words["none"])
        how = words.get(binding.method, binding.method)
        rows.append((report.path, report.unit or "?", report.year or "?", unit, how))
    click.echo(tabulate(rows, headers=words["headers"]))
    if roster is None:
        click.echo(f"\n{words['no_roster']}")
        return
    years = sorted({year for _, year in bound if year})
    year = max(years) if years else None
    missing = [unit for unit in roster.units if (unit.name, year) not in bound]
    click.echo(f"\n{words['missing'].format(year=year or '?', count=len(missing))}")
    for unit in missing:
        click.echo(f"  {unit.name}  ({roster.source}:{unit.row})")


_UNIT_WORDS = {
    "zh": {"headers": ["文件", "报告所写单位", "年度", "名册单位", "对应方式"],
           "none": "（无对应）", "ambiguous": "（多个对应）",
           "no_roster": "未提供名册（--units）：单位按报告所写名称推定",
           "missing": "名册中没有{year}年报告的单位（{count}个）：", "name": "名称",
           "alias": "别名", "normalised": "规范化名称", "prefix": "去掉行政区划前缀",
           "file name": "文件名", "inferred": "报告所写名称"},
    "en": {"headers": ["file", "unit as written", "year", "roster unit", "matched by"],
           "none": "(no match)", "ambiguous": "(several matches)",
           "no_roster": "no roster given (--units): units inferred from the reports' own names",
           "missing": "units of the roster without a {year} report ({count}):"},
}  # fmt: skip


@main.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=str))
@click.argument("new", type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "output_format", type=click.Choice(["text", "html"]), default="text")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=str))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
def compare(old: str, new: str, output_format: str, output: str | None, lang: str) -> None:
    """Compare a unit's OLD and NEW reports: tables side by side, chains, repeated text."""
    from gkaudit.compare import render_compare_html, render_compare_text

    readers = collect_readers(plugin_manager()) or [TextReader()]
    try:
        reports = [parse_text(read_document(path, readers), path) for path in (old, new)]
    except GkauditError as error:
        _fail(error)
        return
    render = render_compare_html if output_format == "html" else render_compare_text
    rendered = render(*reports, lang)
    if output:
        try:
            write_atomically(output, rendered.encode("utf-8"))
        except GkauditError as error:
            _fail(error, EXIT_USAGE)
    else:
        click.echo(rendered, nl=False)


@main.command("rules")
@_engine_options
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
def list_rules(config_path: str | None, rules_dirs: tuple[str, ...], lang: str) -> None:
    """List every rule: code, default severity, title and source."""
    engine = _load_engine(config_path, rules_dirs)
    rows = [
        (code, rule.severity.value, rule.title.get(lang, rule.title["zh"]), rule.source)
        for code, rule in engine.rules.items()
    ]
    click.echo(tabulate(rows, headers=["code", "severity", "title", "source"]))


@main.command()
@click.argument("code")
@_engine_options
def explain(code: str, config_path: str | None, rules_dirs: tuple[str, ...]) -> None:
    """Show the documentation of rule CODE."""
    engine = _load_engine(config_path, rules_dirs)
    rule = engine.rules.get(code.upper())
    if rule is None:
        _fail(GkauditError(f"unknown rule code '{code}' (see: gkaudit rules)"), EXIT_USAGE)
        return
    click.echo(f"{rule.code} ({rule.severity.value}): {rule.title['zh']} / {rule.title['en']}")
    click.echo(f"依据 / source: {rule.source}\n")
    click.echo(rule.documentation())


@main.command()
@_engine_options
def plugins(config_path: str | None, rules_dirs: tuple[str, ...]) -> None:
    """List the loaded plugins and the rules each registers."""
    try:
        config = load_config(config_path)
        manager = plugin_manager([*config.rules_dirs, *rules_dirs])
        registered = registrations(manager)
    except (ConfigError, PluginError) as error:
        _fail(error, EXIT_USAGE)
        return
    rows = [(name, " ".join(rule.code for rule in rules)) for name, rules in registered.items()]
    click.echo(tabulate(rows, headers=["plugin", "rules"]))


def report_json(report: Report, lang: str = "zh") -> dict[str, Any]:
    """The parse output as JSON-ready data (gkaudit/schemas/report.schema.json)."""
    data = report.to_dict()
    data["problems"] = [
        {"kind": problem.kind, "line": problem.line, "message": describe(problem, lang)}
        for problem in report.problems
    ]
    return data


_LABELS = {
    "zh": {"unit": "单位", "year": "年度", "title": "标题", "window": "统计期限",
           "signature": "落款日期", "template": "格式", "sections": "章节",
           "tables": "表格", "problems": "无法读取的内容", "none": "无"},
    "en": {"unit": "unit", "year": "year", "title": "title", "window": "window",
           "signature": "signature date", "template": "template", "sections": "sections",
           "tables": "tables", "problems": "problems", "none": "none"},
}  # fmt: skip


def report_text(report: Report, lang: str = "zh") -> str:
    """A readable summary of the parsed model."""
    words = _LABELS[lang]
    window = report.window
    header = [
        (words["unit"], report.unit),
        (words["year"], report.year),
        (words["title"], report.title),
        (words["window"], f"{window.text} ({window.start} – {window.end})" if window else None),
        (words["signature"], report.signature_date),
        (words["template"], report.template),
    ]
    parts = [
        tabulate([(k, words["none"] if v is None else v) for k, v in header], tablefmt="plain")
    ]
    parts.append(f"\n{words['sections']}:")
    parts.append(
        tabulate(
            [(s.line, s.number, s.heading, s.kind or "") for s in report.sections],
            headers=["line", "no.", "heading", "kind"],
        )
    )
    parts.append(f"\n{words['tables']}:")
    parts.append(tabulate(_table_rows(report), headers=["table", "row", "line", "values"]))
    if report.problems:
        parts.append(f"\n{words['problems']}:")
        parts.extend(f"  {p.line or '-'}: {describe(p, lang)}" for p in report.problems)
    return "\n".join(parts)


def _table_rows(report: Report) -> list[tuple[str, str, int, str]]:
    rows = []
    for table in report.tables.present():
        order = {"requests": REQUEST_KEYS, "review": REVIEW_KEYS}.get(table.name, table.rows)
        for key in order:
            row = table.rows.get(key)
            if row:
                values = " ".join("·" if v is None else str(v) for v in row.values)
                rows.append((table.name, key, row.line, values))
    return rows
