"""A report's three tables as one flat row, each column named as the national form prints it
(for the county's 数据汇总 sheet). A cell that could not be read stays None, never 0."""

from __future__ import annotations

from functools import cache
from typing import Any

from gkaudit.model.report import (
    ACTIVE_WIDTHS,
    REQUEST_COLUMNS,
    REQUEST_KEYS,
    REVIEW_COLUMNS,
    REVIEW_KEYS,
    Report,
)

ACTIVE_ROWS = {
    "regulations": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "penalty": "行政处罚",
    "enforcement": "行政强制",
    "fees": "行政事业性收费",
}
ACTIVE_COLUMNS = {
    3: ("本年制发件数", "本年废止件数", "现行有效件数"),
    1: ("本年处理决定数量",),
}
FEE_COLUMN = "本年收费金额（万元）"

REQUEST_ROWS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "三（一）予以公开",
    "partial": "三（二）部分公开",
    "denied_1": "三（三）不予公开 1.属于国家秘密",
    "denied_2": "三（三）不予公开 2.其他法律行政法规禁止公开",
    "denied_3": "三（三）不予公开 3.危及“三安全一稳定”",
    "denied_4": "三（三）不予公开 4.保护第三方合法权益",
    "denied_5": "三（三）不予公开 5.属于三类内部事务信息",
    "denied_6": "三（三）不予公开 6.属于四类过程性信息",
    "denied_7": "三（三）不予公开 7.属于行政执法案卷",
    "denied_8": "三（三）不予公开 8.属于行政查询事项",
    "unable_1": "三（四）无法提供 1.本机关不掌握相关政府信息",
    "unable_2": "三（四）无法提供 2.没有现成信息需要另行制作",
    "unable_3": "三（四）无法提供 3.补正后申请内容仍不明确",
    "not_processed_1": "三（五）不予处理 1.信访举报投诉类申请",
    "not_processed_2": "三（五）不予处理 2.重复申请",
    "not_processed_3": "三（五）不予处理 3.要求提供公开出版物",
    "not_processed_4": "三（五）不予处理 4.无正当理由大量反复申请",
    "not_processed_5": "三（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
    "other_1": "三（六）其他处理 1.申请人无正当理由逾期不补正",
    "other_2": "三（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用",
    "other_3": "三（六）其他处理 3.其他",
    "total": "三（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
REQUEST_COLUMN_NAMES = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_organisation": "其他",
    "total": "总计",
}
REVIEW_ROWS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼 未经复议直接起诉",
    "litigation_after_review": "行政诉讼 复议后起诉",
}
REVIEW_COLUMN_NAMES = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}


def figure_columns() -> list[str]:
    """Every column of the 数据汇总 sheet after the unit's own, in the form's order."""
    return [name for name, _ in _cells()]


def table_figures(report: Report) -> list[Any]:
    """The report's table cells in the order of ``figure_columns()``; absent ones are None."""
    tables = {"active": report.tables.active, "requests": report.tables.requests,
              "review": report.tables.review}  # fmt: skip
    figures: list[Any] = []
    for table_name, key, width in _rows():
        table = tables[table_name]
        row = table.rows.get(key) if table else None
        if row is None:
            figures += [None] * width
            continue
        values = [cell.value for cell in row.cells[:width]]
        figures += values
        if len(values) < width:
            figures += [None] * (width - len(values))
    return figures


@cache
def _rows() -> tuple[tuple[str, str, int], ...]:
    """The rows of ``_cells()`` in order, each (table, row key, how many of its columns)."""
    rows: list[tuple[str, str, int]] = []
    for _, (table_name, key, _index) in _cells():
        if rows and rows[-1][:2] == (table_name, key):
            rows[-1] = (table_name, key, rows[-1][2] + 1)
        else:
            rows.append((table_name, key, 1))
    return tuple(rows)


@cache
def _cells() -> tuple[tuple[str, tuple[str, str, int]], ...]:
    cells = []
    for key, width in ACTIVE_WIDTHS.items():
        columns = (FEE_COLUMN,) if key == "fees" else ACTIVE_COLUMNS[width]
        for index, column in enumerate(columns):
            cells.append((f"{ACTIVE_ROWS[key]}·{column}", ("active", key, index)))
    for key in REQUEST_KEYS:
        for index, column in enumerate(REQUEST_COLUMNS):
            name = f"{REQUEST_ROWS[key]}·{REQUEST_COLUMN_NAMES[column]}"
            cells.append((name, ("requests", key, index)))
    for key in REVIEW_KEYS:
        for index, column in enumerate(REVIEW_COLUMNS):
            name = f"{REVIEW_ROWS[key]}·{REVIEW_COLUMN_NAMES[column]}"
            cells.append((name, ("review", key, index)))
    return tuple(cells)
