import re

from gkaudit.facts import SENTENCE_END
from gkaudit.findings import Severity
from gkaudit.messages import listing
from gkaudit.rule import Rule, section_label

TOPICS = {
    "proactive": (re.compile(r"主动公开"), {"zh": "主动公开", "en": "proactive disclosure"}),
    "requests": (
        re.compile(r"依申请|公开申请"),
        {"zh": "依申请公开", "en": "disclosure on request"},
    ),
    "management": (
        re.compile(r"信息管理|审核|保密审查|三审|动态调整|清理"),
        {"zh": "政府信息管理", "en": "information management"},
    ),
    "platforms": (
        re.compile(r"平台|网站|新媒体|公众号|公开栏|公告栏|政务公开专区"),
        {"zh": "政府信息公开平台建设", "en": "platforms"},
    ),
    "oversight": (
        re.compile(r"监督|考核|培训|保障"),
        {"zh": "监督保障", "en": "oversight and safeguards"},
    ),
}


class OverviewTopics(Rule):
    """总体情况 misses some of its five topics.

    The format's first section covers 主动公开, 依申请公开, 政府信息管理, 政府信息公开平台
    建设 and 监督保障 (国办公开办函〔2021〕30号). A sentence that merely lists the report's
    contents (全文包括总体情况、主动公开、依申请公开…) does not cover a topic. Headings of
    their own for these topics before the first table (as some provinces' formats have) count.

    Fails: a 总体情况 with two paragraphs on 依申请公开 and 监督 only.
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

    def check(self, report, context):
        section = report.section(1)
        if section is None:
            return
        sentences = SENTENCE_END.split(_overview(report, section))
        prose = "".join(s for s in sentences if not _enumeration(s))
        missing = [names for pattern, names in TOPICS.values() if not pattern.search(prose)]
        if missing:
            joined = listing(missing)
            yield self.finding(
                "missing", line=section.line, section=section_label(report, 1), missing=joined
            )


def _overview(report, section):
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


def _enumeration(sentence):
    return sum(1 for pattern, _ in TOPICS.values() if pattern.search(sentence)) >= 3 and re.search(
        r"包括|分为|涵盖|等方面|等六部分|全文", sentence
    )
