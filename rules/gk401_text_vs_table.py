import re

from gkaudit.base.numerals import NUMBER, cn_number
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule
from gkaudit.model.facts import NEGATION
from gkaudit.rules.gk401_claims import CLAIM_MESSAGES, check_claims

_GAP = r"[^。；;,，后内起\d]"
_COUNT_UNIT = r"\s*(?:件|个|起|宗|份)(?!工作日|日|天|小时|月)"
# Sentences that describe procedures or results of cases, not how many there were.
CONDITIONAL = re.compile(r"如果|如有|若|一旦|凡是|纠错|纠正|败诉|撤销|确认违法")
FACTS = {
    "new": (
        [
            re.compile(
                rf"(?:收到|受理|新收){_GAP}{{0,16}}?(?:申请|事项){_GAP}{{0,6}}?(?P<n>{NUMBER}){_COUNT_UNIT}"
            ),
            re.compile(rf"(?:收到|受理|新收)(?P<n>{NUMBER}){_COUNT_UNIT}{_GAP}{{0,12}}?申请"),
        ],
        re.compile(
            r"(?:未|没有)(?:收到|受理)[^。；;,，]{0,12}?申请"
            r"|(?:无|没有|未有)(?:依申请公开|政府信息公开申请)"
        ),
    ),
    "carried_over": (
        [re.compile(rf"上年结转{_GAP}{{0,16}}?(?P<n>{NUMBER}){_COUNT_UNIT}")],
        None,
    ),
    "review": (
        [
            re.compile(rf"行政复议{_GAP}{{0,8}}?(?P<n>{NUMBER}){_COUNT_UNIT}"),
            re.compile(rf"(?P<n>{NUMBER}){_COUNT_UNIT}{_GAP}{{0,16}}?行政复议"),
        ],
        re.compile(rf"{NEGATION}(?:发生|收到|涉及|被提起)?[^。；;,，]{{0,6}}?行政复议"),
    ),
    "litigation": (
        [
            re.compile(rf"行政诉讼{_GAP}{{0,8}}?(?P<n>{NUMBER}){_COUNT_UNIT}"),
            re.compile(rf"(?P<n>{NUMBER}){_COUNT_UNIT}{_GAP}{{0,16}}?行政诉讼"),
        ],
        re.compile(
            rf"{NEGATION}(?:发生|收到|涉及|被提起)?[^。；;,，]{{0,8}}?(?:行政复议[、和及与])?行政诉讼"
        ),
    ),
}
KEYWORDS = {  # a sentence is searched for a fact only when it names the fact
    "new": ("收到", "受理", "新收", "依申请公开", "公开申请"),
    "carried_over": ("上年结转",),
    "review": ("行政复议",),
    "litigation": ("行政诉讼",),
}
KEYWORD_SEARCH = {key: re.compile("|".join(map(re.escape, words))) for key, words in KEYWORDS.items()}

NAMES = {
    "new": {"zh": "收到政府信息公开申请", "en": "requests received"},
    "carried_over": {"zh": "上年结转申请", "en": "requests carried over"},
    "review": {"zh": "行政复议", "en": "administrative reviews"},
    "litigation": {"zh": "行政诉讼", "en": "lawsuits"},
}


class TextVersusTable(Rule):
    """A count stated in the text differs from the table.

    The prose of 总体情况 often restates the year's figures: requests received (收到…申请
    N件), carried over (上年结转N件), administrative reviews and lawsuits. They must agree
    with Tables B and C. Numbers are read as digits or Chinese numerals (两件, 十二件);
    a negation (未收到, 无, 没有, 未发生) states zero. When the text says none and the table
    has some, it is an error; other disagreements are warnings. Sentences about procedures
    (收到申请后15个工作日内…) or about outcomes (未被纠错, 败诉) are not counts, and 受理N件
    may count new requests or new plus carried-over ones: either agrees.

    Claims the tables contradict are checked too (rules/gk401_claims.py, warnings): requests
    said to be all closed (均已办结) while Table B carries some forward (结转下年度继续办理), and
    counts of 行政规范性文件 made, repealed or in force (共制定规范性文件0件) that differ from
    Table A.

    Fails: 全年收到依申请公开事项3件 beside 本年新收 总计 2.
    """

    code = "GK401"
    severity = Severity.WARNING
    title = {"zh": "正文数字与表格不一致", "en": "a count in the text differs from the table"}
    source = "《政府信息公开条例》第五十条；国办公开办函〔2021〕30号"
    advice = {
        "zh": "核对正文与统计表，改正不一致的数字，以表格核实后的数据为准。",
        "en": "Reconcile the text with the table and correct the wrong figure.",
    }
    messages = {
        "differs": {
            "zh": "正文称{what}{stated}件（“{quote}”），表格为{table}件",
            "en": "the text states {stated} {what} ('{quote}'), the table has {table}",
        },
        "none": {
            "zh": "正文称没有{what}（“{quote}”），但表格中有{table}件",
            "en": "the text says there were no {what} ('{quote}'), but the table has {table}",
        },
        **CLAIM_MESSAGES,
    }

    def check(self, report, context):
        totals = _table_totals(report)
        reported: set[tuple[str, int | None]] = set()
        named = tuple(word for key in totals for word in KEYWORDS[key])
        for passage in report.facts.prose:
            for offset, sentence in passage.sentences_holding(named):
                facts = [key for key in totals if KEYWORD_SEARCH[key].search(sentence)]
                if not facts or CONDITIONAL.search(sentence):
                    continue
                for key in facts:
                    patterns, negation = FACTS[key]
                    table = totals[key]
                    for stated, quote, start in _statements(sentence, patterns, negation):
                        if stated in _accepted(key, table, totals) or (key, stated) in reported:
                            continue
                        reported.add((key, stated))
                        kind = "none" if stated == 0 else "differs"
                        yield self.finding(
                            kind,
                            line=passage.line_at(offset + start),
                            severity=Severity.ERROR if kind == "none" else None,
                            evidence={"quote": quote, "stated": stated, "table": table},
                            what=NAMES[key],
                            stated=stated,
                            table=table,
                            quote=quote,
                        )
        yield from check_claims(self, report)


def _accepted(key, table, totals):
    """受理N件 is used both for new requests and for new plus carried over: accept either."""
    if key == "new" and "carried_over" in totals:
        return {table, table + totals["carried_over"]}
    return {table}


def _statements(sentence, patterns, negation):
    found = []
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            value = cn_number(match["n"])
            if value is not None:
                found.append((value, match.group(0), match.start()))
    if not found and negation is not None:
        match = negation.search(sentence)
        if match:
            found.append((0, match.group(0), match.start()))
    return found


def _table_totals(report):
    totals = {}
    requests, review = report.tables.requests, report.tables.review
    if requests:
        for key in ("new", "carried_over"):
            values = requests.values(key)
            if values and values[6] is not None:
                totals[key] = values[6]
    if review:
        groups = [
            review.values(key) for key in ("review", "litigation_direct", "litigation_after_review")
        ]
        if groups[0] and groups[0][4] is not None:
            totals["review"] = groups[0][4]
        if groups[1] and groups[2] and groups[1][4] is not None and groups[2][4] is not None:
            totals["litigation"] = groups[1][4] + groups[2][4]
    return totals
