"""The command line: ``gkaudit parse`` (and, later, ``check``/``scan``)."""

from __future__ import annotations

import functools
import importlib
import json
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gkaudit import __version__
from gkaudit.audit.config import ConfigError, load_config
from gkaudit.base.errors import GkauditError
from gkaudit.base.i18n import (
    LANGS,
    MESSAGES,
    SEVERITY,
    UNIT_TYPES,
    WORDS,
    did_you_mean,
    error_text,
    location,
    reason_texts,
    resolve_lang,
    status_text,
    text,
    use_click_language,
)
from gkaudit.read.source import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT

# The model, the engine, the grammar, the plugins and the outputs (tabulate included) load in
# the commands that use them: `gkaudit --help` needs none of them, `check` no output library
# (a quick start).
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import BinaryIO

    from gkaudit.audit.engine import Engine
    from gkaudit.audit.scan import Batch, ReportResult, ScanResult
    from gkaudit.check.rule import Rule
    from gkaudit.model.report import Report

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2  # like ruff: clean, findings/bad input, usage


class LocalisedGroup(click.Group):
    """Resolves the language from the arguments, GKAUDIT_LANG or the configuration before
    click parses anything, so that help texts and click's own errors are in that language."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        global _LANG
        _LANG = resolve_lang(args, config_lang=_configured_lang)
        localise(self, _LANG)
        return super().make_context(info_name, args, parent, **extra)


_LANG = "zh"  # the language of this run, resolved by LocalisedGroup.main
_PATH_NAMES = {"file": "文件", "directory": "文件夹", "path": "路径"}


def _configured_lang(config_path: str | None) -> str | None:
    try:
        return load_config(config_path).lang
    except GkauditError:
        return None


def _lang(explicit: str | None = None) -> str:
    return explicit or _LANG


def localise(group: click.Group, lang: str) -> None:
    """Help texts, metavars and click's own texts of every command in ``lang``."""
    use_click_language(lang)
    group.subcommand_metavar = text("var.command", lang)
    for name, command in [("main", group), *group.commands.items()]:
        if f"help.{name}" in MESSAGES:
            command.help = text(f"help.{name}", lang)
            command.short_help = text(f"short.{name}", lang)
        command.options_metavar = text("var.options", lang)
        command._help_option = None  # click caches the help option with its text
        for param in command.params:
            _localise_param(name, param, lang)


def _localise_param(command: str, param: click.Parameter, lang: str) -> None:
    for key in (f"opt.{command}.{param.name}", f"opt.{param.name}"):
        if key in MESSAGES and isinstance(param, click.Option):
            param.help = text(key, lang)
            break
    if f"var.{param.name}" in MESSAGES:
        param.metavar = text(f"var.{param.name}", lang)
    if isinstance(param.type, click.Path):
        english = {zh: en for en, zh in _PATH_NAMES.items()}.get(param.type.name, param.type.name)
        param.type.name = _PATH_NAMES.get(english, english) if lang == "zh" else english


def _lang_option(function):
    return click.option("--lang", type=click.Choice(LANGS), default=None)(function)


