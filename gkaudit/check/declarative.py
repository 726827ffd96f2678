"""Declarative rules in YAML, for auditors who do not write Python.

A file holds ``rules:``, each with a code, severity, bilingual title and message, and one
check: ``required-phrase`` (a regular expression that must occur, optionally in section 1–6),
``forbidden-pattern`` (one that must not), or ``identity`` (an expression over the tables,
grammars/expression.lark). A rule may declare ``options`` (a default, a JSON Schema fragment, a
bilingual description), configured like a built-in rule's ([rules.XQ500] max_fee = 5) and
named in its identity by their names (``active.fees[0] <= max_fee``). Files are validated
against schemas/rules.schema.json on load; every error names the file and line.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, VisitError

from gkaudit.base.errors import PluginError
from gkaudit.base.resources import grammar_text, schema
from gkaudit.base.vocabulary import (
    ACTIVE_COLUMNS_3,
    REQUEST_COLUMN_NAMES,
    REVIEW_COLUMN_NAMES,
    Name,
)
from gkaudit.check.families import PatternRule, RequiredTopicsRule, Topic
from gkaudit.check.findings import Severity
from gkaudit.check.rule import Context, Option, Result, Rule
from gkaudit.hookspecs import hookimpl
from gkaudit.model.report import (
    ACTIVE_WIDTHS,
    REQUEST_COLUMNS,
    REQUEST_KEYS,
    REVIEW_COLUMNS,
    REVIEW_KEYS,
    Report,
)
from gkaudit.parse.grammar_cache import cached_lark

MESSAGE_FIELDS = ("section", "phrase", "pattern", "quote", "column", "left", "right", "expression")
COMPARATORS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}
ACTIVE_COLUMNS = ("made", "repealed", "in_force")
COLUMN_LABELS = {
    len(names): {lang: tuple(name[lang] for name in names) for lang in ("zh", "en")}
    for names in (REQUEST_COLUMN_NAMES, REVIEW_COLUMN_NAMES, ACTIVE_COLUMNS_3)
}

Vector = list  # of numbers or None


def declarative_plugin(files: list[Path]) -> object:
    """A plugin object registering the rules of the given YAML files."""
    rules = [rule for file in files for rule in load_rule_file(file)]

    class YamlRules:
        @hookimpl
        def register_rules(self, register: Callable[[type], None]) -> None:
            for rule in rules:
                register(rule)

    return YamlRules()


def load_rule_file(file: Path) -> list[type[Rule]]:
    try:
        text = file.read_text("utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = f":{mark.line + 1}" if mark else ""
        raise PluginError(f"{file}{line}: invalid YAML: {error.problem}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise PluginError(f"{file}: cannot read rules: {error}") from None
    import jsonschema  # loaded with the first YAML rule file, not with the package

    errors = sorted(
        jsonschema.Draft202012Validator(schema("rules")).iter_errors(data),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        first = errors[0]
        raise PluginError(f"{file}:{_line(root, first.absolute_path)}: {first.message}")
    rules = []
    for index, spec in enumerate(data["rules"]):

        def where(*path: str | int, index: int = index) -> str:
            return f"{file}:{_line(root, ['rules', index, *path])}"

        rules.append(_make_rule(spec, file, where))
    return rules


def _line(node: Any, path: Any) -> int:
    """The 1-based line of the YAML node at a jsonschema path (as deep as it resolves)."""
    for key in path:
        if isinstance(node, yaml.MappingNode):
            child = next((value for k, value in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        else:
            child = None
        if child is None:
            break
        node = child
    return node.start_mark.line + 1 if node is not None else 1


def _make_rule(spec: dict[str, Any], file: Path, where: Callable[..., str]) -> type[Rule]:
    """A Rule class for one YAML rule; ``where(*path)`` locates a field for error messages."""
    for lang, template in spec["message"].items():
        try:
            template.format(**dict.fromkeys(MESSAGE_FIELDS, ""))
        except (KeyError, IndexError, ValueError) as error:
            raise PluginError(
                f"{where('message', lang)}: message ({lang}) uses an unknown placeholder {error}; "
                f"available: {', '.join(MESSAGE_FIELDS)}"
            ) from None
    check = spec["check"]
    doc = spec.get("description") or f"{spec['title']['zh']} / {spec['title']['en']}"
    attributes: dict[str, Any] = {
        "__doc__": doc + f"\n\nDeclared in {file.name}.",
        "code": spec["code"],
        "severity": Severity(spec["severity"]),
        "title": spec["title"],
        "source": spec.get("source", file.name),
        "messages": {"fail": spec["message"]},
        "declared_as": spec,  # what the rule is, for the archive's fingerprint of the rules
    }
    options = _options(spec.get("options", {}), where)
    if options:
        attributes["options"] = options
    if "identity" in check:
        expression = _compile_expression(check["identity"], where("check", "identity"), options)
        attributes["check"] = _identity_check(expression, check["identity"])
        return type(f"Declarative{spec['code']}", (Rule,), attributes)
    field = "required-phrase" if "required-phrase" in check else "forbidden-pattern"
    pattern = check[field]
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        location = where("check", field)
        raise PluginError(f"{location}: invalid regular expression {pattern!r}: {error}") from None
    section = check.get("section")
    if field == "required-phrase":
        return type(
            f"Declarative{spec['code']}",
            (DeclarativeRequired,),
            {
                **attributes,
                "topics": (Topic(Name(pattern, pattern), compiled),),
                "section": section,
            },
        )
    return type(
        f"Declarative{spec['code']}",
        (DeclarativeForbidden,),
        {**attributes, "pattern": compiled, "section": section},
    )


JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"),
              (list, "array"), (dict, "object"))  # fmt: skip


def _options(specs: dict[str, Any], where: Callable[..., str]) -> dict[str, Option]:
    """A YAML rule's ``options``; a default its own schema rejects is an error at load."""
    import jsonschema

    options = {}
    for name, spec in specs.items():
        default = spec["default"]
        fallback = next(kind for python, kind in JSON_TYPES if isinstance(default, python))
        fragment = spec.get("schema", {"type": fallback})
        try:
            jsonschema.Draft202012Validator.check_schema(fragment)
            jsonschema.validate(default, fragment)
        except (jsonschema.SchemaError, jsonschema.ValidationError) as error:
            location = where("options", name)
            raise PluginError(f"{location}: option {name!r}: {error.message}") from None
        options[name] = Option(default, fragment, spec["description"])
    return options


