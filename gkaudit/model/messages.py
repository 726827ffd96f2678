"""User-facing wording of what the parser could not read, Chinese first, English on request.

Rows and columns are named as the national form prints them (gkaudit.base.vocabulary), never by
their canonical keys.
"""

from __future__ import annotations

from typing import Any

from gkaudit.base import vocabulary
from gkaudit.base.vocabulary import LANGUAGES, REQUEST_COLUMN_NAMES, Name, row_name
from gkaudit.model.report import Problem

__all__ = ["LANGUAGES", "PROBLEMS", "TABLE_NAMES", "column_name", "describe", "listing"]


# Table names as {"zh": …, "en": …}, ready to be a rule's message parameter.
TABLE_NAMES = {name: value.as_dict() for name, value in vocabulary.TABLE_NAMES.items()}


def listing(items: list[dict[str, str]]) -> dict[str, str]:
    """Bilingual names joined as each language lists them: 甲、乙、丙 / a, b, c."""
    return {
        "zh": "、".join(item["zh"] for item in items),
        "en": ", ".join(item["en"] for item in items),
    }


def column_name(index: int) -> dict[str, str]:
    """Table B column ``index`` (0–6) in both languages."""
    return REQUEST_COLUMN_NAMES[index].as_dict()


PROBLEMS = {
    "table-missing": {
        "zh": "未找到{table}",
        "en": "{table} not found",
    },
    "row-missing": {
        "zh": "{table}缺少“{row}”行",
        "en": "{table}: row '{row}' not found",
    },
    "row-unread": {
        "zh": "{table}“{row}”行未能读取（见同表其他无法读取的内容）",
        "en": "{table}: row '{row}' could not be read "
        "(see the other unreadable lines of the table)",
    },
    "unplaced-row": {
        "zh": "{table}中有一行数值无法确定属于哪一行（行标题缺失或无法辨认“{label}”）：{values}",
        "en": "{table}: a row of values whose place in the form is uncertain (label missing or "
        "garbled '{label}'): {values}",
    },
    "placed-by-position": {
        "zh": "{table}中一行数值的行标题缺失或无法辨认（“{label}”），"
        "按表格格式顺序确定为“{row}”行",
        "en": "{table}: a row whose label is missing or garbled ('{label}') is '{row}' by its "
        "place in the form",
    },
    "row-width": {
        "zh": "{table}“{row}”行有{found}个数值，应为{expected}个，该行未读取",
        "en": "{table}: row '{row}' has {found} values, expected {expected}; the row is not read",
    },
    "duplicate-row": {
        "zh": "{table}“{row}”行重复出现（首次在第{first}行），重复的一行未读取",
        "en": "{table}: row '{row}' appears again (first at line {first}); the repeat is not read",
    },
    "review-count": {
        "zh": "{table}有{found}个数值，应为{expected}个，无法对应到各栏",
        "en": "{table} has {found} numbers, expected {expected}: they cannot be matched to columns",
    },
    "run-together": {
        "zh": "{table}“{row}”行的数字连在一起（{digits}），"
        "按表内勾稽关系有{readings}种读法，无法确定，未读取",
        "en": "{table}: the digits of row '{row}' ran together ({digits}); the table's identities "
        "allow {readings} readings, so the row is not read",
    },
    "old-other-row": {
        "zh": "“其他处理”为单独一行（2019年格式），记入“3.其他”",
        "en": "'其他处理' is a single row (2019 format); counted as 'other: other'",
    },
    "window-invalid": {
        "zh": "统计期限“{text}”中的日期无效",
        "en": "the statistics window '{text}' contains an invalid date",
    },
}


def describe(problem: Problem, lang: str = "zh") -> str:
    """The problem's message in ``lang`` ('zh' or 'en')."""
    templates = PROBLEMS[problem.kind]
    params = {
        key: _shown(key, value, problem.params, lang) for key, value in problem.params.items()
    }
    return templates.get(lang, templates["zh"]).format(**params)


def _shown(key: str, value: Any, params: dict[str, Any], lang: str) -> str:
    if key == "table":
        return TABLE_NAMES[value][lang]
    if key == "row":
        if value is None:
            return Name("（整表）", "(whole table)")[lang]
        return row_name(params.get("table", "requests"), value)[lang]
    return str(value).replace("\t", " ")
