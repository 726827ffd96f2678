import re

from gkaudit.base.numerals import NUMBER, cn_number
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Option, Rule

UNITS = "条|件|个|篇|项|次|场|期"
COUNT = re.compile(rf"(?P<n>{NUMBER})\s*(?:余|多)?(?P<unit>{UNITS})(?![\d%])")
# 其中 / 包含 / 包括 / 分别为, or a colon right after the total (公开信息18条：政策文件8条、…)
# (the colon's test looks behind from the colon: every branch then starts with a character)
BREAKDOWN = re.compile(rf"其中|包含|包括|分别为|分别是|[：:](?<=[{UNITS.replace('|', '')}][：:])")
EXHAUSTIVE = re.compile(r"分别为|分别是")
PERCENT = re.compile(rf"(?P<n>{NUMBER})\s*(?P<unit>{UNITS})\s*\((?P<p>\d+(?:\.\d+)?)%")
PARENTHESES = re.compile(r"\([^()]*\)")
SEGMENT_BREAK = re.compile(r"[；;]")
NEW_TOTAL = re.compile(r"\s*(?:共|合计|总计)")
MAX_DISTANCE = 120  # characters between a total and its 其中


class TextArithmetic(Rule):
    """正文自身的算术不成立。

    **What it does**
    正文把一个总数分解开（共686条，其中……87条……599条；包含……；共18条：……）时，各部分之和不能超过总
    数；以“分别为”引出的列举必须恰好等于总数。写出的比例（208件（17.46%））必须等于该件数除以分解的
    总数。括号里的件数（含上年结转189件）不算部分。百分比按其书写的精度比较，或在配置项``tolerance``
    （百分点，默认0.1）更宽时按该容差比较。

    **Why**
    《政府信息公开条例》第五十条：报告内容应真实准确；正文自相矛盾的数字说明至少有一个是错的。

    **Example**
    公开信息31条，包含通知公告5条；乡村振兴15条；公共服务19条（5+15+19＞31）。

    **Use instead**
    公开信息39条，包含通知公告5条；乡村振兴15条；公共服务19条。

    The text's own arithmetic fails: parts of a stated total exceed it, a list introduced by 分别为
    does not add up to it, or a stated percentage does not match its counts within the tolerance.
    """

    code = "GK402"
    severity = Severity.WARNING
    title = {"zh": "正文自身的数字计算不成立", "en": "the text's own arithmetic fails"}
    source = "《政府信息公开条例》第五十条（报告内容应真实准确）"
    advice = {
        "zh": "核对正文中的分项与总数，改正计算错误。",
        "en": "Check the parts and totals in the text and correct the arithmetic.",
    }
    options = {
        "tolerance": Option(
            0.1,
            {"type": "number", "minimum": 0, "maximum": 5},
            {
                "zh": "所述百分比与按件数算出的比例允许相差的百分点",
                "en": "allowed gap, in points, between a stated share and its counts",
            },
        )
    }
    messages = {
        "exceed": {
            "zh": "正文中各分项之和{computed}{unit}超过总数{reported}{unit}（“{quote}”）",
            "en": "the parts add up to {computed}, more than the total {reported} ('{quote}')",
        },
        "mismatch": {
            "zh": "正文中“分别为”所列各项之和{computed}{unit}与总数{reported}{unit}不符（“{quote}”）",
            "en": "the items listed after 分别为 add up to {computed}, not the total {reported} ('{quote}')",
        },
        "percent": {
            "zh": "正文中{count}{unit}占{total}{unit}的比例应为{computed}%，文中写作{stated}%",
            "en": "{count} of {total} is {computed}%, the text says {stated}%",
        },
    }

    def check(self, report, context):
        tolerance = self.option(context, "tolerance")
        for passage in report.facts.prose:
            consumed = 0
            for trigger in _breakdowns(passage.text):
                if trigger.start() < consumed or _in_parentheses(passage.text, trigger.start()):
                    continue  # inside the clause of a breakdown already read (nested 分别为)
                consumed = _clause_end(passage.text, trigger.end())
                yield from self._breakdown(passage, trigger, tolerance)

    def _breakdown(self, passage, trigger, tolerance):
        text = passage.text
        total = _total_before(text, trigger.start())
        if total is None:
            return
        total_value, unit, sentence_start = total
        end = _clause_end(text, trigger.end())
        clause = text[trigger.end() : end]
        parts, nested = _parts(_blank_parentheses(clause), unit, total_value)
        line = passage.line_at(trigger.start())
        quote = text[sentence_start : end + 1][:120]
        for value, items in nested:
            if sum(items) != value:
                yield self.finding(
                    "mismatch", line=line, evidence={"reported": value, "computed": sum(items), "parts": items, "quote": quote},
                    computed=sum(items), reported=value, unit=unit, quote=quote,
                )  # fmt: skip
        if parts and sum(parts) > total_value:
            yield self.finding(
                "exceed", line=line, evidence={"reported": total_value, "computed": sum(parts), "parts": parts, "quote": quote},
                computed=sum(parts), reported=total_value, unit=unit, quote=quote,
            )  # fmt: skip
        elif EXHAUSTIVE.match(trigger.group(0)) and parts and sum(parts) != total_value:
            yield self.finding(
                "mismatch", line=line, evidence={"reported": total_value, "computed": sum(parts), "parts": parts, "quote": quote},
                computed=sum(parts), reported=total_value, unit=unit, quote=quote,
            )  # fmt: skip
        for match in PERCENT.finditer(clause):
            count = cn_number(match["n"])
            if count is None or match["unit"] != unit or not total_value:
                continue
            stated = float(match["p"])
            decimals = len(match["p"].partition(".")[2])
            computed = count * 100 / total_value
            if abs(computed - stated) > max(tolerance, 0.5 * 10**-decimals + 1e-9):
                yield self.finding(
                    "percent", line=line, evidence={"count": count, "total": total_value, "stated": stated, "computed": round(computed, 2)},
                    count=count, total=total_value, unit=unit, stated=match["p"], computed=f"{computed:.2f}",
                )  # fmt: skip


