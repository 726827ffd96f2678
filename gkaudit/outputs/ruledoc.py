"""A rule's user documentation, read from its docstring (the sqlfluff convention) and shown by
``gkaudit explain`` and ``gkaudit rules --format json``.

A rule docstring is a title line, then sections opened by a bold heading on a line of its own::

    One-line summary.

    **What it does**   (or **检查什么**, or **检查什么 / What it does**)
    ...
    **Why** / **Example** / **Use instead**

Text before the first heading belongs to "What it does"; a line ``Fails: ...`` (the older
convention) is the example. A section may be missing: what is there is rendered.
"""

from __future__ import annotations

import inspect
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from gkaudit.audit.config import DEFAULT_THRESHOLDS
from gkaudit.base.i18n import ARTICLES, MESSAGES, SEVERITY, text
from gkaudit.base.resources import schema

SECTIONS = ("what", "why", "example", "fix")
HEADINGS = {
    "what": ("what it does", "what", "检查什么", "检查内容"),
    "why": ("why", "why is this bad", "为什么", "依据"),
    "example": ("example", "examples", "failing example", "错误示例", "示例"),
    "fix": ("use instead", "how to fix", "fix", "正确写法", "整改方法"),
}
_HEADING = re.compile(r"^\*\*(?P<name>[^*]+)\*\*:?\s*$")
_FAILS = re.compile(r"^(?:Fails|Fail|错误示例)[:：]\s*(?P<rest>.*)$")


@dataclass
class RuleDoc:
    summary: str
    sections: dict[str, str] = field(default_factory=dict)
    english: str = ""  # paragraphs in English beside the Chinese sections (shown with --lang en)


_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z]{2,}")


def _is_english_prose(paragraph: str) -> bool:
    """A paragraph of English sentences (not a formula or a code line): 4+ words, Chinese only
    as a quoted term here and there."""
    words = _WORD.findall(paragraph)
    latin = sum(len(word) for word in words)
    return len(words) >= 4 and latin > 2 * len(_CJK.findall(paragraph))


def section_of(heading: str) -> str | None:
    """The section a bold heading opens (any of its "/"-separated names may be used)."""
    names = [part.strip().lower() for part in heading.split("/")]
    for section, aliases in HEADINGS.items():
        if any(name in aliases for name in names):
            return section
    return None


def parse_docstring(docstring: str | None) -> RuleDoc:
    """The title line and the sections of a rule docstring."""
    lines = inspect.cleandoc(docstring or "").splitlines()
    first = lines.index("") if "" in lines else len(lines)  # the summary may wrap
    summary = " ".join(line.strip() for line in lines[:first])
    collected: dict[str, list[str]] = {}
    current = "what"
    for line in lines[first:]:
        heading = _HEADING.match(line.strip())
        if heading and section_of(heading["name"]):
            current = section_of(heading["name"]) or current
            continue
        fails = _FAILS.match(line.strip())
        if fails:
            current = "example"
            line = fails["rest"]
        collected.setdefault(current, []).append(line)
    sections = {
        name: "\n".join(body).strip("\n")
        for name, body in collected.items()
        if "\n".join(body).strip()
    }
    english: list[str] = []
    for name, body in sections.items():
        paragraphs = re.split(r"\n\s*\n", body)
        kept = [p for p in paragraphs if not _is_english_prose(p)]
        if kept and len(kept) < len(paragraphs):  # a section all in English stays as written
            english += [p.strip() for p in paragraphs if _is_english_prose(p)]
            sections[name] = "\n\n".join(kept).strip("\n")
    return RuleDoc(summary, sections, "\n\n".join(english))


def articles_cited(source: str) -> list[tuple[str, str]]:
    """The articles of the Regulation the rule's source cites, with their text."""
    if "条例" not in source:
        return []
    return [(article, quoted) for article, quoted in ARTICLES.items() if article in source]


def rule_options(rule: Any, lang: str = "zh") -> dict[str, Any]:
    """The options a rule declares: default, JSON Schema and description in ``lang``."""
    return {
        name: {
            "default": option.default,
            "schema": option.schema,
            "description": option.description.get(lang) or option.description["zh"],
        }
        for name, option in getattr(rule, "options", {}).items()
    }


def rule_thresholds(code: str) -> dict[str, Any]:
    """The configuration thresholds a rule reads (their schema description names the rule)."""
    properties = schema("config")["properties"]["thresholds"]["properties"]
    return {
        name: spec.get("description", "")
        for name, spec in properties.items()
        if spec.get("description", "").startswith(code)
    }


def rule_data(rule: Any, lang: str) -> dict[str, Any]:
    """A rule as JSON-ready data (``gkaudit rules --format json``)."""
    doc = parse_docstring(rule.__doc__)
    return {
        "code": rule.code,
        "severity": rule.severity.value,
        "title": dict(rule.title),
        "source": rule.source,
        "summary": doc.summary,
        "sections": doc.sections,
        "english": doc.english,
        "advice": {key: rule.advice_text(key) for key in ("zh", "en")},
        "articles": dict(articles_cited(rule.source)),
        "options": rule_options(rule, lang),
        "thresholds": rule_thresholds(rule.code),
        "batch": bool(getattr(rule, "batch", False)),
        "lang": lang,
    }


