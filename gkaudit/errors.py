"""The project's own error types: everything gkaudit raises on bad input is one of these."""

from __future__ import annotations

from typing import Any


class GkauditError(Exception):
    """Base class: a one-line, user-facing problem with an input, a rule or the configuration."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


# Why a file could not be read, in the auditor's words: a reason key, its Chinese and English
# templates. ``message`` (English, short) stays the developer's one-line text.
REASONS: dict[str, dict[str, str]] = {
    "not-regular": {
        "zh": "不是普通文件（{kind}），未打开",
        "en": "not a regular file ({kind}); not opened",
    },
    "dangling-link": {
        "zh": "符号链接指向的文件不存在",
        "en": "symbolic link to a file that does not exist",
    },
    "link-loop": {"zh": "符号链接形成循环", "en": "symbolic link loop"},
    "no-such-file": {"zh": "文件不存在", "en": "no such file"},
    "vanished": {
        "zh": "文件在读取过程中消失或被替换",
        "en": "the file vanished or changed while read",
    },
    "permission": {"zh": "无权读取该文件", "en": "permission denied"},
    "os-error": {"zh": "读取失败：{detail}", "en": "cannot read: {detail}"},
    "too-large": {
        "zh": "文件过大：{size}（上限 {limit}，--max-bytes）",
        "en": "file too large: {size} (limit {limit}, --max-bytes)",
    },
    "budget": {
        "zh": "超出处理上限：{budget}",
        "en": "over a processing budget: {budget}",
    },
    "timeout": {
        "zh": "处理超时：超过 {seconds} 秒（--timeout-per-file）",
        "en": "took longer than {seconds} s (--timeout-per-file)",
    },
    "worker-died": {
        "zh": "读取该文件的工作进程意外终止（{how}），文件未能审查",
        "en": "the worker process reading this file stopped ({how}); the file was not audited",
    },
    "out-of-memory": {
        "zh": "处理该文件内存不足，文件未能审查",
        "en": "out of memory while processing the file; the file was not audited",
    },
    "internal": {
        "zh": "读取时发生内部错误（{kind}），文件未能审查，请向 gkaudit 报告",
        "en": "internal error while reading ({kind}); the file was not audited, please report it",
    },
    "empty": {"zh": "空文件", "en": "empty file"},
    "binary": {"zh": "二进制文件，不是文本", "en": "binary file, not text"},
    "bad-encoding": {
        "zh": "声明为 {encoding} 编码，但内容不是有效的 {encoding}",
        "en": "declares {encoding} but is not valid {encoding}",
    },
    "unknown-encoding": {
        "zh": "无法识别文本编码（已尝试 UTF-8、GB18030、Big5、UTF-16）",
        "en": "unknown text encoding (tried UTF-8, GB18030, Big5, UTF-16)",
    },
    "undecodable": {
        "zh": "文本编码似为 {encoding}，但无法解码",
        "en": "text encoding looks like {encoding} but does not decode",
    },
    "unsupported-type": {
        "zh": "不支持的文件类型“{suffix}”",
        "en": "unsupported file type '{suffix}'",
    },
    "corrupt": {
        "zh": "文件已损坏或无法作为 {format} 读取（{detail}）",
        "en": "corrupt or unsupported {format} ({detail})",
    },
    "not-word": {
        "zh": "不是 Word 文档：缺少 word/document.xml",
        "en": "not a Word document: word/document.xml is missing",
    },
    "encrypted": {
        "zh": "PDF 已加密，没有密码无法读取",
        "en": "encrypted PDF: it cannot be read without its password",
    },
    "scanned": {
        "zh": "扫描件 PDF，没有文字层，无法审查（需要 OCR）",
        "en": "scanned PDF without a text layer: no text to audit (needs OCR)",
    },
    "needs-libreoffice": {
        "zh": "{kind} 文件需要 LibreOffice 才能读取：apt-get install libreoffice-writer-nogui",
        "en": "{kind} files need LibreOffice: apt-get install libreoffice-writer-nogui",
    },
    "conversion-failed": {
        "zh": "LibreOffice 无法转换该文件（已损坏，或不是文档）",
        "en": "LibreOffice could not convert the file (corrupt, or not a document)",
    },
    "malformed": {
        "zh": "文件结构异常：{detail}",
        "en": "malformed file: {detail}",
    },
}


class ReadError(GkauditError):
    """The file cannot be turned into text: missing, empty, binary, too large, undecodable.

    ``reason`` names an entry of ``REASONS`` and ``params`` fill its templates, so GK901 can
    say it in Chinese and English; without a reason the English ``message`` is shown as is.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        reason: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, path=path)
        self.reason = reason
        self.params = params or {}

    def localised(self) -> dict[str, str]:
        """The reason in every language: {"zh": ..., "en": ...}."""
        templates = REASONS.get(self.reason or "")
        if templates is None:
            return {"zh": self.message, "en": self.message}
        return {lang: _fill(text, self.params, lang) for lang, text in templates.items()}


def _fill(template: str, params: dict[str, Any], lang: str) -> str:
    values = {
        key: value.get(lang, value.get("en", "")) if isinstance(value, dict) else value
        for key, value in params.items()
    }
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def budget_error(zh: str, en: str) -> ReadError:
    """A file over one of the per-file budgets (pages, cells, decompressed bytes, ...)."""
    return ReadError(f"over budget: {en}", reason="budget", params={"budget": {"zh": zh, "en": en}})


def corrupt_error(message: str, file_format: str, detail: str) -> ReadError:
    """A file its library cannot parse; ``detail`` names what failed (an exception's type)."""
    params = {"format": file_format, "detail": detail}
    return ReadError(message, reason="corrupt", params=params)


def malformed_error(zh: str, en: str) -> ReadError:
    """A file whose structure is invalid where it is read (a span, a count, an attribute)."""
    detail = {"zh": zh, "en": en}
    return ReadError(f"malformed: {en}", reason="malformed", params={"detail": detail})


class FileTimeout(BaseException):  # not an Exception: a library must not catch it
    """The per-file wall-time budget ran out (raised by an alarm inside the worker)."""


class NotAReportError(GkauditError):
    """The text does not look like a government information disclosure annual report."""


class ParseError(GkauditError):
    """The text could not be parsed into a report model."""


class PluginError(GkauditError):
    """A plugin that cannot be loaded or registers something invalid."""
