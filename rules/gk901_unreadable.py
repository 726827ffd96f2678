from gkaudit.base.errors import NotAReportError
from gkaudit.base.i18n import error_reason_texts
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule


class Unreadable(Rule):
    """文件无法读取：编码无法识别、文件损坏、加密、为空、是二进制文件或过大。

    **What it does**
    列出无法读取的文件及其原因，本批其余文件照常检查。这类文件没有被检查，不对其内容作任何判断。

    **Why**
    gkaudit（输入检查）：审核人员必须知道哪些报送材料根本未能检查。

    **Example**
    一个空文件；一个编码无法识别的文件。

    **Use instead**
    重新报送一份可以正常打开、未加密的报告文件。

    The file cannot be read (encoding, corrupt, encrypted, empty, binary or too large); it is listed
    with the reason and the rest of the batch goes on.
    """

    code = "GK901"
    severity = Severity.ERROR
    title = {"zh": "文件无法读取", "en": "file unreadable"}
    source = "gkaudit（输入检查）"
    advice = {
        "zh": "重新提交可以打开的报告文件（如docx、pdf或网页），并确认文件未损坏、未加密。",
        "en": "Submit a file that opens (docx, pdf or web page), not corrupt or encrypted.",
    }
    messages = {"unreadable": {"zh": "文件无法读取：{reason}", "en": "file unreadable: {reason}"}}

    def check(self, report, context):
        return ()

    def check_unreadable(self, path, error, context):
        if not isinstance(error, NotAReportError):
            reason = error_reason_texts(error)
            yield self.finding(
                "unreadable", line=None, evidence={"reason": error.message}, reason=reason
            )