BREAKDOWN_WORDS = ("其中", "包含", "包括", "分别为", "分别是", "：", ":")  # BREAKDOWN's branches


def _breakdowns(text):
    """``BREAKDOWN.finditer(text)``, its places found by str.find: no two branches overlap
    (none begins with another's end), so every place is a match of its own."""
    places = []
    for word in BREAKDOWN_WORDS:
        at = text.find(word)
        while at >= 0:
            places.append(at)
            at = text.find(word, at + 1)
    matches = (BREAKDOWN.match(text, at) for at in sorted(places))
    return [match for match in matches if match]  # a colon after no unit is none


def _in_parentheses(text, position):
    before = text[max(0, position - 40) : position]
    return before.rfind("(") > before.rfind(")")


def _blank_parentheses(text):
    """Parenthesised counts (含上年结转189件) are asides, not parts or totals."""
    return PARENTHESES.sub(lambda m: " " * len(m.group(0)), text)


def _clause_end(text, start):
    end = text.find("。", start)
    return end if end >= 0 else len(text)


def _total_before(text, position):
    """The last count before a breakdown, in its sentence or, when the breakdown opens the
    sentence (…686条。其中…), in the sentence before. Returns (value, unit, quote start)."""
    start = text.rfind("。", 0, position) + 1
    for _ in range(2):
        matches = list(COUNT.finditer(_blank_parentheses(text[start:position])))
        matches = [m for m in matches if position - (start + m.end()) <= MAX_DISTANCE]
        if matches:
            value = cn_number(matches[-1]["n"])
            return None if value is None else (value, matches[-1]["unit"], start)
        if start == 0 or text[start:position].strip(" ，,：:"):
            return None  # only a breakdown opening its sentence (…686条。其中…) looks back
        start = text.rfind("。", 0, start - 1) + 1
    return None


def _parts(clause, unit, total):
    """Parts of a breakdown, segment by segment (split at ；); a segment whose first count is
    followed by 分别为 contributes that count, its listed items checked against it. The
    breakdown ends where the parts reach the total or a segment opens a new total (共…)."""
    parts, nested = [], []
    for segment in SEGMENT_BREAK.split(clause):
        if parts and (sum(parts) == total or NEW_TOTAL.match(segment)):
            break
        counts = [(cn_number(m["n"]), m) for m in COUNT.finditer(segment) if m["unit"] == unit]
        counts = [(value, m) for value, m in counts if value is not None]
        if not counts:
            continue
        first, match = counts[0]
        sub = EXHAUSTIVE.search(segment, match.end())
        if sub and len(counts) > 1:
            parts.append(first)
            nested.append((first, [value for value, _ in counts[1:]]))
        else:
            parts.extend(value for value, _ in counts)
    return parts, nested
