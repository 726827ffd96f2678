"""The command line: ``gkaudit parse`` (and, later, ``check``/``scan``)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from tabulate import tabulate

from gkaudit import __version__
from gkaudit.errors import GkauditError
from gkaudit.messages import describe
from gkaudit.model import REQUEST_KEYS, REVIEW_KEYS, Report
from gkaudit.parse import parse_file
from gkaudit.read import DEFAULT_MAX_BYTES

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


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
        report = parse_file(file, max_bytes=max_bytes)
    except GkauditError as error:
        _fail(error)
    if output_format == "json":
        click.echo(json.dumps(report_json(report, lang), ensure_ascii=False, indent=2))
    else:
        click.echo(report_text(report, lang))
    if not report.tables.present():
        _fail(GkauditError(_NO_TABLES[lang], path=file))


_NO_TABLES = {"zh": "未找到任何统计表（主动公开、依申请公开、复议诉讼）", "en": "no tables found"}


def _fail(error: GkauditError) -> None:
    click.echo(f"gkaudit: {error}", err=True)
    sys.exit(EXIT_INPUT)


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
