"""Re-lay a report's text out in another table layout, for property tests and benchmarks.

Uses the normaliser to find the rows, then writes every row in the target layout:
``tab`` (one row per line), ``pipe`` (``| a | b |``) or ``stacked`` (one cell per line,
rows separated by blank lines, merged cells as empty lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gkaudit.normalise import normalise

LAYOUTS = ("tab", "pipe", "stacked")
_TO_FULL_WIDTH = {code - 0xFEE0: code for code in range(0xFF01, 0xFF5F)}
_NOT_CONTINUATION = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|第二十条)"
)


def relayout(
    text: str,
    layout: str,
    *,
    split_label: Callable[[str], list[str]] | None = None,
    page_break_every: int = 0,
) -> str:
    out: list[str] = []
    for index, line in enumerate(normalise(text)):
        if page_break_every and index and index % page_break_every == 0:
            out.extend(["", f"- {index // page_break_every} -", ""])
        if not line.is_row:
            out.extend(["", line.text, ""] if layout == "stacked" else [line.text])
            continue
        cells = [cell.text for cell in line.cells or ()]
        if layout == "tab":
            out.append("\t".join(cells))
        elif layout == "pipe":
            out.append("| " + " | ".join(cells) + " |")
        else:
            for cell in cells:
                parts = split_label(cell) if split_label and cell else [cell]
                out.append("\t" + parts[0])
                out.extend(parts[1:])
            out.append("")
    return "\n".join(out) + "\n"


def can_split(label: str) -> bool:
    """Labels that may be broken over lines in the stacked layout (as PDF/Word exports do)."""
    return len(label) >= 2 and not re.fullmatch(r"[-\d.,/]+", label)


def split_at(label: str, cuts: list[int]) -> list[str]:
    """Break ``label`` at the given positions into parts that read as label continuations."""
    positions = sorted({c for c in cuts if 0 < c < len(label)})
    parts, start = [], 0
    for position in [*positions, len(label)]:
        parts.append(label[start:position])
        start = position
    head, *tail = parts
    if not re.search(r"[\u4e00-\u9fff]", head):  # a bare "1" would read as a value cell
        return [label]
    if any(len(p) > 12 or not p.strip() or _NOT_CONTINUATION.match(p) for p in tail):
        return [label]
    return [head, *tail]


def widen(text: str, every: int) -> str:
    """Turn every n-th half-width ASCII character into its full-width form."""
    chars = list(text)
    for index, char in enumerate(chars):
        if every and index % every == 0 and char not in "\t\n |" and ord(char) in _TO_FULL_WIDTH:
            chars[index] = chr(_TO_FULL_WIDTH[ord(char)])
    return "".join(chars)


def space_out_labels(text: str) -> str:
    """Put a space inside two-character CJK labels at the start of a row (规章 -> 规 章)."""
    return re.sub(r"(?m)^([\u4e00-\u9fff])([\u4e00-\u9fff])\t", r"\1 \2\t", text)