@click.group(cls=LocalisedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gkaudit", message="%(prog)s %(version)s")
@_lang_option
def main(lang: str | None) -> None:
    """gkaudit: audit government information disclosure annual reports."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@_lang_option
@click.option(
    "--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True
)
def parse(file: str, output_format: str, lang: str, max_bytes: int) -> None:
    """Parse FILE into the report model and print it (text or JSON).

    Exits 1 when the file cannot be read, is not a report, or has none of the three tables.
    """
    from gkaudit.parse.parser import parse_document
    from gkaudit.plugins import collect_readers, plugin_manager
    from gkaudit.read.readers.text import TextReader
    from gkaudit.read.source import read_document

    lang = _lang(lang)
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
        _fail(LocalisedError("err.no_tables", path=file))


class LocalisedError(GkauditError):
    """An error of the command line itself, said from the catalogue in the run's language."""

    def __init__(self, message_key: str, /, *, path: str | None = None, **params: Any) -> None:
        super().__init__(text(message_key, "en", **params), path=path)
        self.message_key, self.params = message_key, params


def _fail(error: GkauditError, code: int = EXIT_INPUT) -> None:
    """Say the error in one line, in the run's language, and exit."""
    line = " ".join(error_text(error, _LANG).split())
    click.echo(f"{text('err.prefix', _LANG)}{line}", err=True)
    sys.exit(code)


def _engine_options(function):
    """--config and --rules-dir: every command that lists or runs rules takes them."""
    function = click.option(
        "--rules-dir",
        "rules_dirs",
        multiple=True,
        type=click.Path(file_okay=False, path_type=str),
    )(function)
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=str),
    )(function)


