"""Rule docstrings as user documentation: the sections `gkaudit explain` renders."""

from gkaudit.check.findings import Severity
from gkaudit.check.rule import Option, Rule
from gkaudit.outputs.ruledoc import explain_text, parse_docstring, rule_data


class Documented(Rule):
    """报告未提供联系电话。

    **检查什么 / What it does**
    The preamble gives no contact
    telephone.

    **为什么 / Why**
    县政务公开办要求公开受理机构的联系电话。

    **Example**
    全文没有“电话”二字。

    **正确写法**
    联系电话：0391-1234567。
    """

    code = "XQ100"
    severity = Severity.INFO
    title = {"zh": "未提供联系电话", "en": "no contact phone"}  # noqa: RUF012
    source = "县政务公开办要求"
    advice = {"zh": "在报告开头写明联系电话。", "en": "Give a contact telephone."}  # noqa: RUF012
    messages = {"none": {"zh": "报告未提供联系电话", "en": "no contact telephone given"}}  # noqa: RUF012


class Terse(Rule):
    """Only a summary line."""

    code = "XQ101"
    severity = Severity.WARNING
    title = {"zh": "简短", "en": "terse"}  # noqa: RUF012
    source = "《政府信息公开条例》第五十条"
    messages = {"x": {"zh": "x", "en": "x"}}  # noqa: RUF012


def test_sections_by_any_of_their_names():
    doc = parse_docstring(Documented.__doc__)
    assert doc.summary == "报告未提供联系电话。"
    assert doc.sections == {
        "what": "The preamble gives no contact\ntelephone.",
        "why": "县政务公开办要求公开受理机构的联系电话。",
        "example": "全文没有“电话”二字。",
        "fix": "联系电话：0391-1234567。",
    }


def test_the_older_fails_line_is_the_example():
    doc = parse_docstring("Title.\n\n    Body text.\n\n    Fails: an empty file.\n")
    assert doc.sections == {"what": "Body text.", "example": "an empty file."}


def test_explain_renders_what_is_there_in_order():
    page = explain_text(Documented, "zh")
    headings = [h for h in ("检查什么", "为什么", "错误示例", "正确写法", "整改建议", "可配置项")
                if h in page]  # fmt: skip
    assert headings == ["检查什么", "为什么", "错误示例", "正确写法", "整改建议", "可配置项"]
    assert page.index("检查什么") < page.index("为什么") < page.index("错误示例")
    assert "The preamble gives no contact telephone." in page  # the paragraph reflowed
    assert "默认级别：提示" in page and 'ignore = ["XQ100"]' in page
    terse = explain_text(Terse, "en")
    assert "Why" in terse and "Example" not in terse and "Use instead" not in terse
    assert "第五十条：“政府信息公开工作年度报告应当包括下列内容" in terse.replace("\n  ", "")


def test_lines_fit_the_terminal():
    from gkaudit.outputs.ruledoc import _columns

    page = explain_text(Terse, "zh")
    assert all(_columns(line) <= 80 for line in page.splitlines())


def test_rule_data_is_json_ready():
    data = rule_data(Documented, "zh")
    assert data["sections"]["fix"] == "联系电话：0391-1234567。"
    assert data["advice"] == {"zh": "在报告开头写明联系电话。", "en": "Give a contact telephone."}
    assert data["articles"] == {} and data["options"] == {}


class Tunable(Terse):
    """A rule with a setting."""

    code = "XQ102"
    options = {  # noqa: RUF012
        "max-lines": Option(
            3,
            {"type": "integer", "minimum": 1},
            {"zh": "最多允许的行数", "en": "the most lines allowed"},
        ),
        "units": Option({"township": 1}, {"type": "object"}, {"zh": "各类单位", "en": "per unit"}),
    }


def test_explain_shows_the_options_a_rule_declares():
    zh, en = explain_text(Tunable, "zh"), explain_text(Tunable, "en")
    zh_lines, en_lines = [line.strip() for line in zh.splitlines()], en.splitlines()
    at = zh_lines.index("[rules.XQ102] max-lines = 3")
    assert zh_lines[at + 1] == "最多允许的行数"
    assert "[rules.XQ102] units = { township = 1 }" in zh_lines
    at = [line.strip() for line in en_lines].index("[rules.XQ102] max-lines = 3")
    assert en_lines[at + 1].strip() == "the most lines allowed"
    assert "[rules." not in explain_text(Terse, "zh")


def test_rule_data_lists_the_declared_options():
    data = rule_data(Tunable, "en")
    assert data["options"]["max-lines"] == {
        "default": 3,
        "schema": {"type": "integer", "minimum": 1},
        "description": "the most lines allowed",
    }


def test_an_english_paragraph_beside_chinese_sections_is_shown_in_english_only():
    class Documented(Rule):
        """依申请公开情况表：本年新收＋上年结转＝办理结果总计＋结转下年度继续办理。

        **Use instead**
        本年新收2，上年结转0，总计2，结转下年度0。

        2 + 0 = 2 + 0

        Table B, identity 1: new + carried over = handled in total + carried forward.
        """

        code = "GK999"
        severity = Severity.ERROR
        title = {"zh": "勾稽关系", "en": "identity"}  # noqa: RUF012
        source = "表三"

    doc = parse_docstring(Documented.__doc__)
    assert doc.sections["fix"] == "本年新收2，上年结转0，总计2，结转下年度0。\n\n2 + 0 = 2 + 0"
    assert (
        doc.english
        == "Table B, identity 1: new + carried over = handled in total + carried forward."
    )
    assert "new + carried over" not in explain_text(Documented, "zh")
    assert "new + carried over" in explain_text(Documented, "en")


def test_a_section_written_all_in_english_stays_as_written():
    doc = parse_docstring(
        "Summary.\n\n**Use instead**\nWrite the window as 1 January to 31 December."
    )
    assert (
        doc.sections["fix"] == "Write the window as 1 January to 31 December." and not doc.english
    )


def test_built_in_rules_with_chinese_sections_show_no_english_prose_in_chinese():
    import re

    from gkaudit.audit.config import Config
    from gkaudit.audit.engine import Engine

    chinese = [
        rule for rule in Engine.load(Config()).rules.values()
        if len(re.findall(r"[A-Za-z]{2,}", parse_docstring(rule.__doc__).summary)) < 4
    ]  # fmt: skip
    assert len(chinese) == len(Engine.load(Config()).rules)
    for rule in chinese:
        page = explain_text(rule, "zh").split("可配置项")[0]
        prose = [
            line for line in page.splitlines()
            if len(re.findall(r"[A-Za-z]{2,}", line)) >= 4 and not re.search(r"[\u4e00-\u9fff]", line)
        ]  # fmt: skip
        assert not prose, (rule.code, prose)