class DeclarativeRequired(RequiredTopicsRule):
    """A YAML ``required-phrase``: one topic, its message key ``fail``."""

    all_key = "fail"

    def params(self, report: Report, context: Context) -> dict[str, Any]:
        section = report.section(self.section) if self.section else None
        pattern = self.topics[0].pattern.pattern
        return _fields(section=section.heading if section else "", phrase=pattern, pattern=pattern)


class DeclarativeForbidden(PatternRule):
    """A YAML ``forbidden-pattern``, its message key ``fail``."""

    key = "fail"

    def check(self, report: Report, context: Context) -> Iterator[Result]:
        for result in super().check(report, context):
            yield replace(result, params=_fields(**result.params, pattern=self.pattern.pattern))


def _fields(**values: Any) -> dict[str, Any]:
    return {**dict.fromkeys(MESSAGE_FIELDS, ""), **values}


def _identity_check(expression: Expression, text: str) -> Callable:
    def check(self: Rule, report, context) -> Iterator:
        options = {name: self.option(context, name) for name in self.options}
        for column, left, right, line in expression.failures(report, options):
            evidence = {"expression": text, "left": left, "right": right, "column": column}
            shown = _fields(
                expression=text, left=_number(left), right=_number(right), column=column or ""
            )
            yield self.finding("fail", line=line, evidence=evidence, params=shown)

    return check


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- the expression language ------------------------------------------------------------


@cache
def _expression_parser() -> Lark:
    return cached_lark(grammar_text("expression"), parser="lalr")


class Expression:
    """A compiled identity: two sides, a comparison, and the width of its vectors."""

    def __init__(self, left: Callable, comparator: str, right: Callable, width: int) -> None:
        self.left, self.right, self.compare, self.width = (
            left,
            right,
            COMPARATORS[comparator],
            width,
        )

    def failures(
        self, report: Report, options: dict[str, Any] | None = None
    ) -> Iterator[tuple[dict[str, str] | None, float, float, int | None]]:
        """(column, left value, right value, line) for every element where the identity fails;
        ``options``: the values of the rule's options the expression names."""
        left, left_lines = self.left(report, options or {})
        right, right_lines = self.right(report, options or {})
        for index in range(self.width):
            a, b = _at(left, index), _at(right, index)
            if a is None or b is None or self.compare(a, b):
                continue
            column = (
                {lang: names[index] for lang, names in COLUMN_LABELS[self.width].items()}
                if self.width in COLUMN_LABELS
                else None
            )
            yield column, a, b, (left_lines or right_lines or [None])[0]


