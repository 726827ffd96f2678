"""GK401, claims: sentences of the text that the tables contradict (used by GK401)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gkaudit.base.vocabulary import TABLE_NAMES, column_name, row_name
from gkaudit.check.rule import Result, Rule
from gkaudit.model.facts import Count, Prose
from gkaudit.model.report import Report

ALL_CLOSED = re.compile(
    r"(?:均已|均|全部|已全部)(?:按时|依法|按期|在法定期限内)?(?:办结|答复|办理完毕)"
)
CLOSED_WORDS = ("办结", "答复", "办理完毕")  # every ALL_CLOSED match ends in one
ABOUT_REQUESTS = re.compile(r"申请")
OTHER_MATTERS = re.compile(r"建议|提案|信访|留言|来信|咨询|热线|诉求|投诉|工单")
DOCUMENT_VERBS = (  # how the text names a column of the 行政规范性文件 row
    (re.compile(r"(?:制定|制发|印发|出台|发布)[^、]{0,6}规范性文件$"), 0),
    (re.compile(r"废止[^、]{0,6}规范性文件$"), 1),
    (re.compile(r"现行有效[^、]{0,6}规范性文件$"), 2),
)


CLAIM_MESSAGES = {
    "all-closed": {
        "zh": "正文称申请已全部办结（“{quote}”），但{table}“{row}”总计为{carried}",
        "en": "the text says every request was closed ('{quote}'), but {table} row "
        "'{row}' totals {carried}",
    },
    "documents": {
        "zh": "正文称{subject}{stated}件，{table}“{row}”行“{column}”为{table_value}",
        "en": "the text gives {stated} for '{subject}', {table} row '{row}', column "
        "'{column}' gives {table_value}",
    },
}


def check_claims(rule: Rule, report: Report) -> Iterator[Result]:
    """Claims the tables contradict: requests all closed, counts of normative documents."""
    yield from _all_closed(rule, report)
    yield from _documents(rule, report)


def _all_closed(rule: Rule, report: Report) -> Iterator[Result]:
    table = report.tables.requests
    row = table.rows.get("carried_forward") if table else None
    carried = row.values[-1] if row and row.values else None
    if not carried:
        return
    for prose in report.facts.prose:
        for offset, sentence in prose.sentences_holding(CLOSED_WORDS):
            match = ALL_CLOSED.search(sentence)
            if match and ABOUT_REQUESTS.search(sentence) and not OTHER_MATTERS.search(sentence):
                yield _closed(rule, report, prose, offset + match.start(), sentence, carried)
                return


def _closed(
    rule: Rule, report: Report, prose: Prose, offset: int, sentence: str, carried: int | float
) -> Result:
    quote = sentence.strip("。；;，, ")[:60]
    return rule.finding(
        "all-closed",
        line=prose.line_at(offset),
        evidence={"quote": quote, "carried_forward": carried},
        quote=quote,
        table=TABLE_NAMES["requests"].as_dict(),
        row=row_name("requests", "carried_forward", report.template).as_dict(),
        carried=carried,
    )


def _documents(rule: Rule, report: Report) -> Iterator[Result]:
    table = report.tables.active
    row = table.rows.get("normative_documents") if table else None
    if row is None or report.template == "2019":
        return
    for count in report.facts.document_counts:  # DOCUMENT_VERBS all end in 规范性文件
        column = _document_column(count)
        if column is None or column >= len(row.cells):
            continue
        value = row.cells[column].value
        if value is None or value == count.value or count.approximate:
            continue
        yield rule.finding(
            "documents",
            line=count.line,
            evidence={"quote": count.subject + count.text, "stated": count.value,
                      "table": value},
            subject=count.subject,
            stated=count.value,
            table=TABLE_NAMES["active"].as_dict(),
            row=row_name("active", "normative_documents", report.template).as_dict(),
            column=column_name("active", "normative_documents", column).as_dict(),
            table_value=value,
        )  # fmt: skip


def _document_column(count: Count) -> int | None:
    if count.unit != "件":
        return None
    for pattern, column in DOCUMENT_VERBS:
        if pattern.search(count.subject):
            return column
    return None
