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


class ReadError(GkauditError):
    """The file cannot be turned into text: missing, empty, binary, too large, undecodable.

    ``reason`` is a key of the reasons table (gkaudit.base.i18n.REASONS, which holds every text the
    auditor reads) and ``params`` fill its texts, so GK901 can say it in Chinese and English;
    ``message`` (English, short) stays the developer's one-line text.
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
        """The reason in every language: {"zh": ..., "en": ...} (the message when the table
        has neither the reason nor the message)."""
        from gkaudit.base.i18n import reason_texts

        return reason_texts(self.message, self.reason, self.params)


def budget_error(zh: str, en: str) -> ReadError:
    """A file over one of the per-file budgets (pages, cells, decompressed bytes, ...)."""
    return ReadError(f"over budget: {en}", reason="budget", params={"budget": {"zh": zh, "en": en}})


def corrupt_error(message: str, file_format: dict[str, str], detail: str) -> ReadError:
    """A file its library cannot parse: ``file_format`` names the kind of file in each language,
    ``detail`` what failed (an exception's type or message, for the English text only)."""
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
