"""Configuration: ``[tool.gkaudit]`` in pyproject.toml, or gkaudit.toml; checked by jsonschema."""

from __future__ import annotations

import copy
import re
import sys
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkaudit.base.errors import GkauditError
from gkaudit.base.i18n import LANGS, did_you_mean, text
from gkaudit.check.findings import Severity

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from gkaudit.check.rule import Rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_DEADLINES = {"township": "01-31", "department": "01-31", "county": "03-31"}
DEFAULT_RECTIFICATION_DAYS = 30
DEFAULT_WEIGHTS = {"error": 10.0, "warning": 3.0, "info": 1.0}
DEFAULT_THRESHOLDS: dict[str, Any] = {
    "copy-own-share": 0.8,
    "copy-other-share": 0.5,
    "copy-min-chars": 200,
    "common-share": 0.3,
}


# Thresholds that became options of their rule: the old [thresholds] key still sets the option.
LEGACY_THRESHOLDS = {
    "fee-max-wan-yuan": ("GK306", "fee-max-wan-yuan"),
    "percent-tolerance": ("GK402", "tolerance"),
    "min-problems-chars": ("GK505", "min-chars"),
}


class ConfigError(GkauditError):
    """The configuration is invalid: an unknown key, code or value.

    ``message_key`` and ``params`` name its text in the catalogue (gkaudit/base/i18n.py); the
    exception's own message is the English text, the command line says it in the run's
    language."""

    def __init__(self, message: str, message_key: str | None = None, /, **params: Any) -> None:
        super().__init__(message)
        self.message_key, self.params = message_key, params

    @classmethod
    def of(cls, message_key: str, /, **params: Any) -> ConfigError:
        return cls(_params_text(message_key, "en", params), message_key, **params)


def _params_text(key: str, lang: str, params: dict[str, Any]) -> str:
    """A catalogue text whose parameters may themselves be {"zh": ..., "en": ...}."""
    chosen = {k: v[lang] if isinstance(v, dict) and lang in v else v for k, v in params.items()}
    return text(key, lang, **chosen)


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
    rectification_days: int = DEFAULT_RECTIFICATION_DAYS  # 整改期限: days after the scan
    source: str | None = None
    units: str | None = None  # the roster file (units.csv / units.xlsx)
    archive: str | None = None  # the archive file (SQLite); None: no archive
    # [rules.<code>]: the options of each rule as written, checked by check_rule_options
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)

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
                    raise ConfigError.of(
                        "cfg.unknown_code",
                        where=_where(self.source, _source_lines(self.source), [key], f'"{code}"'),
                        key=key,
                        code=code,
                        hint={lang: did_you_mean(code, sorted(known), lang) for lang in LANGS},
                    )

    def check_rule_options(self, rules: dict[str, type[Rule]]) -> None:
        """Every [rules.<code>] table must name a loaded rule, and each of its options one the
        rule declares, with a value its schema accepts."""
        if not self.rule_options:
            return  # nothing to check: jsonschema stays unloaded (a quick start)
        import jsonschema
        from jsonschema.exceptions import best_match

        lines = _source_lines(self.source)
        for code, values in self.rule_options.items():
            rule = rules.get(code)
            if rule is None:
                raise ConfigError.of(
                    "cfg.unknown_code",
                    where=_where(self.source, lines, ["rules", code]),
                    key="rules",
                    code=code,
                    hint={lang: did_you_mean(code, sorted(rules), lang) for lang in LANGS},
                )
            for name, value in values.items():
                where = _where(self.source, lines, ["rules", code, name])
                option = rule.options.get(name)
                if option is None:
                    known = sorted(rule.options)
                    raise ConfigError.of(
                        "cfg.unknown_option",
                        where=where,
                        code=code,
                        option=name,
                        hint={lang: _known_options(name, known, lang) for lang in LANGS},
                    )
                validator = jsonschema.Draft202012Validator(option.schema)
                error = best_match(validator.iter_errors(value))
                if error is not None:
                    raise ConfigError.of(
                        "cfg.bad_option",
                        where=where,
                        code=code,
                        option=name,
                        detail={lang: f"{value!r} " + _detail(error, lang) for lang in LANGS},
                    )

    def options_of(self, rule: type[Rule]) -> dict[str, Any]:
        """A rule's options for its context: the configured values over the defaults."""
        return rule.option_values(self.rule_options.get(rule.code))


