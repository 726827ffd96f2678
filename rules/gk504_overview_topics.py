"""GK504: 总体情况 misses some of its five topics, as data on RequiredTopicsRule."""

import re
from collections.abc import Iterator

from gkaudit.base.vocabulary import Name
from gkaudit.check.families import RequiredTopicsRule, Topic, mentions
from gkaudit.check.findings import Severity
from gkaudit.model.facts import Prose
from gkaudit.model.report import Report, Section

TOPICS = (
    Topic(Name("主动公开", "proactive disclosure"), re.compile(r"主动公开")),
    Topic(Name("依申请公开", "disclosure on request"), re.compile(r"依申请|公开申请")),
    Topic(
        Name("政府信息管理", "information management"),
        re.compile(r"信息管理|审核|保密审查|三审|动态调整|清理"),
    ),
    Topic(
        Name("政府信息公开平台建设", "platforms"),
        re.compile(r"平台|网站|新媒体|公众号|公开栏|公告栏|政务公开专区"),
    ),
    Topic(Name("监督保障", "oversight and safeguards"), re.compile(r"监督|考核|培训|保障")),
)
SENTENCE_MARKS = "。；;!?！？"  # those SENTENCE_END splits at
CONTENTS_WORDS = ("包括", "分为", "涵盖", "等方面", "等六部分", "全文")
CONTENTS_LIST = re.compile("|".join(CONTENTS_WORDS))


class OverviewTopics(RequiredTopicsRule):
    """“总体情况”缺少规定的五方面内容。

    **What it does**
    第一部分“总体情况”应涵盖主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五方
    面，缺少其中任何一项即报告缺少的内容（警告）。只罗列报告目录的句子（全文包括总体情况、主动公开、
    依申请公开……）不算涵盖。总体情况之后、第一张统计表之前各方面单独成节的标题（部分省份的格式如此）
    也计入。

    **Why**
    国办公开办函〔2021〕30号（第一部分 总体情况）规定了这五方面内容。

    **Example**
    “总体情况”只有两段，分别写依申请公开和监督。

    **Use instead**
    “总体情况”分别写明主动公开、依申请公开、政府信息管理、平台建设和监督保障的情况。

    总体情况 misses some of its five topics; a sentence that merely lists the report's contents covers
    none, and separate topic headings before the first table count.
    """

    code = "GK504"
    severity = Severity.WARNING
    title = {"zh": "总体情况缺少规定内容", "en": "总体情况 misses some of its five topics"}
    source = "国办公开办函〔2021〕30号（第一部分 总体情况）"
    advice = {
        "zh": "“总体情况”应分别写明主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五方面内容。",
        "en": "Cover all five topics in 总体情况.",
    }
    messages = {
        "missing": {
            "zh": "“总体情况”未涉及：{missing}",
            "en": "总体情况 does not cover: {missing}",
        }
    }

    topics = TOPICS
    section = 1
    all_key = some_key = "missing"

    def searched_text(self, report: Report, prose: list[Prose]) -> str:
        section = report.section(1)
        if section is None:
            return ""
        return _without_enumerations(_overview(report, section))


def _without_enumerations(overview: str) -> str:
    """The sentences of ``overview`` (split at 。；！？, the marks dropped) that are not
    ``_enumeration``s, joined; only the sentences holding a CONTENTS_LIST word are tested."""
    listed = {_sentence_around(overview, at) for at in _places(overview, CONTENTS_WORDS)}
    kept, at = [], 0
    for start, end in sorted(listed):
        if _enumeration(overview[start:end]):
            kept.append(overview[at:start])
            at = end
    kept.append(overview[at:])
    text = "".join(kept)
    for mark in SENTENCE_MARKS:  # SENTENCE_END.sub("", text), quicker
        if mark in text:
            text = text.replace(mark, "")
    return text


def _places(text: str, words: tuple[str, ...]) -> Iterator[int]:
    """Where each of ``words`` stands in ``text`` (str.find, quicker than a pattern)."""
    for word in words:
        at = text.find(word)
        while at >= 0:
            yield at
            at = text.find(word, at + 1)


def _sentence_around(text: str, at: int) -> tuple[int, int]:
    """The bounds of the sentence holding ``text[at]`` (no mark), its marks left out."""
    start = max(text.rfind(mark, 0, at) for mark in SENTENCE_MARKS) + 1
    ends = [found for mark in SENTENCE_MARKS if (found := text.find(mark, at)) >= 0]
    return start, min(ends, default=len(text))


def _overview(report: Report, section: Section) -> str:
    """总体情况 and whatever a local format puts between it and the first table (Shanghai's
    reports give 主动公开, 平台建设… headings of their own), headings left out."""
    starts = [table.line for table in report.tables.present()]
    end = max(min(starts) if starts else 0, section.end_line + 1)
    headings = {s.line for s in report.sections}
    return "".join(
        line.text
        for line in report.lines
        if section.line < line.number < end
        and line.number not in headings
        and "\t" not in line.text
    )


def _enumeration(sentence: str) -> bool:
    """A sentence that lists the report's contents (全文包括总体情况、主动公开…) covers no topic."""
    if CONTENTS_LIST.search(sentence) is None:
        return False
    return sum(1 for topic in TOPICS if mentions(topic.pattern, sentence)) >= 3