def _load_engine(config_path: str | None, rules_dirs: tuple[str, ...], **overrides) -> Engine:
    """Configuration and plugins; their errors are usage errors (exit 2), said in one line."""
    from gkaudit.audit.engine import Engine
    from gkaudit.plugins import PluginError

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
        click.option("--exit-zero", is_flag=True),
        click.option(
            "--fail-on",
            type=click.Choice(["error", "warning", "info"]),
            default="error",
            show_default=True,
        ),
        click.option("--lang", type=click.Choice(LANGS), default=None),
        click.option(
            "--ignore",
        ),
        click.option(
            "--select",
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
    from gkaudit.audit.engine import Engine

    engine = _load_engine(config_path, rules_dirs, select=_codes(select))
    engine.config.ignore = [*engine.config.ignore, *_codes(ignore)]
    return Engine(
        engine.config, engine.rules, max_bytes=max_bytes, readers=engine.readers, timeout=timeout
    )


def _codes(value: str | None) -> list[str]:
    return [code.strip() for code in (value or "").split(",") if code.strip()]


def _exit(outcomes: list[tuple[str, list[str], list]], fail_on: str, exit_zero: bool) -> None:
    """Report rule failures (exit 2); otherwise exit 1 when a finding reaches ``fail_on``."""
    for path, errors, _ in outcomes:
        for error in errors:
            reason = reason_texts(error)[_LANG]
            message = text("err.rule_failed", _LANG, path=path, error=reason)
            click.echo(f"{text('err.prefix', _LANG)}{message}", err=True)
    if any(errors for _, errors, _ in outcomes):
        sys.exit(EXIT_USAGE)
    from gkaudit.check.findings import Severity

    threshold = Severity(fail_on).rank
    failed = any(f.severity.rank >= threshold for _, _, findings in outcomes for f in findings)
    sys.exit(EXIT_INPUT if failed and not exit_zero else EXIT_OK)


def _report_text(report: ReportResult, lang: str) -> str:
    """One file's findings, as ``check`` prints them."""
    unit_type = UNIT_TYPES[lang].get(report.unit_type, report.unit_type)
    head = f"{report.path}  {report.unit or text('out.unknown_unit', lang)} · {unit_type}"
    if not report.findings:
        return f"{head}\n  {WORDS[lang]['none']}\n"
    names = SEVERITY[lang]
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
    headers = [WORDS[lang][key] for key in ("where", "code", "severity", "message")]
    from tabulate import tabulate

    table = tabulate(rows, headers=headers, tablefmt="simple")
    return f"{head}\n{table}\n{summary}\n"


FORMATS = ("text", "json", "csv", "xlsx", "sarif", "html", "markdown", "docx")
EXTENSIONS = {
    ".txt": "text", ".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".sarif": "sarif",
    ".html": "html", ".htm": "html", ".md": "markdown", ".docx": "docx",
}  # fmt: skip
BINARY_FORMATS = {"xlsx", "docx"}
OUTPUT_MODULES = {  # the module rendering each format
    **dict.fromkeys(("text", "json", "csv", "markdown"), "gkaudit.outputs.render"),
    "sarif": "gkaudit.outputs.sarif",
    "html": "gkaudit.outputs.html",
    "docx": "gkaudit.outputs.notice",
    "xlsx": "gkaudit.outputs.xlsx",
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


def _crossdoc_options(function):
    """--units, --archive, --no-archive, --previous: what check and scan know across documents."""
    options = [
        click.option("--previous", type=click.Path(exists=True, path_type=str)),
        click.option("--no-archive", is_flag=True),
        click.option("--archive", type=click.Path(dir_okay=False, path_type=str)),
        click.option("--units", type=click.Path(dir_okay=False, path_type=str)),
    ]
    for option in options:
        function = option(function)
    return function


def _setup_crossdoc(
    engine: Engine,
    units: str | None,
    archive: str | None,
    no_archive: bool,
    previous: str | None,
) -> None:
    """Roster, archive and last year's reports for the cross-document rules (usage errors: 2)."""
    config = engine.config
    if not (units or config.units or archive or config.archive or previous):
        return  # nothing across documents to set up (and nothing more to import: quick start)
    from gkaudit.audit.archive import Archive, History
    from gkaudit.check.roster import load_roster

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
    from gkaudit.audit.scan import collect_paths
    from gkaudit.parse.parser import parse_document
    from gkaudit.read.source import read_document

    reports = []
    for path in collect_paths(paths, engine.suffixes):
        try:
            document = read_document(path, engine.readers, engine.max_bytes)
            reports.append(parse_document(document, str(path)))
        except GkauditError as error:
            click.echo(f"gkaudit: {error_text(error, _LANG)}", err=True)
    return reports


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
        ),
        click.option(
            "--baseline",
            "baseline_path",
            type=click.Path(dir_okay=False, path_type=str),
        ),
        click.option(
            "--write-baseline",
            type=click.Path(dir_okay=False, path_type=str),
        ),
        click.option(
            "--min-severity",
            type=click.Choice(["error", "warning", "info"]),
            default="info",
            show_default=True,
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=1),
            default=None,
        ),
        click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=str),
        ),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            default=None,
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
@_crossdoc_options
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
@_crossdoc_options
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
        raise LocalisedError(
            "err.unknown_format", output=output, extensions=" ".join(sorted(EXTENSIONS))
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
    units: str | None,
    archive: str | None,
    no_archive: bool,
    previous: str | None,
) -> None:
    from gkaudit.audit.scan import (
        collect_paths,
        finalise,
        load_baseline,
        write_atomically,
        write_baseline_file,
    )

    engine = _command_engine(config_path, rules_dirs, select, ignore, max_bytes, timeout_per_file)
    _setup_crossdoc(engine, units, archive, no_archive, previous)
    lang = lang or _LANG
    try:
        chosen = output_format_for(output, output_format)
        if chosen in BINARY_FORMATS and not output:
            raise LocalisedError("err.needs_output", format=chosen)
        if template and chosen != "docx":
            raise LocalisedError("err.template_docx")
        baseline = load_baseline(baseline_path) if baseline_path else None
    except GkauditError as error:
        _fail(error, EXIT_USAGE)
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="gkaudit-stdin-") as folder:
        try:
            named, stdin_name = _stdin_to_file(paths, Path(folder))
            if stdin_name:
                engine.shown_names[stdin_name] = "-"
            files = collect_paths(named, engine.suffixes)
        except GkauditError as error:
            _fail(error, EXIT_USAGE)
            return
        renderer = "tabulate" if per_file and chosen == "text" else OUTPUT_MODULES[chosen]
        results = _audit_with_progress(
            engine, files, jobs or default_jobs, rules_dirs, renderer, excerpts=chosen == "html"
        )
    if stdin_name:
        results.rename(stdin_name, "-")
    result = finalise(results, engine.config, min_severity, baseline, baseline_path)
    result.rules = dict(engine.rules)
    try:
        if write_baseline:
            write_baseline_file(write_baseline, result.reports)
        rendered: bytes | Iterable[bytes] | Callable[[BinaryIO], None]
        if per_file and chosen == "text":
            checked = "\n".join(_report_text(r, lang) for r in _in_given_order(result, files))
            rendered = checked.encode("utf-8")
        else:
            rendered = _render(result, chosen, lang, engine, template)
        if output:
            write_atomically(output, rendered)
            shown = result.shown
            click.echo(
                text(
                    "out.wrote",
                    lang,
                    path=output,
                    format=chosen,
                    reports=len(files),  # files scanned (roster units without one are not files)
                    findings=shown,
                ),
                err=True,
            )
        else:
            _echo_chunks(rendered)
    except GkauditError as error:
        _fail(error, EXIT_USAGE)
    finally:
        results.close()
    _exit(result.exit_outcomes(), fail_on, exit_zero)


