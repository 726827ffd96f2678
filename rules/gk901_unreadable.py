from gkaudit.base.errors import NotAReportError
from gkaudit.base.i18n import error_reason_texts
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule


class Unreadable(Rule):
    """The file cannot be read: encoding, corrupt, encrypted, empty, binary or too large.

    An auditor must know which submissions could not be checked at all; the file is listed
    with the reason, and the rest of the batch goes on.

    Fails: an empty file; a file in an undetectable encoding.
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
