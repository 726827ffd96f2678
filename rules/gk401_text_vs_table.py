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
    """正文中的数字与统计表不一致。

    **What it does**
    “总体情况”等正文常复述全年数字：收到的申请（收到……申请N件）、上年结转（上年结转N件）、行政复议和
    行政诉讼件数。这些数字应与收到和处理政府信息公开申请情况表、政府信息公开行政复议、行政诉讼情况表
    一致。数字可以是阿拉伯数字或汉字（两件、十二件）；否定说法（未收到、无、没有、未发生）视为0。正
    文说没有而表格有数的为错误，其他不一致为警告。讲程序的句子（收到申请后15个工作日内……）和讲结果的
    句子（未被纠错、败诉）不算件数；“受理N件”可指本年新收，也可指本年新收加上年结转，与其中之一相符
    即可。

    同时检查表格与正文说法的矛盾（警告）：正文称申请“均已办结”，而表中“四、结转下年度继续办理”有数；
    正文所述行政规范性文件制发、废止或现行有效件数（共制定规范性文件0件）与主动公开情况表不符。

    **Why**
    《政府信息公开条例》第五十条；国办公开办函〔2021〕30号：报告内容应真实准确，正文和表格说的是同一
    组数据。

    **Example**
    正文“全年收到依申请公开事项3件”，而表中“一、本年新收政府信息公开申请数量”总计为2。

    **Use instead**
    正文与表格一致：“全年收到政府信息公开申请2件”。

    A count stated in the text (requests received or carried over, reviews, lawsuits, normative
    documents, all requests closed) differs from the tables; a text saying none beside a table with
    some is an error, other differences are warnings.
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
