"""GK507: the legal basis cited wrongly: an outdated, misnumbered or misnamed Regulation or
format notice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gkaudit.check.findings import Severity
from gkaudit.check.rule import Context, Result, Rule
from gkaudit.model.facts import Citation
from gkaudit.model.report import Report

OUTDATED = re.compile(r"国务院令第492号|2007年[^。；]{0,10}政府信息公开条例")
OUTDATED_WORDS = ("国务院令第492号", "2007年")  # every OUTDATED match holds one
REGULATION_NAMES = ("《中华人民共和国政府信息公开条例》", "《政府信息公开条例》")
FORMAT_NOTICE = "国办公开办函〔2021〕30号"
TRIAL_NOTICE_TITLE = "关于政府信息公开工作年度报告有关事项的通知"
FIRST_YEAR_OF_2021_FORMAT = 2021


class OutdatedLegalBasis(Rule):
    """法律依据引用有误：已废止、文号错误或名称错误的条例与格式通知。

    **What it does**
    核对报告引用的《政府信息公开条例》和年度报告格式通知：已废止的2007年条例（国务院令第492号）；
    条例令号写错（如“国务院令第771号”，应为第711号）；条例名称写错（如《政府政务信息公开条例》）；
    2021年及以后的报告仍引用2019年试行格式通知（国办公开办函〔2019〕60号，
    《…关于政府信息公开工作年度报告有关事项的通知》）；格式通知文号写错
    （国办发〔2021〕30号、国办公开办函〔2019〕30号、国办公开办涵〔2021〕30号）。

    **Why**
    现行条例为2019年修订的《中华人民共和国政府信息公开条例》（国务院令第711号）；
    自2021年度报告起，年度报告格式为国办公开办函〔2021〕30号《国务院办公厅政府信息与政务公开办公室
    关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》。引错依据说明前言照抄旧报告。

    **Example**
    2022年度报告写：依据《…关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）。

    **Use instead**
    根据《中华人民共和国政府信息公开条例》（国务院令第711号）和国办公开办函〔2021〕30号要求编制。

    The legal basis is cited wrongly: the 2007 Regulation, a wrong order number, a misnamed
    Regulation, the 2019 trial format notice in a 2021+ report, or the 2021 format notice
    with the wrong document type or year.

    Procedural, not a PatternRule: it judges the citations the facts layer has already read
    (issuer, year, number, title, and which of them stand on one line), so no pattern
    re-parses the text; only the 2007 Regulation is recognised by its wording.
    """

    code = "GK507"
    severity = Severity.WARNING
    title = {"zh": "法律依据引用有误", "en": "legal basis cited wrongly"}
    source = "《政府信息公开条例》（国务院令第711号，2019年修订）；国办公开办函〔2021〕30号"
    advice = {
        "zh": "改为引用《中华人民共和国政府信息公开条例》（国务院令第711号）和"
        "国办公开办函〔2021〕30号。",
        "en": "Cite the Regulation (State Council Order No. 711) and the format notice "
        "国办公开办函〔2021〕30号.",
    }
    messages = {
        "outdated": {
            "zh": "引用了已废止的条例版本“{quote}”，现行为国务院令第711号",
            "en": "cites the superseded Regulation '{quote}'; the current one is Order No. 711",
        },
        "order": {
            "zh": "条例令号“{quote}”有误，现行《政府信息公开条例》为国务院令第711号",
            "en": "the order number '{quote}' is wrong: the Regulation is State Council "
            "Order No. 711",
        },
        "misnamed": {
            "zh": "条例名称“{quote}”有误，应为《中华人民共和国政府信息公开条例》",
            "en": "the Regulation is misnamed '{quote}'; its name is "
            "《中华人民共和国政府信息公开条例》",
        },
        "trial": {
            "zh": "{year}年度报告仍引用2019年试行格式通知“{quote}”，"
            "2021年度起应依据国办公开办函〔2021〕30号",
            "en": "a {year} report cites the 2019 trial format notice '{quote}'; from 2021 the "
            "format is 国办公开办函〔2021〕30号",
        },
        "mixed": {
            "zh": "引用的通知标题“{quote}”是2019年试行格式通知，文号却是国办公开办函〔2021〕30号",
            "en": "the notice title '{quote}' is the 2019 trial format notice, but the number "
            "given is that of the 2021 format notice",
        },
        "number": {
            "zh": "格式通知文号“{quote}”有误，应为国办公开办函〔2021〕30号",
            "en": "the format notice's number '{quote}' is wrong: it is 国办公开办函〔2021〕30号",
        },
    }

    def check(self, report: Report, context: Context) -> Iterator[Result]:
        by_line: dict[int, list[Citation]] = {}
        for citation in report.facts.citations:
            by_line.setdefault(citation.line, []).append(citation)
        for line in report.facts.lines_holding(OUTDATED_WORDS):
            match = OUTDATED.search(line.text)
            if match:
                yield self._finding("outdated", line.number, match.group(0))
        for number, citations in sorted(by_line.items()):
            yield from self._check_line(report, number, citations)

    def _check_line(
        self, report: Report, line: int, citations: list[Citation]
    ) -> Iterator[Result]:
        for citation in citations:
            if citation.kind == "order" and citation.number not in (711, 492):
                yield self._finding("order", line, citation.text)
            elif citation.kind == "regulation-title" and citation.text not in REGULATION_NAMES:
                yield self._finding("misnamed", line, citation.text)
            elif citation.kind == "document" and _wrong_format_number(citation):
                yield self._finding("number", line, citation.text)
        trial = _trial_notice(citations)
        if trial is None or (report.year or 0) < FIRST_YEAR_OF_2021_FORMAT:
            return
        if trial.kind == "notice-title" and any(_is_2021_notice(c) for c in citations):
            yield self._finding("mixed", line, trial.text)
        else:
            yield self._finding("trial", line, trial.text, year=report.year)

    def _finding(self, key: str, line: int, quote: str, **params: Any) -> Result:
        return self.finding(key, line=line, evidence={"quote": quote}, quote=quote, **params)


def _trial_notice(citations: list[Citation]) -> Citation | None:
    """The 2019 trial format notice, cited by its number or (failing that) by its title."""
    for citation in citations:
        if citation.kind == "document" and (citation.year, citation.number) == (2019, 60):
            return citation
    for citation in citations:
        if citation.kind == "notice-title" and TRIAL_NOTICE_TITLE in citation.text:
            return citation
    return None


def _is_2021_notice(citation: Citation) -> bool:
    return citation.kind == "document" and (citation.year, citation.number) == (2021, 30)


def _wrong_format_number(citation: Citation) -> bool:
    """The 2021 format notice with the wrong type (国办发, 国办公开办涵) or year (〔2019〕30号)."""
    issuer = citation.issuer or ""
    if (citation.year, citation.number) == (2021, 30):
        return issuer.startswith("国办") and not issuer.endswith("国办公开办函")
    return (citation.year, citation.number) == (2019, 30) and issuer.endswith("国办公开办函")
