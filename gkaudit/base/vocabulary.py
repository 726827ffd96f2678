"""The national form's words, in one place: section headings, the three tables, their rows and
columns, as the form prints them (Chinese) and in plain English.

Everything that recognises a heading, a table head or a row label, and everything that names a
row or a column to a person, reads it from here. Canonical keys (``carried_forward``) are for
code only; people see ``zh``/``en`` names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Name:
    zh: str
    en: str

    def __getitem__(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


# --- sections -------------------------------------------------------------------------

SECTION_NAMES = {
    1: Name("总体情况", "overview"),
    2: Name("主动公开政府信息情况", "proactive disclosure"),
    3: Name("收到和处理政府信息公开申请情况", "requests received and handled"),
    4: Name("政府信息公开行政复议、行政诉讼情况", "administrative review and litigation"),
    5: Name("存在的主要问题及改进情况", "main problems and improvements"),
    6: Name("其他需要报告的事项", "other matters"),
}
SECTION_HEADINGS = {kind: name.zh for kind, name in SECTION_NAMES.items()}

# Checked in order: the first whose pattern a heading contains gives the section's kind.
SECTION_KINDS = (
    (1, re.compile(r"总体情况")),
    (3, re.compile(r"收到和处理|依申请公开|申请情况|公开申请")),
    (4, re.compile(r"行政复议|行政诉讼")),
    (5, re.compile(r"主要问题|改进情况|存在.*问题")),
    (6, re.compile(r"其他需要报告|其他事项")),
    (2, re.compile(r"主动公开")),
)
# Words that make a numbered line a section heading (and not a Table B row label).
SECTION_WORDS = (
    "总体情况", "主动公开", "收到和处理", "依申请公开", "申请情况", "行政复议", "行政诉讼",
    "主要问题", "改进情况", "其他需要报告", "其他事项",
)  # fmt: skip


def section_kind(heading: str) -> int | None:
    """Which of the format's six sections a heading names, or None."""
    return next((kind for kind, pattern in SECTION_KINDS if pattern.search(heading)), None)


# --- tables -------------------------------------------------------------------------

TABLE_NAMES = {
    "active": Name("主动公开政府信息情况表", "Table A (proactive disclosure)"),
    "requests": Name("收到和处理政府信息公开申请情况表", "Table B (requests)"),
    "review": Name("政府信息公开行政复议、行政诉讼情况表", "Table C (review and litigation)"),
}

# Table heads: a line or a row that starts one of the three tables.
ACTIVE_HEAD = re.compile(r"第二十条第")  # 第二十条第（一）项; crawled pages may cut the rest
REQUESTS_HEAD = re.compile(
    r"勾稽关系|申请人情况|^[一1][、.]?本年新收|自然人\t.{0,40}法人|法人.{0,40}\t自然人"
)
REVIEW_HEAD = re.compile(r"^行政复议(?:\t|$|行政诉讼)|^\t*行政复议\t+行政诉讼")
COLUMN_HEADER_WORDS = re.compile(
    r"自然人|法人或其他组织|商业企业|申请人情况|科研机构|社会公益|法律服务|信息内容|本年制发|"
    r"本年废止|现行有效|处理决定数量|收费金额|结果维持|结果纠正|其他结果|尚未审结|未经复议|"
    r"复议后起诉|本年新制作|本年新公开|对外公开总数量|上一年项目数量|本年增/减|采购项目数量|采购总金额"
)


@dataclass(frozen=True)
class FormRow:
    """One row of a table of the national form."""

    key: str
    name: Name  # as the form prints it
    pattern: re.Pattern[str]  # searched in the row's label cells, joined by tabs
    width: int  # value columns
    columns: tuple[Name, ...] = ()


