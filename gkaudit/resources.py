"""Files shipped inside the package: the Lark grammars (from grammars/) and the JSON Schemas."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


def grammar_text(name: str) -> str:
    """The text of grammars/<name>.lark as installed with the package."""
    return resources.files("gkaudit.grammars").joinpath(f"{name}.lark").read_text("utf-8")


@cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema gkaudit/schemas/<name>.schema.json."""
    text = resources.files("gkaudit.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)
