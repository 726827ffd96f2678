"""GK508: prose hygiene: repeated words, HTML residue, unbalanced quotation marks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gkaudit.check.findings import Severity
from gkaudit.check.rule import Context, Result, Rule
from gkaudit.model.facts import Prose
from gkaudit.model.report import Report

# A word of two to four characters written twice in a row (资金资金, 监督保障保障); words made of
# one repeated character (常常, 人人) and counting words are left alone.
REPEATED = re.compile(r"([\u4e00-\u9fff]{2,4})\1")
NOT_A_SLIP = re.compile(r"^(?:(.)\1+|[一二三四五六七八九十百千万零〇]+)$")
COMPOUND_AFTER = {"政府": "信息", "公开": "工作"}
HTML = re.compile(r"&(?:nbsp|lt|gt|amp|quot|ldquo|rdquo|#\d+);|</?(?:p|br|span|div|td|tr)\b[^>]*>")
OPEN, CLOSE = "“", "”"


class ProseHygiene(Rule):
    """正文文字瑕疵：词语重复、网页代码残留、引号不成对。

    **What it does**
    在正文（表格以外）中查找：紧邻重复的词语（“资金资金”“监督保障保障”）；网页代码残留
    （&nbsp;、<br>、</p>）；没有对应左引号的右引号或没有闭合的左引号。

    **Why**
    年度报告是面向公众公开的正式文件（《政府信息公开条例》第五十条）；文字瑕疵说明发布前未经校对，
    检查中常被列为“内容粗糙”。只作提示（info）：个别重复可能是有意的修辞。

    **Example**
    认真贯彻落实政府信息公开监督保障保障工作。

    **Use instead**
    认真贯彻落实政府信息公开监督保障工作。

    Prose hygiene (info): words repeated by a slip, HTML residue, unbalanced quotation marks.
    """

    code = "GK508"
    severity = Severity.INFO
    title = {"zh": "正文文字瑕疵", "en": "prose hygiene"}
    source = "《政府信息公开条例》第五十条"
    advice = {
        "zh": "发布前校对正文，删除重复词语和网页代码，补齐引号。",
        "en": "Proofread the text before publishing: remove repeated words and HTML residue, "
        "balance the quotation marks.",
    }
    messages = {
        "repeated": {
            "zh": "词语重复“{quote}”",
            "en": "a word written twice: '{quote}'",
        },
        "html": {
            "zh": "正文残留网页代码“{quote}”",
            "en": "HTML residue in the text: '{quote}'",
        },
        "quotes": {
            "zh": "引号不成对：“{quote}”附近{problem}",
            "en": "unbalanced quotation marks near '{quote}': {problem}",
        },
    }
    PROBLEMS = {
        "close": {"zh": "有右引号而无对应的左引号", "en": "a closing mark without an opening one"},
        "open": {"zh": "左引号没有闭合", "en": "an opening mark never closed"},
    }

    def check(self, report: Report, context: Context) -> Iterator[Result]:
        for prose in report.facts.prose:
            yield from self._repeated(prose)
            # one per section: residue comes in floods (and starts with & or <)
            html = HTML.search(prose.text) if "&" in prose.text or "<" in prose.text else None
            if html:
                yield self._finding("html", prose, html.start(), html.group(0))
            yield from self._quotes(prose)

    def _repeated(self, prose: Prose) -> Iterator[Result]:
        for match in REPEATED.finditer(prose.text):
            if not NOT_A_SLIP.match(match[1]) and not _compound(prose.text, match):
                yield self._finding("repeated", prose, match.start(), match.group(0))

    def _quotes(self, prose: Prose) -> Iterator[Result]:
        opened: int | None = None
        for index, char in _quote_marks(prose.text):
            if char == OPEN:
                if opened is not None:
                    yield self._quote_finding(prose, opened, "open")
                opened = index
            elif char == CLOSE:
                if opened is None:
                    yield self._quote_finding(prose, index, "close")
                opened = None
        if opened is not None:
            yield self._quote_finding(prose, opened, "open")

    def _quote_finding(self, prose: Prose, offset: int, problem: str) -> Result:
        quote = prose.text[max(0, offset - 8) : offset + 9]
        return self._finding("quotes", prose, offset, quote, problem=self.PROBLEMS[problem])

    def _finding(
        self, key: str, prose: Prose, offset: int, quote: str, **params: Any
    ) -> Result:
        return self.finding(
            key,
            line=prose.line_at(offset),
            section=_section_name(prose),
            evidence={"quote": quote},
            quote=quote,
            **params,
        )


def _quote_marks(text: str) -> list[tuple[int, str]]:
    """(offset, mark) of every “ and ” in ``text``, in order (found by str.find, faster than
    a pattern tried at every place)."""
    marks = []
    for mark in (OPEN, CLOSE):
        found = text.find(mark)
        while found >= 0:
            marks.append((found, mark))
            found = text.find(mark, found + 1)
    marks.sort()
    return marks


def _compound(text: str, match: re.Match[str]) -> bool:
    """人民政府政府信息公开: the unit's name ends in the word the next compound starts with."""
    return text.startswith(COMPOUND_AFTER.get(match[1], "\0"), match.end())


def _section_name(prose: Prose) -> str | None:
    section = prose.section
    return f"{section.number}、{section.heading}" if section else None
