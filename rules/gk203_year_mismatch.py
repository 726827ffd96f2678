import re

from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule
from gkaudit.model.facts import SectionKind

CARRIED_TO = re.compile(r"结转(?:至|到)?(?P<year>(?:19|20)\d\d)年")
SELF_REFERENCE = re.compile(
    r"(?:编制了?|现将)(?P<year>(?:19|20)\d\d)年度?(?:政府信息公开|政务公开)"
)
SELF_VERB = re.compile(r"编制了?|现将|现予?公布|现发布|特此公布")  # not 发布: last year's report may be named
AS_OF = re.compile(r"截至(?P<year>(?:19|20)\d\d)年12月31日")
BODY_WORDS = ("结转", "编制", "现将", "截至")  # one of them leads each pattern above


class YearMismatch(Rule):
    """标题、统计期限与正文中的年份不一致。

    **What it does**
    核对统计期限的年份与标题年份；正文中“结转{N+1}年”“截至N年12月31日”、报告对自身的称呼
    （“现将N年度政府信息公开工作情况…”“编制了《…N年政府信息公开工作年度报告》”）中的年份应为报告年度N。
    “N-1年结转至N年”是上年结转到本年，不报。总体情况中以年份领起的段落（“(三)政府信息管理情况
    N-1年，…共制定规范性文件0件”）所讲的应是报告年度：领起年份早于报告年度的，是照抄上年的数字。
    标题读不出年度时，以统计期限的年份为报告年度。

    **Why**
    年度报告统计一个自然年度（《政府信息公开条例》第四十九条）；错年份通常是照抄上年报告（内容雷同）或笔误，
    使数字的所属年度存疑。

    **Example**
    2021年度报告中写“编制了《某县2020年政府信息公开工作年度报告》”；2024年度报告写“结转2024年”。

    **Use instead**
    编制了《某县2021年政府信息公开工作年度报告》；结转2025年继续办理。

    The title year, the window year and years in the body disagree.
    """

    code = "GK203"
    severity = Severity.WARNING
    title = {"zh": "标题、统计期限与正文年份不一致", "en": "title, window and body years disagree"}
    source = "《政府信息公开条例》第四十九条"
    advice = {
        "zh": "统一标题、统计期限和正文中的年份。",
        "en": "Make the years of the title, the window and the text agree.",
    }
    messages = {
        "window": {
            "zh": "统计期限年份{found}与标题年份{year}不一致",
            "en": "the window's year {found} differs from the title's {year}",
        },
        "body": {
            "zh": "正文“{quote}”中的年份{found}与{year}年度报告不符（应为{expected}）",
            "en": "'{quote}' gives the year {found} in a {year} report (expected {expected})",
        },
    }

    def check(self, report, context):
        year = report.year or _window_year(report)
        if year is None:
            return
        window = report.window
        if report.year and window and window.start and window.start.year != year:
            yield self.finding(
                "window",
                line=window.line,
                evidence={"quote": window.text},
                found=window.start.year,
                year=year,
            )
        for line in report.facts.lines_holding(BODY_WORDS):
            if "年" not in line.text:
                continue
            for pattern, expected in (
                (CARRIED_TO, year + 1),
                (SELF_REFERENCE, year),
                (AS_OF, year),
            ):
                for match in pattern.finditer(line.text):
                    found = int(match["year"])
                    if found != expected and not _carried_in(line.text, match, year):
                        quote = match.group(0)
                        yield self.finding(
                            "body",
                            line=line.number,
                            evidence={"quote": quote},
                            quote=quote,
                            found=found,
                            year=year,
                            expected=expected,
                        )

        others = report.facts.years_except(year)  # the years both checks below look at
        yield from self._report_titles(others, year)
        yield from self._earlier_periods(others, year)

    def _earlier_periods(self, mentions, year):
        """(三)政府信息管理情况 2022年，… in a 2023 report's overview: last year's figures."""
        for mention in mentions:
            if mention.refers_to != "period" or mention.kind != SectionKind.OVERVIEW:
                continue
            if mention.year >= year:
                continue  # 2025年，我局将… is a plan, not this year's figures
            yield self._body_finding(mention, year)

    def _body_finding(self, mention, year):
        quote = mention.context.strip("，,。；")[:60]
        return self.finding(
            "body",
            line=mention.line,
            evidence={"quote": quote},
            quote=quote,
            found=mention.year,
            year=year,
            expected=year,
        )

    def _report_titles(self, mentions, year):
        """编制了《…2020年政府信息公开工作年度报告》 in a 2021 report: its own title, wrong."""
        for mention in mentions:
            if mention.refers_to != "report" or mention.year == year:
                continue
            before = mention.context.split(str(mention.year))[0]
            if not SELF_VERB.search(before[-30:]) or "《" not in before[-30:]:
                continue
            yield self._body_finding(mention, year)


def _window_year(report):
    """The report year as its statistics window states it, when the title gives none."""
    window = report.window
    if window is not None and window.start is not None:
        return window.start.year
    written = report.facts.written_window
    if written is not None and written.start is not None:
        return written.start.year
    return None


def _carried_in(text, match, year):
    """2023年结转至2024年 in a 2024 report: carried in from the previous year, right."""
    found = int(match["year"])
    return found == year and f"{found - 1}年" in text[max(0, match.start() - 8) : match.start()]
