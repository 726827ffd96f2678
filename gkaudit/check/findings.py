"""What rules produce: findings, each with a severity, a location and its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return RANK[self]  # a member is its value: no Enum lookup (outputs ask it per finding)


RANK = {"error": 3, "warning": 2, "info": 1}  # a severity's rank, by its value


@dataclass(frozen=True)
class Finding:
    """One defect found in one report, located and explained.

    ``messages`` holds the message in every language (``zh``, ``en``); ``evidence`` the numbers
    (for sums: reported, computed and parts) or the quoted passage behind it.
    """

    code: str
    severity: Severity
    messages: dict[str, str]
    path: str | None
    line: int | None
    section: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    unit: str | None = None
    page: int | None = None  # the page of a paged document (PDF), where the line stands
    accepted: str | None = None  # the reason, when configuration accepts this deviation
    status: str | None = None  # against a baseline: "new" or "remaining"

    def message(self, lang: str = "zh") -> str:
        return self.messages.get(lang) or self.messages["zh"]

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message(lang),
            "path": self.path,
            "line": self.line,
            "page": self.page,
            "section": self.section,
            "evidence": self.evidence,
            "accepted": self.accepted,
            "status": self.status,
        }
