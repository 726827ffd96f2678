import re

from gkaudit.findings import Severity
from gkaudit.rule import Rule

OUTDATED = re.compile(r"国务院令第492号|2007年[^。；]{0,10}政府信息公开条例")


class OutdatedLegalBasis(Rule):
    """An outdated legal basis is cited.

    The Regulation was revised by State Council Order No. 711 (2019, in force 15 May 2019);
    the 2007 text (国务院令第492号) no longer applies. Citing it suggests an old report's
    preamble copied forward.

    Fails: 根据《中华人民共和国政府信息公开条例》（国务院令第492号）…
    """

    code = "GK507"
    severity = Severity.WARNING
    title = {"zh": "引用了过时的法律依据", "en": "outdated legal basis cited"}
    source = "《政府信息公开条例》（国务院令第711号，2019年修订）"
    advice = {
        "zh": "改为引用现行《政府信息公开条例》（国务院令第711号）。",
        "en": "Cite the current Regulation (State Council Decree No. 711).",
    }
    messages = {
        "outdated": {
            "zh": "引用了已废止的条例版本“{quote}”，现行为国务院令第711号",
            "en": "cites the superseded Regulation '{quote}'; the current one is Order No. 711",
        }
    }

    def check(self, report, context):
        for line in report.lines:
            match = OUTDATED.search(line.text)
            if match:
                yield self.finding(
                    "outdated",
                    line=line.number,
                    evidence={"quote": match.group(0)},
                    quote=match.group(0),
                )