def _known_options(name: str, known: list[str], lang: str) -> str:
    if not known:
        return text("cfg.no_options", lang)
    return did_you_mean(name, known, lang) or text("cfg.options", lang, options=", ".join(known))


def config_schema(rules: dict[str, type[Rule]]) -> dict[str, Any]:
    """The configuration's JSON Schema with the options of the given rules under ``rules``."""
    from gkaudit.base.resources import schema

    document = copy.deepcopy(schema("config"))
    document["properties"]["rules"] = rules_schema(rules)
    return document


def _loading_schema() -> dict[str, Any]:
    """The schema a configuration is loaded with: rule options are checked once the rules
    (plugins included) are known, by ``Config.check_rule_options``, in one way for all."""
    from gkaudit.base.resources import schema

    document = copy.deepcopy(schema("config"))
    document["properties"]["rules"].pop("properties", None)
    return document


def rules_schema(rules: dict[str, type[Rule]]) -> dict[str, Any]:
    """The ``rules`` table of the configuration: per rule code, the options it declares."""
    return {
        "type": "object",
        "description": "Options of individual rules: [rules.GK402] tolerance = 0.5.",
        "propertyNames": {"$ref": "#/$defs/code"},
        "additionalProperties": {"type": "object"},
        "properties": {
            code: {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    name: option.json_schema() for name, option in sorted(rule.options.items())
                },
            }
            for code, rule in sorted(rules.items())
            if rule.options
        },
    }