def _at(vector: Vector | None, index: int) -> Any:
    if vector is None:
        return None
    return vector[0] if len(vector) == 1 else vector[index]


def _compile_expression(
    text: str, where: str, options: dict[str, Option] | None = None
) -> Expression:
    try:
        tree = _expression_parser().parse(text)
    except LarkError as error:
        column = getattr(error, "column", "?")
        raise PluginError(f"{where}: invalid identity {text!r} (at column {column})") from None
    try:
        compiler = _Compiler(set(options or {}))
        (left, left_width), comparator, (right, right_width) = compiler.transform(tree).children
        if 1 not in (left_width, right_width) and left_width != right_width:
            raise _CompileError(f"cannot compare rows of {left_width} and {right_width} values")
    except (_CompileError, VisitError) as error:
        cause = getattr(error, "orig_exc", error)  # Lark wraps what a transformer raises
        raise PluginError(f"{where}: {cause}") from None
    return Expression(left, str(comparator), right, max(left_width, right_width))


class _CompileError(Exception):
    pass


class _Compiler(Transformer):
    """Each node becomes (function(report, options) -> (vector, lines), width); a bare name
    that is one of the rule's ``options`` is that option's configured value."""

    def __init__(self, options: set[str]) -> None:
        super().__init__()
        self.options = options

    def number(self, children: list[Token]):
        value = float(children[0])
        return (lambda report, options: ([value], []), 1)

    def reference(self, children: list[Token]):
        names = [str(child) for child in children if child.type == "NAME"]
        index = [int(float(child)) for child in children if child.type == "NUMBER"]
        if len(names) == 1 and not index and names[0] in self.options:
            name = names[0]
            return (lambda report, options: ([float(options[name])], []), 1)
        table, key, width, columns = _resolve(names)
        column = None
        if len(names) > (2 if table != "review" else 1):
            column = names[-1]
            if column not in columns:
                known = ", ".join(columns)
                raise _CompileError(
                    f"unknown column '{column}' of {'.'.join(names[:-1])}; one of {known}"
                )
        position = columns.index(column) if column else (index[0] if index else None)
        if position is not None and not 0 <= position < width:
            raise _CompileError(
                f"index {position} out of range for {'.'.join(names)} ({width} values)"
            )

        def resolve(report, options):
            source = getattr(report.tables, table)
            row = source.rows.get(key) if source else None
            if row is None:
                return None, []
            values = row.values if position is None else [row.values[position]]
            return values, [row.line]

        return (resolve, 1 if position is not None else width)

    def add(self, children):
        return self._binary(children, operator.add)

    def subtract(self, children):
        return self._binary(children, operator.sub)

    def multiply(self, children):
        return self._binary(children, operator.mul)

    def _binary(self, children, function):
        (left, left_width), _, (right, right_width) = children
        if 1 not in (left_width, right_width) and left_width != right_width:
            raise _CompileError(f"cannot combine rows of {left_width} and {right_width} values")
        width = max(left_width, right_width)

        def evaluate(report, options):
            a, a_lines = left(report, options)
            b, b_lines = right(report, options)
            if a is None or b is None:
                return None, []
            values = [
                None if _at(a, i) is None or _at(b, i) is None else function(_at(a, i), _at(b, i))
                for i in range(width)
            ]
            return values, a_lines + b_lines

        return (evaluate, width)


def _resolve(names: list[str]) -> tuple[str, str, int, tuple[str, ...]]:
    """(table attribute, row key, width, column names) of a reference, or a _CompileError."""
    if names[0] in REVIEW_KEYS:
        return "review", names[0], len(REVIEW_COLUMNS), REVIEW_COLUMNS
    if len(names) < 2:
        groups = ", ".join(REVIEW_KEYS)
        raise _CompileError(
            f"unknown reference '{names[0]}': use active.<row>, requests.<row> or {groups}"
        )
    table, key = names[0], names[1]
    if table == "requests" and key in REQUEST_KEYS:
        return "requests", key, len(REQUEST_COLUMNS), REQUEST_COLUMNS
    if table == "active" and key in ACTIVE_WIDTHS:
        width = ACTIVE_WIDTHS[key]
        return "active", key, width, ACTIVE_COLUMNS if width == 3 else ()
    keys = {"requests": REQUEST_KEYS, "active": tuple(ACTIVE_WIDTHS)}.get(table)
    known = f"rows of {table}: {', '.join(keys)}" if keys else "tables: active, requests"
    raise _CompileError(f"unknown reference '{'.'.join(names[:2])}' ({known})")
