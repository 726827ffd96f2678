"""User-facing wording of parse problems, Chinese first, English on request.

One table: each problem kind has a message per language, filled from the problem's params.
"""

from __future__ import annotations

from gkaudit.model import Problem

LANGUAGES = ("zh", "en")

TABLE_NAMES = {
    "active": {"zh": "主动公开情况表", "en": "Table A (proactive disclosure)"},
    "requests": {"zh": "依申请公开情况表", "en": "Table B (requests)"},
    "review": {"zh": "行政复议、行政诉讼情况表", "en": "Table C (review and litigation)"},
}

REQUEST_COLUMN_NAMES = {
    "zh": ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"),
    "en": ("natural persons", "businesses", "research bodies", "social welfare bodies",
           "legal services", "other bodies", "total"),
}  # fmt: skip
REVIEW_GROUP_NAMES = {
    "review": {"zh": "行政复议", "en": "administrative review"},
    "litigation_direct": {"zh": "行政诉讼（未经复议直接起诉）", "en": "litigation without review"},
    "litigation_after_review": {"zh": "行政诉讼（复议后起诉）", "en": "litigation after review"},
}


def listing(items: list[dict[str, str]]) -> dict[str, str]:
    """Bilingual names joined as each language lists them: 甲、乙、丙 / a, b, c."""
    return {
        "zh": "、".join(item["zh"] for item in items),
        "en": ", ".join(item["en"] for item in items),
    }


def column_name(index: int) -> dict[str, str]:
    """Table B column ``index`` (0–6) in both languages."""
    return {lang: names[index] for lang, names in REQUEST_COLUMN_NAMES.items()}


PROBLEMS = {
    "table-missing": {
        "zh": "未找到{table}",
        "en": "{table} not found",
    },
    "row-missing": {
        "zh": "{table}缺少“{key}”行",
        "en": "{table}: row '{key}' not found",
    },
    "unrecognised-row": {
        "zh": "{table}中有无法识别的数据行“{label}”",
        "en": "{table}: row with values but an unrecognised label '{label}'",
    },
    "unlabelled-row": {
        "zh": "{table}中有一行数值没有行标题：{values}",
        "en": "{table}: a row of values without a label: {values}",
    },
    "row-width": {
        "zh": "{table}“{key}”行有{found}个数值，应为{expected}个",
        "en": "{table}: row '{key}' has {found} values, expected {expected}",
    },
    "duplicate-row": {
        "zh": "{table}“{key}”行重复出现（首次在第{first}行）",
        "en": "{table}: row '{key}' appears again (first at line {first})",
    },
    "review-count": {
        "zh": "行政复议、行政诉讼情况表有{found}个数值，应为{expected}个",
        "en": "Table C has {found} numbers, expected {expected}",
    },
    "old-other-row": {
        "zh": "“其他处理”为单独一行（2019年格式），记入“其他”",
        "en": "'其他处理' is a single row (2019 format); counted as other_3",
    },
    "window-invalid": {
        "zh": "统计期限“{text}”中的日期无效",
        "en": "the statistics window '{text}' contains an invalid date",
    },
}


def describe(problem: Problem, lang: str = "zh") -> str:
    """The problem's message in ``lang`` ('zh' or 'en')."""
    templates = PROBLEMS[problem.kind]
    params = {key: str(value).replace("\t", " ") for key, value in problem.params.items()}
    if "table" in params:
        params["table"] = TABLE_NAMES[params["table"]][lang]
    return templates.get(lang, templates["zh"]).format(**params)
