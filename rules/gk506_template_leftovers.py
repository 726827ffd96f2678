import re

from gkaudit.check.families import PatternRule
from gkaudit.check.findings import Severity

LEFTOVERS = re.compile(
    r"[X×]{2,}"
    r"|(?:19|20)\d?[Xx×]{1,2}年"
    r"|\((?:此处|请)?填写[^)]{0,20}\)|此处填写|请填写"
    r"|[(（]具体(?:网址|名称|单位|电话|地址|日期|数量)[)）]"
    r"|\[bookmark:[^\]]*\]"
    r"|【[^】]{0,20}(?:填写|删除|示例|模板)[^】]{0,20}】"
    r"|^(?:中华人民共和国)?政府信息公开工作年度报告格式$"
)


# Every leftover holds one of these words: a report, then a line, is tested for them first.
WORDS = ("X", "x", "×", "【", "填写", "具体", "[bookmark:", "年度报告格式")
SUSPECT = re.compile("|".join(map(re.escape, WORDS)))


class TemplateLeftovers(PatternRule):
    """正文残留模板或粘贴痕迹。

    **What it does**
    逐行查找模板占位符（XX乡、××、201X年、（此处填写…）、（具体网址））、以文字形式粘贴进来的Word书签
    （[bookmark: _GoBack]）和游离的格式标题。

    **Why**
    这些残留说明报告由模板或别的文件套改而成、发布前未通读，检查中常被列为“内容雷同”“敷衍应付”
    （国办公开办函〔2021〕30号）。

    **Example**
    XX乡人民政府2024年政府信息公开工作年度报告；电子版可在政府门户网站（具体网址）查阅。

    **Use instead**
    卞路口乡人民政府2024年政府信息公开工作年度报告；电子版可在卞路口乡人民政府网站查阅。

    Template leftovers or paste residue in the text (a PatternRule).
    """

    code = "GK506"
    severity = Severity.WARNING
    title = {"zh": "模板残留或粘贴痕迹", "en": "template leftovers or paste residue"}
    source = "国办公开办函〔2021〕30号（对内容雷同、敷衍应付的要求）"
    advice = {
        "zh": "删除模板提示语和粘贴残留，按本单位实际情况撰写。",
        "en": "Remove template text and paste residue; write about the unit's own work.",
    }
    pattern = LEFTOVERS
    prefilter = SUSPECT
    words = WORDS
    key = "leftover"
    messages = {
        "leftover": {
            "zh": "正文残留模板或粘贴痕迹“{quote}”",
            "en": "template or paste residue in the text: '{quote}'",
        }
    }
