"""The built-in rule pack: one rule per module, registered like any third-party plugin.

Adding a rule is adding a file here that defines a ``gkaudit.Rule`` subclass.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator

from gkaudit.check.rule import Rule
from gkaudit.hookspecs import hookimpl


def rule_classes() -> Iterator[type[Rule]]:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value.__module__ == module.__name__
                and "code" in vars(value)
            ):
                yield value


@hookimpl
def register_rules(register: Callable[[type], None]) -> None:
    for rule in rule_classes():
        register(rule)
