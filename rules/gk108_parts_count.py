"""GK108: the report's description of its own parts disagrees with itself or with the report."""

from __future__ import annotations

from collections.abc import Iterator

from gkaudit.base.vocabulary import SECTION_KINDS
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Context, Result, Rule
from gkaudit.model.facts import PartsDescription
from gkaudit.model.report import Report

# 包括总体情况、主动公开等六部分 names some parts only; a list of four or more before 等 is
# meant to be the whole list (corpus 007-district-stats-2023 lists five of six).
OPEN_LIST_COMPLETE = 4


class PartsCount(Rule):
    """报告自述的组成部分与实际不符：部分数与所列部分、与报告的章节不一致，或同一部分列了两次。

    **What it does**
    读取报告开头对自身结构的描述（“本报告共分六部分：总体情况、…”“由总体情况、…等六部分组成”），
    核对：所说的部分数与随后列出的部分数是否一致（按格式的六个章节归并，如“行政复议、行政诉讼情况”算一部分）；
    同一部分是否列了两次；所说的部分数与报告中可识别的格式章节数是否一致。
    “包括总体情况、主动公开等六部分”这类以“等”收尾、只举了少数几项的列举，不比较所列部分数。

    **Why**
    年度报告按国办公开办函〔2021〕30号的格式分为六部分；自述与实际不符，通常是删并了章节或照抄了旧报告。

    **Example**
    本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、存在的主要问题及改进情况、
    其他需要报告的事项等六部分组成（只列了五部分）。

    **Use instead**
    本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、
    存在的主要问题及改进情况、其他需要报告的事项六部分组成。

    The report's description of its own parts disagrees with the parts it lists, lists a part
    twice, or disagrees with the format sections present.
    """

    code = "GK108"
    severity = Severity.WARNING
    title = {"zh": "报告自述的部分数与实际不符", "en": "stated number of parts disagrees"}
    source = "国办公开办函〔2021〕30号（年度报告格式）"
    advice = {
        "zh": "核对报告自述的部分数，与所列部分和实际章节保持一致。",
        "en": "Make the stated number of parts match the parts listed and the report's sections.",
    }
    messages = {
        "count": {
            "zh": "报告称共{stated}部分，实际可识别的格式章节为{found}个",
            "en": "the report says it has {stated} parts; {found} format sections are present",
        },
        "listed": {
            "zh": "报告称共{stated}部分，随后列出的却是{listed}部分（{names}）",
            "en": "the report says it has {stated} parts but lists {listed} ({names})",
        },
        "twice": {
            "zh": "报告自述的组成部分中“{name}”列了两次",
            "en": "the report's list of its parts names '{name}' twice",
        },
    }

    def check(self, report: Report, context: Context) -> Iterator[Result]:
        parts = report.facts.parts
        if parts is None or parts.stated is None:
            return
        evidence = {"quote": parts.text, "stated": parts.stated}
        twice = _listed_twice(parts)
        if twice:
            yield self.finding("twice", line=parts.line, evidence=evidence, name=twice)
            return
        listed = _listed_count(parts)
        if listed is not None and listed != parts.stated:
            names = {"zh": "、".join(parts.listed), "en": "、".join(parts.listed)}
            yield self.finding(
                "listed",
                line=parts.line,
                evidence={**evidence, "listed": list(parts.listed)},
                stated=parts.stated,
                listed=listed,
                names=names,
            )
            return
        found = len({section.kind for section in report.sections if section.kind})
        if parts.stated != found:
            yield self.finding(
                "count", line=parts.line, evidence={**evidence, "found": found},
                stated=parts.stated, found=found,
            )  # fmt: skip


def _listed_count(parts: PartsDescription) -> int | None:
    """How many parts the list names: the format's sections merged (行政复议、行政诉讼情况
    is one part), other names one each; None when nothing is listed."""
    if len(parts.listed) < 2 or (parts.open_ended and len(parts.listed) < OPEN_LIST_COMPLETE):
        return None
    kinds = [_kinds(item) for item in parts.listed]
    return len(set().union(*kinds)) + sum(not found for found in kinds)


def _kinds(item: str) -> set[int]:
    """The format's sections a listed part names (存在的主要问题及改进情况和其他需要报告的事项: two)."""
    return {kind for kind, pattern in SECTION_KINDS if pattern.search(item)}


def _listed_twice(parts: PartsDescription) -> str | None:
    seen: set[str] = set()
    for item in parts.listed:
        if item in seen:
            return item
        seen.add(item)
    return None
