"""The command line: ``gkaudit parse`` (and, later, ``check``/``scan``)."""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

import click
from tabulate import tabulate

from gkaudit import __version__
from gkaudit.config import ConfigError, load_config
from gkaudit.engine import DEFAULT_TIMEOUT, Engine
from gkaudit.errors import GkauditError
from gkaudit.findings import Severity
from gkaudit.html import render_html
from gkaudit.messages import describe
from gkaudit.model import REQUEST_KEYS, REVIEW_KEYS, Report
from gkaudit.notice import render_notices
from gkaudit.outputs import (
    UNIT_TYPES,
    location,
    render_csv,
    render_json,
    render_markdown,
    render_text,
    status_text,
)
from gkaudit.parse import parse_document
from gkaudit.plugins import PluginError, collect_readers, plugin_manager, registrations
from gkaudit.read import DEFAULT_MAX_BYTES, read_document
from gkaudit.readers.text import TextReader
from gkaudit.sarif import render_sarif
from gkaudit.scan import (
    ReportResult,
    ScanResult,
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
        report = parse_document(read_document(file, readers, max_bytes), file)
    except GkauditError as error:
        _fail(error)
    except Exception as error:  # a reader's bug on a malformed file: one line, never a traceback
        _fail(GkauditError(f"cannot read: internal error ({type(error).__name__})", path=file))
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
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Engine:
    engine = _load_engine(config_path, rules_dirs, select=_codes(select))
    engine.config.ignore = [*engine.config.ignore, *_codes(ignore)]
    return Engine(
        engine.config, engine.rules, max_bytes=max_bytes, readers=engine.readers, timeout=timeout
    )


def _codes(value: str | None) -> list[str]:
    return [code.strip() for code in (value or "").split(",") if code.strip()]


SEVERITY_NAMES = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


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


_CHECK_WORDS = {
    "zh": {"none": "未发现问题", "headers": ["行", "规则", "级别", "问题说明"]},
    "en": {"none": "no findings", "headers": ["line", "code", "severity", "message"]},
}


def _report_text(report: ReportResult, lang: str) -> str:
    """One file's findings, as ``check`` prints them."""
    unit_type = UNIT_TYPES[lang].get(report.unit_type, report.unit_type)
    head = f"{report.path}  {report.unit or '?'} · {unit_type}"
    words = _CHECK_WORDS[lang]
    if not report.findings:
        return f"{head}\n  {words['none']}\n"
    names = SEVERITY_NAMES[lang]
    rows = [
        (
            location(f, lang) if f.line or getattr(f, "page", None) else "-",
            f.code,
            names[f.severity.value],
            f.message(lang) + (f"（{status_text(f, lang)}）" if f.accepted else ""),
        )
        for f in report.findings
    ]
    counts = {s: sum(1 for f in report.counted if f.severity.value == s) for s in names}
    summary = "  ".join(f"{names[s]} {n}" for s, n in counts.items())
    table = tabulate(rows, headers=words["headers"], tablefmt="simple")
    return f"{head}\n{table}\n{summary}\n"


FORMATS = ("text", "json", "csv", "xlsx", "sarif", "html", "markdown", "docx")
EXTENSIONS = {
    ".txt": "text", ".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".sarif": "sarif",
    ".html": "html", ".htm": "html", ".md": "markdown", ".docx": "docx",
}  # fmt: skip
BINARY_FORMATS = {"xlsx", "docx"}
_WROTE = {
    "zh": "gkaudit：已写入 {path}（{format} 格式；{reports} 个文件，{findings} 个问题）",
    "en": "gkaudit: wrote {path} ({format}; {reports} files, {findings} findings)",
}


EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # as a shell reports SIGINT and SIGTERM


class _Terminated(BaseException):  # a signal, not an error: `except Exception` lets it pass
    """SIGTERM, raised where the command stands so that temporary files are removed."""


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


def _interruptible(function):
    """SIGINT and SIGTERM end the command cleanly: workers stopped, temporary files removed,
    an earlier --output left as it was; exit 130 or 143, never a traceback."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        previous = signal.signal(signal.SIGTERM, _terminated)
        try:
            return function(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("gkaudit: interrupted; no output written", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except _Terminated:
            click.echo("gkaudit: terminated; no output written", err=True)
            sys.exit(EXIT_TERMINATED)
        finally:
            signal.signal(signal.SIGTERM, previous)

    return run


def _output_options(function):
    """What check and scan share beyond the audit options: the outputs and the baseline."""
    options = [
        click.option(
            "--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True
        ),
        click.option(
            "--timeout-per-file",
            type=click.FloatRange(min=0, min_open=True),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            help="Seconds one file may take; a file over it is reported unreadable (GK901).",
        ),
        click.option(
            "--template",
            type=click.Path(exists=True, dir_okay=False, path_type=str),
            help="Your own .docx template for --format docx (default: the one shipped).",
        ),
        click.option(
            "--baseline",
            "baseline_path",
            type=click.Path(dir_okay=False, path_type=str),
            help="Compare with a recorded scan (JSON) or a filled-in 整改清单.xlsx: new, "
            "remaining, fixed, and the office's statuses.",
        ),
        click.option(
            "--write-baseline",
            type=click.Path(dir_okay=False, path_type=str),
            help="Record this scan's findings in FILE.",
        ),
        click.option(
            "--min-severity",
            type=click.Choice(["error", "warning", "info"]),
            default="info",
            show_default=True,
            help="Hide findings below this severity (scores and ranks still count them).",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=1),
            default=None,
            help="Processes (default: all cores for scan, 1 for check).",
        ),
        click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=str),
            help="Write to FILE (atomically); its extension (.xlsx .csv .json .sarif .html .md "
            ".docx) picks the format unless --format is given.",
        ),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            default=None,
            help="Output format (default: from the -o extension, else text).",
        ),
    ]
    for option in options:
        function = option(function)
    return function


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@_engine_options
@_audit_options
@_output_options
@_interruptible
def check(files: tuple[str, ...], **options: Any) -> None:
    """Audit each FILE (``-`` reads standard input) and print its findings, file by file.

    Takes the same options as ``scan``; ``-o FILE`` or ``--format`` give the same outputs.
    """
    _run(files, per_file=True, default_jobs=1, **options)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_engine_options
@_audit_options
@_output_options
@_interruptible
def scan(paths: tuple[str, ...], **options: Any) -> None:
    """Audit every report under PATHS (files, folders, globs; ``-`` reads standard input)
    and rank them for inspection.

    Prints the ranked table (worst report first), every finding, and a summary per rule.
    """
    _run(paths, per_file=False, default_jobs=os.cpu_count() or 1, **options)


def output_format_for(output: str | None, output_format: str | None) -> str:
    """--format when given, else the format the -o file's extension names, else text."""
    if output_format:
        return output_format
    if output:
        suffix = os.path.splitext(output)[1].lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
        raise GkauditError(
            f"cannot tell the format from '{output}': give --format or one of "
            + " ".join(sorted(EXTENSIONS))
        )
    return "text"


def _run(
    paths: tuple[str, ...],
    *,
    per_file: bool,
    default_jobs: int,
    config_path: str | None,
    rules_dirs: tuple[str, ...],
    select: str | None,
    ignore: str | None,
    lang: str | None,
    output_format: str | None,
    output: str | None,
    jobs: int | None,
    fail_on: str,
    min_severity: str,
    exit_zero: bool,
    write_baseline: str | None,
    baseline_path: str | None,
    template: str | None,
    max_bytes: int,
    timeout_per_file: float,
) -> None:
    engine = _command_engine(config_path, rules_dirs, select, ignore, max_bytes, timeout_per_file)
    lang = lang or engine.config.lang
    try:
        chosen = output_format_for(output, output_format)
        if chosen in BINARY_FORMATS and not output:
            raise GkauditError(f"--format {chosen} needs --output FILE")
        if template and chosen != "docx":
            raise GkauditError("--template is for the Word notices (--format docx or -o FILE.docx)")
        baseline = load_baseline(baseline_path) if baseline_path else None
    except GkauditError as error:
        _fail(error, EXIT_USAGE)
        return
    with tempfile.TemporaryDirectory(prefix="gkaudit-stdin-") as folder:
        try:
            named, stdin_name = _stdin_to_file(paths, Path(folder))
            files = collect_paths(named, engine.suffixes)
        except GkauditError as error:
            _fail(error, EXIT_USAGE)
            return
        results = _audit_with_progress(engine, files, jobs or default_jobs, rules_dirs)
    for report in results:
        if stdin_name and report.path == stdin_name:
            report.path = "-"
    result = finalise(results, engine.config, min_severity, baseline, baseline_path)
    result.rules = dict(engine.rules)
    try:
        if write_baseline:
            data = json.dumps(baseline_data(result.reports), ensure_ascii=False, indent=1)
            write_atomically(write_baseline, data.encode("utf-8"))
        if per_file and chosen == "text":
            rendered = "\n".join(_report_text(r, lang) for r in _in_given_order(result, files))
            rendered_bytes = rendered.encode("utf-8")
        else:
            rendered_bytes = _render(result, chosen, lang, engine, template)
        if output:
            write_atomically(output, rendered_bytes)
            shown = sum(len(r.findings) for r in result.reports)
            click.echo(
                _WROTE[lang].format(
                    path=output, format=chosen, reports=len(result.reports), findings=shown
                ),
                err=True,
            )
        else:
            click.echo(rendered_bytes.decode("utf-8"), nl=False)
    except GkauditError as error:
        _fail(error, EXIT_USAGE)
    _exit([(r.path, r.errors, r.counted) for r in result.reports], fail_on, exit_zero)


def _in_given_order(result: ScanResult, files: list[Path]) -> list[ReportResult]:
    order = {str(path): index for index, path in enumerate(files)}
    return sorted(result.reports, key=lambda r: order.get(r.path, -1))


def _stdin_to_file(paths: tuple[str, ...], folder: Path) -> tuple[list[str], str | None]:
    """``-`` among the paths: standard input saved to a file the readers can open."""
    if "-" not in paths:
        return list(paths), None
    data = sys.stdin.buffer.read()
    suffix = ".docx" if data[:2] == b"PK" else ".pdf" if data[:5] == b"%PDF-" else ".txt"
    target = folder / f"stdin{suffix}"
    target.write_bytes(data)
    return [str(target) if path == "-" else path for path in paths], str(target)


def _audit_with_progress(
    engine: Engine, files: list, jobs: int, rules_dirs: tuple[str, ...]
) -> list:
    if not sys.stderr.isatty() or len(files) < 2:
        return audit_paths(engine, files, jobs, rules_dirs)
    with click.progressbar(length=len(files), file=sys.stderr, label="gkaudit") as bar:
        return audit_paths(engine, files, jobs, rules_dirs, progress=bar.update)


def _render(
    result: ScanResult, output_format: str, lang: str, engine: Engine, template: str | None = None
) -> bytes:
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
    if output_format == "docx":
        return render_notices(result, lang, template)
    return render_xlsx(result, lang)


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