def _echo_chunks(rendered: bytes | Iterable[bytes] | Callable[[BinaryIO], None]) -> None:
    """A text output on standard output, as it is rendered (binary formats need -o)."""
    chunks = [rendered] if isinstance(rendered, bytes) else rendered
    assert not callable(chunks)
    for chunk in chunks:
        click.echo(chunk.decode("utf-8"), nl=False)


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
    engine: Engine,
    files: list,
    jobs: int,
    rules_dirs: tuple[str, ...],
    renderer: str,
    excerpts: bool,
) -> Batch:
    """``renderer``: the module the output needs, imported while the workers audit the first
    files (a check of one file waits less)."""
    from gkaudit.audit.scan import audit_paths

    def load_renderer() -> object:
        return importlib.import_module(renderer)

    if not sys.stderr.isatty() or len(files) < 2:
        return audit_paths(engine, files, jobs, rules_dirs, None, excerpts, load_renderer)
    with click.progressbar(length=len(files), file=sys.stderr, label="gkaudit") as bar:
        return audit_paths(engine, files, jobs, rules_dirs, bar.update, excerpts, load_renderer)


def _render(
    result: ScanResult, output_format: str, lang: str, engine: Engine, template: str | None = None
) -> bytes | Iterable[bytes] | Callable[[BinaryIO], None]:
    """The output: its bytes, or chunks of them as they are rendered, or (xlsx) a function
    that writes it into a file."""
    from gkaudit.outputs import render as outputs

    if output_format == "text":
        return outputs.render_text(result, lang).encode("utf-8")
    if output_format == "markdown":
        return (chunk.encode("utf-8") for chunk in outputs.stream_markdown(result, lang))
    if output_format == "json":
        return outputs.stream_json(result, lang)
    if output_format == "csv":
        return outputs.stream_csv(result, lang)
    if output_format == "sarif":
        from gkaudit.outputs.sarif import stream_sarif

        return stream_sarif(result, engine.rules, lang)
    if output_format == "html":
        from gkaudit.outputs.html import render_html

        return render_html(result, lang)
    if output_format == "docx":
        from gkaudit.outputs.notice import render_notices

        return render_notices(result, lang, template)
    from gkaudit.outputs.xlsx import write_xlsx

    return lambda handle: write_xlsx(result, lang, handle)


@main.command("units")
@click.argument("paths", nargs=-1, required=True)
@_engine_options
@click.option("--units", type=click.Path(dir_okay=False, path_type=str))
@_lang_option
def units_command(
    paths: tuple[str, ...],
    config_path: str | None,
    rules_dirs: tuple[str, ...],
    units: str | None,
    lang: str | None,
) -> None:
    """Show which unit each report under PATHS is bound to, and the roster's units without one."""
    from tabulate import tabulate

    from gkaudit.check.roster import bind, load_roster

    engine = _load_engine(config_path, rules_dirs)
    lang = _lang(lang)
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
    click.echo(tabulate(rows, headers=_UNIT_HEADERS[lang]))
    if roster is None:
        click.echo(f"\n{words['no_roster']}")
        return
    years = sorted({year for _, year in bound if year})
    year = max(years) if years else None
    missing = [unit for unit in roster.units if (unit.name, year) not in bound]
    click.echo(f"\n{words['missing'].format(year=year or '?', count=len(missing))}")
    for roster_unit in missing:
        click.echo(f"  {roster_unit.name}  ({roster.source}:{roster_unit.row})")