@dataclass(frozen=True)
class Form:
    """One table of the national form: its rows in the form's order."""

    table: str
    template: str
    rows: tuple[FormRow, ...]

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(row.key for row in self.rows)

    def row(self, key: str) -> FormRow:
        return self._rows_by_key[key]

    @cached_property
    def _rows_by_key(self) -> dict[str, FormRow]:
        return {row.key: row for row in self.rows}

    def classify(self, label: str) -> str | None:
        """The key of the row whose label this is (first pattern found, in priority order)."""
        return _classify(self.table, self.template, label)

    @cached_property
    def by_priority(self) -> tuple[FormRow, ...]:
        """The rows in the order their patterns are tried: specific wording before general."""
        order = LABEL_PRIORITY.get(self.table, ())
        return tuple(
            sorted(self.rows, key=lambda r: order.index(r.key) if r.key in order else len(order))
        )


@lru_cache(maxsize=16384)
def _classify(table: str, template: str, label: str) -> str | None:
    form = ACTIVE_2019 if (table, template) == ("active", "2019") else FORMS[table]
    return next((row.key for row in form.by_priority if row.pattern.search(label)), None)


# Table A, 2021 format (国办公开办函〔2021〕30号).
MADE = Name("本年制发件数", "made this year")
REPEALED = Name("本年废止件数", "repealed this year")
IN_FORCE = Name("现行有效件数", "in force")
DECISIONS = Name("本年处理决定数量", "decisions this year")
FEE_AMOUNT = Name("本年收费金额（单位：万元）", "fees collected (10,000 yuan)")
ACTIVE_COLUMNS_3 = (MADE, REPEALED, IN_FORCE)

ACTIVE_2021 = Form(
    "active",
    "2021",
    (
        FormRow("regulations", Name("规章", "rules (规章)"), re.compile(r"^规章$|\t规章$"), 3,
                ACTIVE_COLUMNS_3),
        FormRow("normative_documents", Name("行政规范性文件", "normative documents"),
                re.compile(r"规范性文件$"), 3, ACTIVE_COLUMNS_3),
        FormRow("licensing", Name("行政许可", "administrative licensing"),
                re.compile(r"行政许可$"), 1, (DECISIONS,)),
        FormRow("penalty", Name("行政处罚", "administrative penalties"),
                re.compile(r"行政处罚$"), 1, (DECISIONS,)),
        FormRow("enforcement", Name("行政强制", "administrative enforcement"),
                re.compile(r"行政强制$"), 1, (DECISIONS,)),
        FormRow("fees", Name("行政事业性收费", "administrative fees"),
                re.compile(r"事业性收费$"), 1, (FEE_AMOUNT,)),
    ),
)  # fmt: skip

# Table A, 2019 trial format (国办公开办函〔2019〕60号): other rows and other columns.
_NEW_MADE = (
    Name("本年新制作数量", "newly made"),
    Name("本年新公开数量", "newly published"),
    Name("对外公开总数量", "published in total"),
)
_PROJECTS = (
    Name("上一年项目数量", "items last year"),
    Name("本年增/减", "change this year"),
    Name("处理决定数量", "decisions"),
)
ACTIVE_2019 = Form(
    "active",
    "2019",
    (
        FormRow("regulations", Name("规章", "rules (规章)"), re.compile(r"^规章$|\t规章$"), 3,
                _NEW_MADE),
        FormRow("normative_documents", Name("规范性文件", "normative documents"),
                re.compile(r"规范性文件$"), 3, _NEW_MADE),
        FormRow("licensing", Name("行政许可", "administrative licensing"),
                re.compile(r"行政许可$"), 3, _PROJECTS),
        FormRow("other_services", Name("其他对外管理服务事项", "other public services"),
                re.compile(r"对外管理服务事项$"), 3, _PROJECTS),
        FormRow("penalty", Name("行政处罚", "administrative penalties"),
                re.compile(r"行政处罚$"), 3, _PROJECTS),
        FormRow("enforcement", Name("行政强制", "administrative enforcement"),
                re.compile(r"行政强制$"), 3, _PROJECTS),
        FormRow("fees", Name("行政事业性收费", "administrative fees"),
                re.compile(r"事业性收费$"), 2, _PROJECTS[:2]),
        FormRow("procurement", Name("政府集中采购", "central government procurement"),
                re.compile(r"集中采购$"), 2,
                (Name("采购项目数量", "procurement items"), Name("采购总金额", "amount"))),
    ),
)  # fmt: skip
def active_column_labels() -> tuple[str, ...]:
    """Every column label Table A prints, in either form (the fee column's included)."""
    names = [name.zh for form in (ACTIVE_2021, ACTIVE_2019) for row in form.rows
             for name in row.columns]  # fmt: skip
    return tuple(dict.fromkeys(names))


