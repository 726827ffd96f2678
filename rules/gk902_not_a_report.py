from gkaudit.base.errors import NotAReportError
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Rule


class NotAReport(Rule):
    """文件看起来不是政府信息公开工作年度报告。

    **What it does**
    文件既没有年度报告标题，也没有格式规定的任何章节标题和统计表，通常是报送错了附件（通知、工作计
    划），而不是报告本身。

    **Why**
    《政府信息公开条例》第四十九条：应公布的是政府信息公开工作年度报告。

    **Example**
    报送目录中混入了一份会议纪要。

    **Use instead**
    报送本单位的政府信息公开工作年度报告。

    The file does not look like a government information disclosure annual report: no report title,
    none of the format's section headings and none of its tables.
    """

    code = "GK902"
    severity = Severity.WARNING
    title = {
        "zh": "文件不像政府信息公开工作年度报告",
        "en": "file does not look like an annual report",
    }
    source = "《政府信息公开条例》第四十九条"
    advice = {
        "zh": "确认提交的是本单位政府信息公开工作年度报告，而不是其他文件。",
        "en": "Make sure the annual report itself was submitted, not another document.",
    }
    messages = {
        "not-report": {
            "zh": "文件不像政府信息公开工作年度报告（无标题、章节和统计表）",
            "en": "the file does not look like an annual report (no title, sections or tables)",
        }
    }

    def check(self, report, context):
        return ()

    def check_unreadable(self, path, error, context):
        if isinstance(error, NotAReportError):
            yield self.finding("not-report", line=None)