_UNIT_HEADERS = {
    "zh": ["文件", "报告所写单位", "年度", "名册单位", "对应方式"],
    "en": ["file", "unit as written", "year", "roster unit", "matched by"],
}
_UNIT_WORDS = {
    "zh": {"none": "（无对应）", "ambiguous": "（多个对应）",
           "no_roster": "未提供名册（--units）：单位按报告所写名称推定",
           "missing": "名册中没有{year}年报告的单位（{count}个）：", "name": "名称",
           "alias": "别名", "normalised": "规范化名称", "prefix": "去掉行政区划前缀",
           "file name": "文件名", "inferred": "报告所写名称"},
    "en": {"none": "(no match)", "ambiguous": "(several matches)",
           "no_roster": "no roster given (--units): units inferred from the reports' own names",
           "missing": "units of the roster without a {year} report ({count}):"},
}  # fmt: skip


@main.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=str))
@click.argument("new", type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "output_format", type=click.Choice(["text", "html"]), default="text")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=str))
@_lang_option
def compare(old: str, new: str, output_format: str, output: str | None, lang: str | None) -> None:
    """Compare a unit's OLD and NEW reports: tables side by side, chains, repeated text."""
    lang = _lang(lang)
    from gkaudit.audit.scan import write_atomically
    from gkaudit.check.compare import render_compare_html, render_compare_text
    from gkaudit.parse.parser import parse_document
    from gkaudit.plugins import collect_readers, plugin_manager
    from gkaudit.read.readers.text import TextReader
    from gkaudit.read.source import read_document

    readers = collect_readers(plugin_manager()) or [TextReader()]
    try:
        old_report, new_report = (
            parse_document(read_document(path, readers), path) for path in (old, new)
        )
    except GkauditError as error:
        _fail(error)
        return
    render = render_compare_html if output_format == "html" else render_compare_text
    rendered = render(old_report, new_report, lang)
    if output:
        try:
            write_atomically(output, rendered.encode("utf-8"))
        except GkauditError as error:
            _fail(error, EXIT_USAGE)
    else:
        click.echo(rendered, nl=False)


@main.command("rules")
@_engine_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@_lang_option
def list_rules(
    config_path: str | None, rules_dirs: tuple[str, ...], output_format: str, lang: str | None
) -> None:
    """List every rule: code, default severity, title and source."""
    from tabulate import tabulate

    from gkaudit.outputs.ruledoc import rule_data

    lang = _lang(lang)
    engine = _load_engine(config_path, rules_dirs)
    if output_format == "json":
        data = [rule_data(rule, lang) for rule in engine.rules.values()]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = [
        (code, SEVERITY[lang][rule.severity.value], _title(rule, lang), rule.source)
        for code, rule in engine.rules.items()
    ]
    headers = [WORDS[lang][key] for key in ("code", "severity", "title", "basis")]
    click.echo(tabulate(rows, headers=headers))


def _title(rule: type[Rule], lang: str) -> str:
    return rule.title.get(lang) or rule.title["zh"]


