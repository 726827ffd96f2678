"""The project's own error types: everything gkaudit raises on bad input is one of these."""

from __future__ import annotations


class GkauditError(Exception):
    """Base class: a one-line, user-facing problem with an input, a rule or the configuration."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ReadError(GkauditError):
    """The file cannot be turned into text: missing, empty, binary, too large, undecodable."""


class NotAReportError(GkauditError):
    """The text does not look like a government information disclosure annual report."""


class ParseError(GkauditError):
    """The text could not be parsed into a report model."""
