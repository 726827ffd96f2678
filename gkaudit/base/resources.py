"""Files shipped inside the package: the Lark grammars (from grammars/) and the JSON Schemas."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

_CHECKOUT = Path(__file__).resolve().parents[2]


def grammar_text(name: str) -> str:
    """The text of grammars/<name>.lark as installed with the package."""
    return _folder("gkaudit.grammars", "grammars").joinpath(f"{name}.lark").read_text("utf-8")


@cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema gkaudit/schemas/<name>.schema.json."""
    text = resources.files("gkaudit.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def _folder(package: str, checkout_folder: str) -> Traversable:
    """An installed data package, or its top-level folder when run from a source checkout."""
    try:
        return resources.files(package)
    except ModuleNotFoundError:
        return _CHECKOUT / checkout_folder