@main.command()
@click.argument("code")
@_engine_options
@_lang_option
def explain(
    code: str, config_path: str | None, rules_dirs: tuple[str, ...], lang: str | None
) -> None:
    """Show the documentation of rule CODE, or list a family (GK3)."""
    from tabulate import tabulate

    from gkaudit.outputs.ruledoc import explain_text

    lang = _lang(lang)
    engine = _load_engine(config_path, rules_dirs)
    wanted = code.strip().upper()
    rule = engine.rules.get(wanted)
    if rule is not None:
        click.echo(explain_text(rule, lang), nl=False)
        return
    family = [rule for known, rule in engine.rules.items() if known.startswith(wanted)]
    if not wanted or not family:
        hint = did_you_mean(wanted, list(engine.rules), lang)
        _fail(LocalisedError("err.unknown_rule", code=code, hint=hint), EXIT_USAGE)
        return
    click.echo(text("explain.family", lang, prefix=wanted, count=len(family)))
    rows = [
        (rule.code, SEVERITY[lang][rule.severity.value], _title(rule, lang)) for rule in family
    ]
    click.echo(tabulate(rows, tablefmt="plain"))


@main.command()
@_engine_options
@_lang_option
def plugins(config_path: str | None, rules_dirs: tuple[str, ...], lang: str | None) -> None:
    """List the loaded plugins and the rules each registers."""
    from tabulate import tabulate

    from gkaudit.plugins import PluginError, plugin_manager, registrations

    lang = _lang(lang)
    try:
        config = load_config(config_path)
        manager = plugin_manager([*config.rules_dirs, *rules_dirs])
        registered = registrations(manager)
    except (ConfigError, PluginError) as error:
        _fail(error, EXIT_USAGE)
        return
    rows = [(name, " ".join(rule.code for rule in rules)) for name, rules in registered.items()]
    click.echo(tabulate(rows, headers=[text("out.plugin", lang), text("out.rules", lang)]))


def report_json(report: Report, lang: str = "zh") -> dict[str, Any]:
    """The parse output as JSON-ready data (gkaudit/schemas/report.schema.json)."""
    from gkaudit.model.messages import describe

    data = report.to_dict()
    data["problems"] = [
        {"kind": problem.kind, "line": problem.line, "message": describe(problem, lang)}
        for problem in report.problems
    ]
    return data


def report_text(report: Report, lang: str = "zh") -> str:
    """A readable summary of the parsed model."""
    from tabulate import tabulate

    from gkaudit.model.messages import describe

    def words(key: str) -> str:
        return text(f"parse.{key}", lang)

    window = report.window
    header = [
        (words("unit"), report.unit),
        (words("year"), report.year),
        (words("title"), report.title),
        (words("window"), f"{window.text} ({window.start} – {window.end})" if window else None),
        (words("signature"), report.signature_date),
        (words("template"), report.template),
    ]
    parts = [
        tabulate([(k, words("none") if v is None else v) for k, v in header], tablefmt="plain")
    ]
    colon = "：" if lang == "zh" else ":"
    parts.append(f"\n{words('sections')}{colon}")
    parts.append(
        tabulate(
            [(s.line, s.number, s.heading, s.kind or "") for s in report.sections],
            headers=[words(key) for key in ("line", "number", "heading", "kind")],
        )
    )
    parts.append(f"\n{words('tables')}{colon}")
    headers = [words(key) for key in ("table", "row", "line", "values")]
    parts.append(tabulate(_table_rows(report), headers=headers))
    if report.problems:
        parts.append(f"\n{words('problems')}{colon}")
        parts.extend(f"  {p.line or '-'}: {describe(p, lang)}" for p in report.problems)
    return "\n".join(parts)


def _table_rows(report: Report) -> list[tuple[str, str, int, str]]:
    from gkaudit.model.report import REQUEST_KEYS, REVIEW_KEYS

    rows = []
    for table in report.tables.present():
        order = {"requests": REQUEST_KEYS, "review": REVIEW_KEYS}.get(table.name, table.rows)
        for key in order:
            row = table.rows.get(key)
            if row:
                values = " ".join("·" if v is None else str(v) for v in row.values)
                rows.append((table.name, key, row.line, values))
    return rows
