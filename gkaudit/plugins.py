"""The plugin manager: where rules come from.

* entry points of the group ``gkaudit`` — the built-in rule pack (``builtin`` =
  ``gkaudit.rules``) and readers (``readers`` = ``gkaudit.readers``) are among them,
  registered exactly like a third-party package;
* ``*.py`` files of a local folder (``--rules-dir`` or ``rules-dir`` in configuration), and the
  declarative ``*.yml`` rule files found there.

Setting ``GKAUDIT_LOAD_PLUGINS`` to a comma-separated list of entry-point names loads only
those (the test suite sets it to ``builtin,readers``: installed plugins never leak into tests).

The entry points are looked up with importlib.metadata only when an installed distribution's
entry points may have changed (see ``installed_entry_points``): importing it costs ≈ 15 ms, a
tenth of ``gkaudit check``'s start.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from gkaudit import hookspecs
from gkaudit.errors import PluginError
from gkaudit.grammar_cache import _trusted, default_cache_dir
from gkaudit.read import Reader
from gkaudit.rule import Rule

ENTRY_POINT_GROUP = "gkaudit"
BUILTIN_READERS = "readers"  # the entry point of gkaudit.readers
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
    for name, value in installed_entry_points():
        if names is not None and name not in names:
            continue
        try:
            module = load_entry_point(value)
        except Exception as error:
            raise PluginError(f"plugin {name} ({value}) failed to load: {_cause(error)}") from None
        manager.register(module, name=name)


# importlib.metadata's syntax of an entry point's value: module[:attribute][ [extras]]
_ENTRY_POINT_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?(\[.*\])?\s*$")
_ENTRY_POINTS_FILE = "entry-points.json"
_METADATA_FOLDERS = (".dist-info", ".egg-info")  # where a distribution's entry points are
_ENTRY_POINTS_KEPT = 16  # answers kept, one per sys.path and installation (the newest kept)


def load_entry_point(value: str) -> Any:
    """What an entry point's value names, as ``importlib.metadata.EntryPoint.load`` finds it."""
    match = _ENTRY_POINT_VALUE.match(value)
    if match is None:
        raise ValueError(f"not an entry point: {value!r}")
    found: Any = importlib.import_module(match["module"])
    if match["attr"]:
        for attribute in match["attr"].split("."):
            found = getattr(found, attribute)
    return found


def installed_entry_points() -> list[tuple[str, str]]:
    """(name, value) of every installed entry point of the ``gkaudit`` group, in
    importlib.metadata's order. Asked of importlib.metadata only when the cached answer's key
    no longer matches: the folders on sys.path with, for each distribution's metadata folder
    there, its entry_points.txt's size and modification time (installing, upgrading or removing
    a distribution, or editing its entry points, changes the key). The answer is cached per
    user beside the grammar cache, in a folder no one else may write."""
    key = _entry_points_key()
    folder = default_cache_dir()
    cached = _cached_entry_points(folder)
    if key in cached:
        return [(str(name), str(value)) for name, value in cached[key]]
    from importlib.metadata import entry_points

    found = [(point.name, point.value) for point in entry_points(group=ENTRY_POINT_GROUP)]
    kept = dict(list(cached.items())[-(_ENTRY_POINTS_KEPT - 1) :])
    _save_entry_points(folder, {**kept, key: found})
    return found


def _entry_points_key() -> str:
    material: list[object] = [sys.version, sys.path]
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                names = sorted(
                    item.name for item in listing if item.name.endswith(_METADATA_FOLDERS)
                )
        except OSError:  # a zip file or a missing folder: its name stands for it
            continue
        for name in names:
            try:
                status = os.stat(os.path.join(entry or ".", name, "entry_points.txt"))
                material.append((name, status.st_size, status.st_mtime_ns))
            except OSError:
                material.append(name)
    return hashlib.sha256(repr(material).encode("utf-8")).hexdigest()


def _cached_entry_points(folder: Path) -> dict[str, list]:
    """The cached answers by key; none when the file is missing, damaged or not trusted."""
    if not _trusted(folder):
        return {}
    try:
        answers = json.loads((folder / _ENTRY_POINTS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    valid = isinstance(answers, dict) and all(
        isinstance(found, list) and all(isinstance(p, list) and len(p) == 2 for p in found)
        for found in answers.values()
    )
    return answers if valid else {}


def _save_entry_points(folder: Path, answers: dict[str, list]) -> None:
    temporary = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(folder):
            return
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".entry-points-", suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(answers, handle, ensure_ascii=False)
        os.replace(temporary, folder / _ENTRY_POINTS_FILE)
        temporary = None
    except OSError:  # a read-only or full disk costs only the lookup
        return
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _load_directory(manager: pluggy.PluginManager, directory: Path) -> None:
    if not directory.is_dir():
        raise PluginError(f"rules directory {directory} does not exist or is not a folder")
    for file in sorted(directory.glob("*.py")):
        manager.register(_import_file(file), name=str(file))
    yaml_files = sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])
    if yaml_files:
        from gkaudit.declarative import declarative_plugin

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