TEMPLATE_2019_MARKERS = re.compile(
    r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增/减|"
    r"其他对外管理服务事项|第二十条第\(九\)项|采购总金额|政府集中采购"
)

# Table B.
REQUEST_COLUMN_NAMES = (
    Name("自然人", "natural persons"),
    Name("商业企业", "businesses"),
    Name("科研机构", "research bodies"),
    Name("社会公益组织", "social welfare bodies"),
    Name("法律服务机构", "legal services"),
    Name("其他", "other bodies"),
    Name("总计", "total"),
)
REQUEST_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_organisation",
    "total",
)
SUBTOTAL_COLUMN = Name("法人或其他组织（小计）", "legal persons and other bodies (subtotal)")


def _b(key: str, zh: str, en: str, pattern: str) -> FormRow:
    return FormRow(key, Name(zh, en), re.compile(pattern), 7, REQUEST_COLUMN_NAMES)


REQUESTS_2021 = Form(
    "requests",
    "2021",
    (
        _b("new", "一、本年新收政府信息公开申请数量", "new requests this year", r"本年新收"),
        _b("carried_over", "二、上年结转政府信息公开申请数量", "carried over from last year",
           r"上年结转"),
        _b("granted", "（一）予以公开", "granted", r"予以公开"),
        _b("partial", "（二）部分公开", "partly granted", r"部分公开"),
        _b("denied_1", "（三）不予公开 1.属于国家秘密", "denied: state secret", r"国家秘密"),
        _b("denied_2", "（三）不予公开 2.其他法律行政法规禁止公开",
           "denied: forbidden by other laws", r"法律行政法规|禁止公开|行政止公开"),
        _b("denied_3", "（三）不予公开 3.危及“三安全一稳定”", "denied: endangers security",
           r"三安全一稳定|危及"),
        _b("denied_4", "（三）不予公开 4.保护第三方合法权益", "denied: third-party rights",
           r"第三方合法权益"),
        _b("denied_5", "（三）不予公开 5.属于三类内部事务信息", "denied: internal affairs",
           r"内部事务"),
        _b("denied_6", "（三）不予公开 6.属于四类过程性信息", "denied: process information",
           r"过程性"),
        _b("denied_7", "（三）不予公开 7.属于行政执法案卷", "denied: enforcement files",
           r"执法案卷"),
        _b("denied_8", "（三）不予公开 8.属于行政查询事项", "denied: administrative query",
           r"行政查询"),
        _b("unable_1", "（四）无法提供 1.本机关不掌握相关政府信息",
           "unable: not held by this body", r"不掌握"),
        _b("unable_2", "（四）无法提供 2.没有现成信息需要另行制作",
           "unable: would have to be created", r"另行制作|没有现成"),
        _b("unable_3", "（四）无法提供 3.补正后申请内容仍不明确",
           "unable: unclear after correction", r"仍不明确|补正后申请"),
        _b("not_processed_1", "（五）不予处理 1.信访举报投诉类申请",
           "not processed: petitions and complaints", r"信访|举报投诉"),
        _b("not_processed_2", "（五）不予处理 2.重复申请", "not processed: repeated",
           r"重复申请"),
        _b("not_processed_3", "（五）不予处理 3.要求提供公开出版物",
           "not processed: publications", r"公开出版物"),
        _b("not_processed_4", "（五）不予处理 4.无正当理由大量反复申请",
           "not processed: mass repeated requests", r"大量反复"),
        _b("not_processed_5", "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
           "not processed: confirm or reissue", r"重新出具"),
        _b("other_1", "（六）其他处理 1.申请人无正当理由逾期不补正",
           "other: no correction in time", r"逾期不补正"),
        _b("other_2", "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用",
           "other: fee not paid", r"缴纳费用|收费通知"),
        _b("other_3", "（六）其他处理 3.其他", "other: other", r"(?:^|\t)(?:3[.、]?)?其他$"),
        _b("total", "（七）总计", "total handled", r"总计$"),
        _b("carried_forward", "四、结转下年度继续办理", "carried forward to next year",
           r"结转下年|转下一?年"),
    ),
)  # fmt: skip
OLD_OTHER_ROW = re.compile(r"其他处理$")  # the 2019 format's single （六）其他处理 row
REQUEST_KEYS = REQUESTS_2021.keys

