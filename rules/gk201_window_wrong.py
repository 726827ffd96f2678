"""GK201: the statistics window is not the report year, or cannot be read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from gkaudit.check.findings import Severity
from gkaudit.check.rule import Context, Result, Rule
from gkaudit.model.facts import WrittenWindow
from gkaudit.model.report import Report


class WindowWrong(Rule):
    """统计期限不是报告年度的1月1日至12月31日，或写得残缺无法读出。

    **What it does**
    读取前言中的统计期限，核对其是否为报告年度1月1日至12月31日；日期不存在时报错。
    统计期限在原文中残缺（如“自202111日起至20211230日止”，年、月字样丢失）时，能读的部分照读：
    读得出而不是全年（如止于12月30日）的报告不符；读不出的起止日期、只写截止日期而无起始日期的，
    以警告提示（不臆测缺失的数字）。

    **Why**
    年度报告统计一个自然年度（《政府信息公开条例》第四十九条、第五十条）；格式要求写明
    “本报告中所列数据的统计期限自X年1月1日起至X年12月31日止”。

    **Example**
    统计期限为2023年12月1日至2024年11月30日（2024年度报告）；统计期限为202411日至20241231日。

    **Use instead**
    本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。

    The statistics window is not 1 January – 31 December of the report year, names an
    impossible date, or is garbled in the source (then what can be read is checked, and what
    cannot be read is said to be unreadable, at warning level).
    """

    code = "GK201"
    severity = Severity.ERROR
    title = {"zh": "统计期限不是报告年度的全年", "en": "statistics window is not the report year"}
    source = "《政府信息公开条例》第四十九条、第五十条"
    advice = {
        "zh": "将统计期限改为报告年度1月1日至12月31日。",
        "en": "State the window as 1 January to 31 December of the report year.",
    }
    messages = {
        "window": {
            "zh": "统计期限“{text}”与{year}年度（{year}年1月1日至12月31日）不符",
            "en": "statistics window '{text}' is not the {year} calendar year (1 Jan – 31 Dec)",
        },
        "invalid": {
            "zh": "统计期限“{text}”含有不存在的日期",
            "en": "statistics window '{text}' contains an impossible date",
        },
        "garbled": {
            "zh": "统计期限“{text}”文字残缺，{part}无法读出（应为{year}年1月1日至12月31日）",
            "en": "statistics window '{text}' is garbled: its {part} cannot be read "
            "(expected 1 January – 31 December {year})",
        },
        "garbled-end": {
            "zh": "统计期限“{text}”文字残缺，起始日期无法读出；截止日期读作{end}，"
            "不是{year}年12月31日",
            "en": "statistics window '{text}' is garbled: its start cannot be read, and its end "
            "reads {end}, not 31 December {year}",
        },
        "end-only": {
            "zh": "统计期限“{text}”只写了截止日期，未写起始日期（应为{year}年1月1日至12月31日）",
            "en": "statistics window '{text}' gives only an end date, no start "
            "(expected 1 January – 31 December {year})",
        },
    }
    PARTS = {
        "start": {"zh": "起始日期", "en": "start date"},
        "end": {"zh": "截止日期", "en": "end date"},
        "both": {"zh": "起止日期", "en": "start and end dates"},
    }

    def check(self, report: Report, context: Context) -> Iterator[Result]:
        window = report.window
        if report.year is None:
            return
        if window is None:
            written = report.facts.written_window
            if written is not None:
                yield from self._check_written(report.year, written)
            return
        evidence = {"quote": window.text, "start": _iso(window.start), "end": _iso(window.end)}
        if window.start is None or window.end is None:
            yield self.finding("invalid", line=window.line, evidence=evidence, text=window.text)
        elif (window.start, window.end) != _calendar_year(report.year):
            yield self.finding(
                "window", line=window.line, evidence=evidence, text=window.text, year=report.year
            )

    def _check_written(self, year: int, written: WrittenWindow) -> Iterator[Result]:
        evidence = {"quote": written.text, "start": _iso(written.start), "end": _iso(written.end)}
        params: dict[str, Any] = {
            "line": written.line,
            "evidence": evidence,
            "text": written.text,
            "year": year,
        }
        warning = Severity.WARNING  # the source is garbled: say what is seen, not more
        if written.start_text is None:
            yield self.finding("end-only", severity=warning, **params)
        elif written.start is None and written.end and written.end != date(year, 12, 31):
            yield self.finding("garbled-end", severity=warning, end=_iso(written.end), **params)
        elif written.start is None or written.end is None:
            part = "both" if written.start is written.end else "start" if written.end else "end"
            yield self.finding("garbled", severity=warning, part=self.PARTS[part], **params)
        elif (written.start, written.end) != _calendar_year(year):
            yield self.finding("window", severity=warning, **params)


def _calendar_year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
