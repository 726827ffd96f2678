"""Configuration: ``[tool.gkaudit]`` in pyproject.toml, or gkaudit.toml; checked by jsonschema."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import jsonschema

from gkaudit.errors import GkauditError
from gkaudit.findings import Severity
from gkaudit.resources import schema

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_DEADLINES = {"township": "01-31", "department": "01-31", "county": "03-31"}
DEFAULT_WEIGHTS = {"error": 10.0, "warning": 3.0, "info": 1.0}
DEFAULT_THRESHOLDS: dict[str, Any] = {
    "fee-max-wan-yuan": {"township": 1000, "department": 50000},
    "percent-tolerance": 0.1,
    "min-problems-chars": 40,
    "copy-own-share": 0.8,
    "copy-other-share": 0.5,
    "copy-min-chars": 200,
    "common-share": 0.3,
}


class ConfigError(GkauditError):
    """The configuration is invalid: an unknown key, code or value."""


@dataclass
class Config:
    select: list[str] = field(default_factory=list)  # empty: every rule
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    rules_dirs: list[str] = field(default_factory=list)
    lang: str = "zh"
    unit_types: dict[str, str] = field(default_factory=dict)
    deadlines: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_DEADLINES))
    thresholds: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    accept: list[dict[str, str]] = field(default_factory=list)
    source: str | None = None
    units: str | None = None  # the roster file (units.csv / units.xlsx)
    archive: str | None = None  # the archive file (SQLite); None: no archive

    def enabled(self, code: str) -> bool:
        selected = not self.select or any(code.startswith(prefix) for prefix in self.select)
        return selected and not any(code.startswith(prefix) for prefix in self.ignore)

    def unit_type_for(self, path: str | None, unit: str | None) -> str | None:
        """The configured unit type for a file or unit name, if a pattern matches."""
        for pattern, unit_type in self.unit_types.items():
            if (path and (fnmatch(path, pattern) or fnmatch(Path(path).name, pattern))) or (
                unit and fnmatch(unit, pattern)
            ):
                return unit_type
        return None

    def acceptance(self, path: str | None, unit: str | None, code: str, message: str) -> str | None:
        """The reason a finding is accepted, if an ``accept`` entry covers it."""
        for entry in self.accept:
            if not code.startswith(entry["code"]):
                continue
            if "path" in entry and not (path and fnmatch(path, entry["path"])):
                continue
            if "unit" in entry and not (unit and fnmatch(unit, entry["unit"])):
                continue
            if "contains" in entry and entry["contains"] not in message:
                continue
            return entry["reason"]
        return None

    def check_codes(self, known: set[str]) -> None:
        """Every code or prefix in select / ignore / severity must name a known rule."""
        accepted = [entry["code"] for entry in self.accept]
        for key, codes in (
            ("select", self.select),
            ("ignore", self.ignore),
            ("severity", self.severity),
            ("accept", accepted),
        ):
            for code in codes:
                if not any(known_code.startswith(code) for known_code in known):
                    where = f"{self.source}: " if self.source else ""
                    raise ConfigError(f"{where}{key}: unknown rule code or prefix '{code}'")


def load_config(path: str | Path | None = None, directory: str | Path = ".") -> Config:
    """Load configuration from ``path``, or from gkaudit.toml / pyproject.toml in ``directory``."""
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"configuration file {file} not found")
        data = _read(file)
        table = data.get("tool", {}).get("gkaudit", {}) if file.name == "pyproject.toml" else data
        return config_from_dict(table, str(file))
    for name in ("gkaudit.toml", "pyproject.toml"):
        file = Path(directory) / name
        if file.is_file():
            data = _read(file)
            if name == "gkaudit.toml":
                return config_from_dict(data, str(file))
            if "gkaudit" in data.get("tool", {}):
                return config_from_dict(data["tool"]["gkaudit"], f"{file} [tool.gkaudit]")
    return Config()


def config_from_dict(data: dict[str, Any], source: str | None = None) -> Config:
    errors = sorted(jsonschema.Draft202012Validator(schema("config")).iter_errors(data), key=str)
    if errors:
        error = errors[0]
        where = ".".join(str(part) for part in error.absolute_path) or "top level"
        raise ConfigError(f"{source or 'configuration'}: {where}: {error.message}")
    thresholds = {**DEFAULT_THRESHOLDS, **data.get("thresholds", {})}
    return Config(
        select=list(data.get("select", [])),
        ignore=list(data.get("ignore", [])),
        severity={code: Severity(value) for code, value in data.get("severity", {}).items()},
        rules_dirs=list(data.get("rules-dir", [])),
        lang=data.get("lang", "zh"),
        unit_types=dict(data.get("unit-types", {})),
        deadlines={**DEFAULT_DEADLINES, **data.get("deadlines", {})},
        thresholds=thresholds,
        weights={**DEFAULT_WEIGHTS, **data.get("weights", {})},
        accept=[dict(entry) for entry in data.get("accept", [])],
        source=source,
        units=_beside(source, data.get("units")),
        archive=_beside(source, data.get("archive")),
    )


def _beside(source: str | None, name: str | None) -> str | None:
    """A file named in configuration, relative to the configuration file's folder."""
    if not name:
        return None
    if source is None or Path(name).is_absolute():
        return name
    return str(Path(source.split(" [")[0]).parent / name)


def _read(file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{file}: cannot read configuration: {error}") from None