# Table C: three groups of five.
REVIEW_COLUMN_NAMES = (
    Name("结果维持", "upheld"),
    Name("结果纠正", "corrected"),
    Name("其他结果", "other result"),
    Name("尚未审结", "pending"),
    Name("总计", "total"),
)
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_2021 = Form(
    "review",
    "2021",
    (
        FormRow("review", Name("行政复议", "administrative review"),
                re.compile(r"^行政复议$"), 5, REVIEW_COLUMN_NAMES),
        FormRow("litigation_direct", Name("行政诉讼（未经复议直接起诉）",
                                          "litigation without review"),
                re.compile(r"未经复议|直接起诉"), 5, REVIEW_COLUMN_NAMES),
        FormRow("litigation_after_review", Name("行政诉讼（复议后起诉）",
                                                "litigation after review"),
                re.compile(r"复议后起诉"), 5, REVIEW_COLUMN_NAMES),
    ),
)  # fmt: skip
REVIEW_KEYS = REVIEW_2021.keys

# Specific wording before general, where one label could match two rows' patterns.
LABEL_PRIORITY = {
    "requests": (
        "new", "carried_over", "carried_forward", "denied_1", "denied_2", "denied_3", "denied_4",
        "denied_5", "denied_6", "denied_7", "denied_8", "unable_1", "unable_2", "unable_3",
        "not_processed_1", "not_processed_2", "not_processed_3", "not_processed_4",
        "not_processed_5", "other_1", "other_2", "other_3", "granted", "partial", "total",
    ),
    "review": ("litigation_direct", "litigation_after_review", "review"),
}  # fmt: skip

FORMS = {"active": ACTIVE_2021, "requests": REQUESTS_2021, "review": REVIEW_2021}
ACTIVE_WIDTHS = {row.key: row.width for row in ACTIVE_2021.rows}


def form_for(table: str, template: str | None = None) -> Form:
    if table == "active" and template == "2019":
        return ACTIVE_2019
    return FORMS[table]


def row_name(table: str, key: str, template: str | None = None) -> Name:
    """A row as the form prints it; a key of no form is shown as is (a plugin's own)."""
    for form in (form_for(table, template), FORMS.get(table), ACTIVE_2019):
        if form is not None and key in form.keys:
            return form.row(key).name
    return Name(key, key)


def column_name(table: str, key: str, index: int, template: str | None = None) -> Name:
    """Column ``index`` (0-based) of a row as the form prints it."""
    form = form_for(table, template)
    columns = form.row(key).columns if key in form.keys else ()
    if 0 <= index < len(columns):
        return columns[index]
    return Name(f"第{index + 1}列", f"column {index + 1}")


# --- unit types -------------------------------------------------------------------------

UNIT_TYPE_NAMES = {
    "township": Name("乡镇（街道）", "township"),
    "county": Name("县级政府", "county government"),
    "department": Name("部门", "department"),
    "unknown": Name("未知", "unknown"),
}
SEVERITY_NAMES = {
    "error": Name("错误", "error"),
    "warning": Name("警告", "warning"),
    "info": Name("提示", "info"),
}