def _rule_options(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """[rules.<code>] tables, with the legacy [thresholds] keys that became rule options."""
    options = {code: dict(values) for code, values in data.get("rules", {}).items()}
    for key, (code, name) in LEGACY_THRESHOLDS.items():
        if key in data.get("thresholds", {}):
            options.setdefault(code, {}).setdefault(name, data["thresholds"][key])
    return options


def load_config(path: str | Path | None = None, directory: str | Path = ".") -> Config:
    """Load configuration from ``path``, or from gkaudit.toml / pyproject.toml in ``directory``."""
    if path is not None:
        file = Path(path)
        if not file.is_file():
            problem = "cfg.not_a_file" if file.exists() else "cfg.not_found"
            raise ConfigError.of(problem, file=str(file))
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
    import jsonschema  # only when there is configuration to check: a quick start
    from jsonschema.exceptions import best_match

    error = best_match(jsonschema.Draft202012Validator(_loading_schema()).iter_errors(data))
    if error is not None:
        raise _schema_error(error, source)
    thresholds = {
        key: value
        for key, value in {**DEFAULT_THRESHOLDS, **data.get("thresholds", {})}.items()
        if key not in LEGACY_THRESHOLDS
    }
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
        rectification_days=data.get("rectification-days", DEFAULT_RECTIFICATION_DAYS),
        source=source,
        units=_beside(source, data.get("units")),
        archive=_beside(source, data.get("archive")),
        rule_options=_rule_options(data),
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
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        if found or "(at end of document)" in str(error):
            line = int(found[1]) if found else len(file.read_text("utf-8").splitlines())
            raise ConfigError.of("cfg.syntax", file=str(file), line=line, detail=detail) from None
        raise ConfigError.of("cfg.unreadable", file=str(file), detail=detail) from None
    except (OSError, UnicodeDecodeError) as error:
        detail = getattr(error, "strerror", None) or str(error)
        raise ConfigError.of("cfg.unreadable", file=str(file), detail=detail) from None


# ---- saying what is wrong, and where ---------------------------------------------------------

_TYPE_NAMES = ("string", "array", "object", "integer", "number", "boolean")
_LIMITS = {
    "minimum": "cfg.minimum",
    "maximum": "cfg.maximum",
    "exclusiveMinimum": "cfg.exclusive_minimum",
    "minLength": "cfg.min_length",
}


def _schema_error(error: ValidationError, source: str | None) -> ConfigError:
    """A jsonschema error as a ConfigError that names the file, line and key."""
    path = list(error.absolute_path)
    lines = _source_lines(source)
    if error.validator == "additionalProperties" and error.validator_value is False:
        known = list(error.schema.get("properties", {}))
        extra = next(key for key in error.instance if key not in known)
        return ConfigError.of(
            "cfg.unknown_key",
            where=_where(source, lines, [*path, extra]),
            key=_dotted([*path, extra]),
            hint={lang: did_you_mean(extra, known, lang) for lang in LANGS},
        )
    if error.validator == "required":
        missing = re.search(r"'([^']+)'", error.message)
        return ConfigError.of(
            "cfg.missing_key",
            where=_where(source, lines, path),
            key=_dotted(path),
            missing=missing[1] if missing else "?",
        )
    return ConfigError.of(
        "cfg.bad_value",
        where=_where(source, lines, path),
        key=_dotted(path) or text("cfg.top", "en"),
        detail={lang: f"{error.instance!r} " + _detail(error, lang) for lang in LANGS},
    )


def _detail(error: ValidationError, lang: str) -> str:
    value = error.validator_value
    if error.validator == "enum":
        choices = " / ".join(str(choice) for choice in value)
        hint = did_you_mean(str(error.instance), [str(c) for c in value], lang)
        return text("cfg.enum", lang, choices=choices) + hint
    if error.validator == "type" and value in _TYPE_NAMES:
        return text("cfg.type", lang, type=text(f"type.{value}", lang))
    if error.validator == "pattern":
        return text("cfg.pattern", lang, pattern=value)
    if error.validator in _LIMITS:
        return text(_LIMITS[error.validator], lang, limit=value)
    return error.message


def _dotted(path: list[Any]) -> str:
    dotted = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
    return dotted.lstrip(".")


def _source_lines(source: str | None) -> list[str]:
    """The configuration file's lines, to say where a key is (none when it cannot be read)."""
    if not source:
        return []
    try:
        return Path(source.split(" [")[0]).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _where(source: str | None, lines: list[str], path: list[Any], needle: str = "") -> dict:
    """``file: line N`` in every language, or the file alone when the key is not found."""
    name = source or text("cfg.configuration", "en")
    line = _line_of(lines, [part for part in path if isinstance(part, str)], needle)
    if line is None:
        return {lang: (source or text("cfg.configuration", lang)) for lang in LANGS}
    return {lang: text("cfg.line", lang, file=name, line=line) for lang in LANGS}


def _line_of(lines: list[str], keys: list[str], needle: str = "") -> int | None:
    """The line (1-based) where the deepest of ``keys`` is written — or, given a ``needle``,
    the first line after that key that contains it. TOML keys may be bare or quoted, in a
    [table] header, a dotted key or an inline table."""
    for depth in range(len(keys), 0, -1):
        key = re.escape(keys[depth - 1])
        pattern = re.compile(rf"(^|[\s{{,.\[])\"?{key}\"?\s*(=|\]|\.)")
        for number, line in enumerate(lines, 1):
            if pattern.search(line.split("#")[0]):
                if not needle:
                    return number
                for offset, following in enumerate(lines[number - 1 :]):
                    if needle in following:
                        return number + offset
                return number
    if needle:
        return next((n for n, line in enumerate(lines, 1) if needle in line), None)
    return None