def explain_text(rule: Any, lang: str) -> str:
    """The page ``gkaudit explain CODE`` prints: like ``ruff rule``."""
    doc = parse_docstring(rule.__doc__)
    title = rule.title.get(lang) or rule.title["zh"]
    severity = SEVERITY[lang][rule.severity.value]
    colon = "：" if lang == "zh" else ": "
    parts = [
        f"{rule.code}  {title}",
        "",
        f"{text('explain.severity', lang)}{colon}{severity}",
        f"{text('explain.source', lang)}{colon}{rule.source}",
    ]
    english = doc.english if lang == "en" else ""
    what = "\n\n".join(p for p in (english, doc.summary, doc.sections.get("what", "")) if p)
    parts += _section(text("explain.what", lang), what)
    why = doc.sections.get("why", "")
    quotes = "\n\n".join(f"《政府信息公开条例》{article}：“{quoted}”" for article, quoted in
                       articles_cited(rule.source))  # fmt: skip
    parts += _section(text("explain.why", lang), "\n\n".join(p for p in (why, quotes) if p))
    parts += _section(text("explain.example", lang), doc.sections.get("example", ""))
    parts += _section(text("explain.fix", lang), doc.sections.get("fix", ""))
    parts += _section(text("explain.advice", lang), rule.advice_text(lang))
    options = text("explain.options_common", lang, code=rule.code)
    declared = [
        f"  [rules.{rule.code}] {name} = {_toml(spec['default'])}\n      {spec['description']}"
        for name, spec in rule_options(rule, lang).items()
    ]
    if declared:
        heading = text("explain.rule_options", lang, code=rule.code)
        options += "\n" + heading + "\n" + "\n".join(declared)
    thresholds = [
        f"  [thresholds] {name} = {json.dumps(DEFAULT_THRESHOLDS.get(name), ensure_ascii=False)}"
        f"\n      {_threshold_text(name, description, lang)}"
        for name, description in rule_thresholds(rule.code).items()
    ]
    if thresholds:
        options += "\n" + text("explain.thresholds", lang) + "\n" + "\n".join(thresholds)
    parts += _section(text("explain.options", lang), options, reflow=False)
    return "\n".join(parts).rstrip() + "\n"


def _toml(value: Any) -> str:
    """A default as it is written in gkaudit.toml: 0.1, true, "x", { township = 1000 }."""
    if isinstance(value, dict):
        inner = ", ".join(f"{key} = {_toml(item)}" for key, item in value.items())
        return f"{{ {inner} }}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _threshold_text(name: str, description: str, lang: str) -> str:
    return text(f"threshold.{name}", lang) if f"threshold.{name}" in MESSAGES else description


WIDTH = 74  # display columns of explain's text, a Chinese character two; punctuation may overhang


def _section(heading: str, body: str, reflow: bool = True) -> list[str]:
    if not body.strip():
        return []
    source = _reflowed(body) if reflow else body.splitlines()
    lines = [part for line in source for part in _wrapped(line, WIDTH)]
    return ["", heading, "\n".join(f"  {line}" if line.strip() else "" for line in lines)]


_KEEP_LINE = re.compile(r"^\s*([-*•]|\d+[.、)]|（?[一二三四五六七八九十]+[、）])|^    ")
_CLOSING = "，。、；：）》”’！？,.;:)]"
_OPENING = "“‘（《(["


def _reflowed(body: str) -> list[str]:
    """The lines of a docstring section with the lines of each prose paragraph joined (the
    docstring's own line breaks are the source's, not the reader's); lists and code kept."""
    lines: list[str] = []
    for line in body.splitlines():
        previous = lines[-1] if lines else ""
        if line.strip() and previous.strip() and not _KEEP_LINE.match(line):
            glue = "" if _columns(previous[-1]) == 2 or _columns(line.strip()[0]) == 2 else " "
            lines[-1] = previous.rstrip() + glue + line.strip()
        else:
            lines.append(line)
    return lines


def _wrapped(line: str, width: int) -> list[str]:
    """A long line cut to ``width`` display columns (lines that fit, and code, stay as they are):
    at a space in English, anywhere between Chinese characters."""
    if _columns(line) <= width or line.startswith("    "):
        return [line]
    indent = line[: len(line) - len(line.lstrip())]
    pieces: list[str] = []
    current = ""
    for token in re.findall(r"[A-Za-z0-9_.,;:!?'\"()\[\]/+=≠<>-]+\s*|\s+|.", line.strip()):
        too_long = _columns(indent + current + token.rstrip()) > width
        if current and too_long and token[0] not in _CLOSING:
            kept, moved = current.rstrip(), ""
            while kept and kept[-1] in _OPENING:
                kept, moved = kept[:-1], kept[-1] + moved
            pieces.append(indent + kept)
            current = moved + token.lstrip()
        else:
            current += token
    if current.strip():
        pieces.append(indent + current.rstrip())
    return pieces


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
