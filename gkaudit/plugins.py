"""The plugin manager: where rules come from.

* entry points of the group ``gkaudit`` — the built-in rule pack (``builtin`` =
  ``gkaudit.rules``) and readers (``readers`` = ``gkaudit.read.readers``) are among them,
  registered exactly like a third-party package;
* ``*.py`` files of a local folder (``--rules-dir`` or ``rules-dir`` in configuration), and the
  declarative ``*.yml`` rule files found there.

Setting ``GKAUDIT_LOAD_PLUGINS`` to a comma-separated list of entry-point names loads only
those (the test suite sets it to ``builtin,readers``: installed plugins never leak into tests).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from gkaudit import hookspecs
from gkaudit.base.errors import PluginError
from gkaudit.check.rule import Rule
from gkaudit.read.source import Reader

ENTRY_POINT_GROUP = "gkaudit"
BUILTIN_READERS = "readers"  # the entry point of gkaudit.read.readers
LOAD_PLUGINS_ENV = "GKAUDIT_LOAD_PLUGINS"
_REQUIRED = ("code", "severity", "title", "source", "messages")


def plugin_manager(rules_dirs: Iterable[str | Path] = ()) -> pluggy.PluginManager:
    manager = pluggy.PluginManager("gkaudit")
    manager.add_hookspecs(hookspecs)
    _load_entry_points(manager)
    for directory in rules_dirs:
        _load_directory(manager, Path(directory))
    return manager


def collect_rules(manager: pluggy.PluginManager) -> dict[str, type[Rule]]:
    """Every registered rule class by code; a code registered twice is an error."""
    rules: dict[str, type[Rule]] = {}
    origins: dict[str, str] = {}
    for plugin, registered in registrations(manager).items():
        for rule in registered:
            if rule.code in rules:
                first = origins[rule.code]
                raise PluginError(
                    f"plugin {plugin}: rule {rule.code} is already registered by {first}"
                )
            rules[rule.code], origins[rule.code] = rule, plugin
    return dict(sorted(rules.items()))


def collect_readers(manager: pluggy.PluginManager) -> list[Reader]:
    """Every registered reader, third-party ones first so that they can claim a format."""
    registered = registrations(manager, "register_readers")
    ordered = [name for name in registered if name != BUILTIN_READERS] + [BUILTIN_READERS]
    return [reader() for name in ordered for reader in registered.get(name, [])]


def registrations(
    manager: pluggy.PluginManager, hook: str = "register_rules"
) -> dict[str, list[type[Any]]]:
    """What each plugin registers through ``hook``, each plugin called (and blamed) on its own:
    Rule classes for ``register_rules``, Reader classes for ``register_readers`` (validated)."""
    validate = _validate if hook == "register_rules" else _validate_reader
    result: dict[str, list[type[Any]]] = {}
    for implementation in reversed(getattr(manager.hook, hook).get_hookimpls()):
        plugin = implementation.plugin_name
        registered: list[type[Any]] = []

        def register(item: type, plugin: str = plugin, registered: list = registered) -> None:
            validate(item, plugin)
            registered.append(item)

        try:
            implementation.function(register=register)
        except PluginError:
            raise
        except Exception as error:
            raise PluginError(f"plugin {plugin}: {hook} failed: {_cause(error)}") from None
        result[plugin] = registered
    return result


def _load_entry_points(manager: pluggy.PluginManager) -> None:
    wanted = os.environ.get(LOAD_PLUGINS_ENV)
    names = None if wanted is None else {n.strip() for n in wanted.split(",") if n.strip()}
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        if names is not None and entry_point.name not in names:
            continue
        try:
            module = entry_point.load()
        except Exception as error:
            raise PluginError(
                f"plugin {entry_point.name} ({entry_point.value}) failed to load: {_cause(error)}"
            ) from None
        manager.register(module, name=entry_point.name)


def _load_directory(manager: pluggy.PluginManager, directory: Path) -> None:
    if not directory.is_dir():
        raise PluginError(f"rules directory {directory} does not exist or is not a folder")
    for file in sorted(directory.glob("*.py")):
        manager.register(_import_file(file), name=str(file))
    yaml_files = sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])
    if yaml_files:
        from gkaudit.check.declarative import declarative_plugin

        manager.register(declarative_plugin(yaml_files), name=f"{directory} (YAML rules)")


def _import_file(file: Path) -> ModuleType:
    digest = hashlib.sha1(str(file.resolve()).encode()).hexdigest()[:8]
    spec = importlib.util.spec_from_file_location(f"gkaudit_local_{file.stem}_{digest}", file)
    if spec is None or spec.loader is None:
        raise PluginError(f"{file}: cannot load plugin: not a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise PluginError(f"{file}: cannot load plugin: {_cause(error)}") from None
    return module


def _validate(rule: object, plugin: str) -> None:
    if not (isinstance(rule, type) and issubclass(rule, Rule)):
        raise PluginError(
            f"plugin {plugin}: registered {rule!r}, which is not a gkaudit.Rule class"
        )
    missing = [name for name in _REQUIRED if not hasattr(rule, name)]
    if missing:
        raise PluginError(f"plugin {plugin}: rule {rule.__name__} lacks {', '.join(missing)}")
    for key, templates in rule.messages.items():
        if not {"zh", "en"} <= set(templates):
            raise PluginError(f"plugin {plugin}: rule {rule.code} message '{key}' needs zh and en")


def _validate_reader(reader: object, plugin: str) -> None:
    if not (isinstance(reader, type) and issubclass(reader, Reader)) or not hasattr(reader, "name"):
        raise PluginError(
            f"plugin {plugin}: registered {reader!r}, which is not a gkaudit.Reader class"
        )


def _cause(error: BaseException) -> str:
    where = ""
    traceback = error.__traceback__
    while traceback and traceback.tb_next:
        traceback = traceback.tb_next
    if traceback:
        where = f" ({Path(traceback.tb_frame.f_code.co_filename).name}:{traceback.tb_lineno})"
    return f"{type(error).__name__}: {error}{where}"
