"""Reading facts out of the report's Chinese prose: numbers, negations, passages with lines.

Used by the text rules (GK401, GK402, GK5xx). Numbers may be digits or Chinese numerals
(两件, 十二条, 一百零五件).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from gkaudit.model import Report, Section
from gkaudit.numerals import NUMBER, cn_number

__all__ = ["NEGATION", "NUMBER", "SENTENCE_END", "Passage", "cn_number", "passages", "report_text"]

NEGATION = r"(?:未(?!经)|无|没有|并未|均未|尚未|不存在)"  # 未经复议 is not a negation
SENTENCE_END = re.compile(r"[。；;!?！？]")


@dataclass(frozen=True)
class Passage:
    """The prose of one section (table rows left out), joined, with a way back to lines."""

    section: Section | None
    text: str
    starts: list[int]
    lines: list[int]

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]

    def sentences(self) -> Iterator[tuple[int, str]]:
        """(offset, sentence) pairs, split at 。；！？."""
        start = 0
        for match in SENTENCE_END.finditer(self.text):
            yield start, self.text[start : match.end()]
            start = match.end()
        if start < len(self.text):
            yield start, self.text[start:]


def passages(report: Report) -> list[Passage]:
    """One passage per section (and one for the text before the first section); memoised."""
    return report.memo("passages", _passages)


def _passages(report: Report) -> list[Passage]:
    """One passage per section (and one for the text before the first section).

    Lines inside a table (from its start to its last row) are left out: in text extracted
    from PDFs they are label fragments, not sentences.
    """
    bounds = [(s.line, s.end_line, s) for s in report.sections]
    interiors = [(t.line, t.end_line) for t in report.tables.present() if t.end_line]
    groups: dict[int, list[tuple[int, str]]] = {}
    owners: dict[int, Section | None] = {}
    for line in report.lines:
        if "\t" in line.text or any(a <= line.number <= b for a, b in interiors):
            continue  # table rows, and label fragments between them, are not prose
        index = next((i for i, (a, b, _) in enumerate(bounds) if a <= line.number <= b), -1)
        owners[index] = bounds[index][2] if index >= 0 else None
        groups.setdefault(index, []).append((line.number, line.text))
    result = []
    for index, items in sorted(groups.items()):
        starts, position = [], 0
        for _, text in items:
            starts.append(position)
            position += len(text)
        text = "".join(text for _, text in items)
        result.append(Passage(owners[index], text, starts, [number for number, _ in items]))
    return result


def report_text(report: Report) -> str:
    """All the report's prose, joined."""
    return report.memo("text", lambda r: "".join(p.text for p in passages(r)))
