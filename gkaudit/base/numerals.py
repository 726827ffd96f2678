"""Numbers and dates as people write them: Arabic digits or Chinese numerals.

The one Chinese-numeral parser of the project: counts in prose (两件, 十二条, 一百零五件), years
written digit by digit (二〇二四), months and days (十二月三十一日).
"""

from __future__ import annotations

import re
from datetime import date

CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0, "0": 0,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
NUMBER = r"(?:\d[\d,]*|[零〇一二两三四五六七八九十百千万]+)"
YEAR = r"(?:(?:19|20)\d\d|[一二][〇零○Ｏ0一二三四五六七八九]{3})"
MONTH_DAY = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
DATE = re.compile(
    rf"(?P<year>{YEAR})\s*年\s*(?P<month>{MONTH_DAY})\s*月\s*(?P<day>{MONTH_DAY})\s*日"
)


def cn_number(text: str) -> int | None:
    """'12' -> 12, '两' -> 2, '十二' -> 12, '一百零五' -> 105; None when not a number."""
    text = text.replace(",", "")
    if text.isdigit():
        return int(text)
    total, section, current = 0, 0, 0
    for char in text:
        if char in CN_DIGITS:
            current = CN_DIGITS[char]
        elif char in CN_UNITS:
            unit = CN_UNITS[char]
            if unit == 10000:
                total += (section + current) * unit
                section = current = 0
            else:
                section += (current or 1) * unit
                current = 0
        else:
            return None
    return total + section + current if text else None


def cn_year(text: str) -> int | None:
    """'2024' or '二〇二四' (digit by digit) -> 2024."""
    if text.isdigit():
        return int(text)
    digits = [CN_DIGITS.get(char) for char in text]
    if len(digits) != 4 or None in digits:
        return None
    return int("".join(str(digit) for digit in digits))


def make_date(year: str, month: str, day: str) -> date | None:
    """A date from its written parts, Arabic or Chinese; None when it is not a real date."""
    y, m, d = cn_year(year), cn_number(month), cn_number(day)
    if y is None or m is None or d is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[date | None, re.Match[str]]]:
    """Every date written in ``text`` (None for a written date that does not exist)."""
    return [(make_date(m["year"], m["month"], m["day"]), m) for m in DATE.finditer(text)]
