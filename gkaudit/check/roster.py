"""The county's roster of units (units.csv / units.xlsx) and the binding of reports to units.

A roster row names a unit, its aliases, its type, its parent and whether its report is a 汇总 of
its units' reports. Rows are validated with gkaudit/schemas/units.schema.json; an error names
the file and row. Each report is bound to one roster unit: by the roster's names and aliases,
then by normalised names (spaces, 人民政府 / 办事处, an administrative prefix such as 某某县).
A report that matches no unit, or two, stays unbound — rules report it, nothing guesses.
Without a roster, a report's unit is its own normalised name.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from gkaudit.base.errors import GkauditError
from gkaudit.base.resources import schema

HEADERS = {
    "name": ("name", "名称", "单位名称", "单位"),
    "aliases": ("aliases", "别名", "其他名称"),
    "type": ("type", "类型", "单位类型"),
    "parent": ("parent", "上级", "上级单位"),
    "summary": ("summary", "汇总", "是否汇总"),
    "deadline": ("deadline", "截止日期", "报送截止"),
    "remarks": ("remarks", "note", "备注", "序号", "no."),  # read and ignored
}
TYPE_WORDS = {
    "township": "township", "乡镇": "township", "乡": "township", "镇": "township",
    "街道": "township", "乡镇街道": "township",
    "county": "county", "县": "county", "县政府": "county", "县级政府": "county",
    "department": "department", "部门": "department", "县直部门": "department",
}  # fmt: skip
YES = {"是", "yes", "y", "true", "1", "汇总", "√"}
NO = {"否", "no", "n", "false", "0", ""}
ALIAS_SEPARATORS = re.compile(r"[;；、|,，]")
GOVERNMENT_SUFFIX = re.compile(r"(?:人民政府|政府|街道办事处|办事处)$")
ADMIN_PREFIX = re.compile(
    r"^(?:\w{1,8}?(?:省|自治区))?(?:\w{1,8}?(?:市|州|盟))?(?:\w{1,8}?(?:县|区|旗|市))?$"
)


class Identified(Protocol):
    """What binding reads of a report: a ``Report`` or a ``ReportDigest``."""

    path: str | None
    unit: str | None
    year: int | None


class RosterError(GkauditError):
    """The roster file cannot be read or a row is invalid (the message names the row)."""


@dataclass(frozen=True)
class Unit:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    summary: bool = False
    deadline: str | None = None
    row: int = 0  # the row in the roster file (header is row 1)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Binding:
    """Which unit a report belongs to: ``unit`` is None when no or several units matched."""

    path: str | None
    unit: str | None
    year: int | None
    method: (
        str  # "name", "alias", "normalised", "prefix", "file name", "inferred", "none", "ambiguous"
    )
    written: str | None  # the unit name as the report writes it
    candidates: tuple[str, ...] = ()


@dataclass
class Roster:
    units: list[Unit]
    source: str = ""
    _exact: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _normal: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for unit in self.units:
            for name in unit.names:
                _add(self._exact, squeeze(name), unit.name)
                _add(self._normal, normalise_name(name), unit.name)

    def get(self, name: str) -> Unit | None:
        return next((unit for unit in self.units if unit.name == name), None)

    def children(self, name: str) -> list[Unit]:
        return [unit for unit in self.units if unit.parent == name]

    def bind(self, report: Identified) -> Binding:
        """The roster unit of ``report``, by name, alias, normalised name, prefix, file name."""
        written = report.unit
        if written:
            for method, found in self._match(written):
                if found:
                    return _binding(report, found, method, written)
        stem = Path(report.path).stem if report.path else ""
        by_file = sorted(
            {unit.name for unit in self.units for name in unit.names if name and name in stem}
        )
        if by_file:
            return _binding(report, by_file, "file name", written)
        return Binding(report.path, None, report.year, "none", written)

    def _match(self, written: str) -> Iterable[tuple[str, list[str]]]:
        squeezed = squeeze(written)
        exact = self._exact.get(squeezed, [])
        yield ("name" if any(squeezed == squeeze(u) for u in exact) else "alias"), exact
        normal = normalise_name(written)
        yield "normalised", self._normal.get(normal, [])
        yield (
            "prefix",
            sorted(
                {
                    unit
                    for name, units in self._normal.items()
                    if _prefixed(normal, name) or _prefixed(name, normal)
                    for unit in units
                }
            ),
        )


def _binding(report: Identified, found: list[str], method: str, written: str | None) -> Binding:
    unique = sorted(set(found))
    if len(unique) == 1:
        return Binding(report.path, unique[0], report.year, method, written, tuple(unique))
    return Binding(report.path, None, report.year, "ambiguous", written, tuple(unique))


def infer_binding(report: Identified) -> Binding:
    """Without a roster: the report's own name, normalised, is its unit."""
    if not report.unit:
        return Binding(report.path, None, report.year, "none", None)
    return Binding(report.path, unit_key(report.unit), report.year, "inferred", report.unit)


def bind(report: Identified, roster: Roster | None) -> Binding:
    return roster.bind(report) if roster else infer_binding(report)


def _add(index: dict[str, list[str]], key: str, unit: str) -> None:
    if key and unit not in index.setdefault(key, []):
        index[key].append(unit)


# Full-width ASCII and the ideographic space, as NFKC maps them: text that is not in NFKC (most
# often for its full-width punctuation) is folded by one translate, after which it mostly is,
# and skips the normalisation (5 µs a line).
NARROW = str.maketrans({chr(wide): chr(wide - 0xFEE0) for wide in range(0xFF01, 0xFF5F)})
NARROW[0x3000] = " "


def squeeze(text: str) -> str:
    """Widths folded (NFKC) and every space removed: names and sentences compared as written."""
    folded = text
    if not unicodedata.is_normalized("NFKC", folded):
        folded = folded.translate(NARROW)
        if not unicodedata.is_normalized("NFKC", folded):
            folded = unicodedata.normalize("NFKC", folded)
    return "".join(folded.split())  # str.split's whitespace is re's \s


@lru_cache(maxsize=4096)  # a scan asks again for each report's names (binding, own names)
def normalise_name(name: str) -> str:
    """Spaces and widths folded; 人民政府 / 政府 / 办事处 dropped (街道办事处 → 街道)."""
    squeezed = squeeze(name)
    return GOVERNMENT_SUFFIX.sub(
        lambda match: "街道" if match.group().startswith("街道") else "", squeezed
    )


@lru_cache(maxsize=4096)
def unit_key(name: str) -> str:
    """A roster-less unit identity: the normalised name without an administrative prefix."""
    normal = normalise_name(name)
    for cut in range(1, len(normal) - 1):
        if ADMIN_PREFIX.match(normal[:cut]) and len(normal) - cut >= 2:
            rest = normal[cut:]
            if rest[-1] in "乡镇街道局委办院所队站中心会处":  # the rest is itself a unit
                return rest
    return normal


def _prefixed(longer: str, shorter: str) -> bool:
    """``longer`` is ``shorter`` behind an administrative prefix (某某县史庄镇 / 史庄镇)."""
    return (
        len(shorter) >= 2
        and len(longer) > len(shorter)
        and longer.endswith(shorter)
        and bool(ADMIN_PREFIX.match(longer[: -len(shorter)]))
    )


# --- loading --------------------------------------------------------------------------------


def load_roster(path: str | Path) -> Roster:
    """Read and validate units.csv or units.xlsx; a bad row is a RosterError naming it."""
    file = Path(path)
    if not file.is_file():
        raise RosterError(f"roster {file}: no such file")
    records = (
        _xlsx_records(file) if file.suffix.lower() in (".xlsx", ".xlsm") else _csv_records(file)
    )
    units = [_unit(file, number, record) for number, record in records]
    _check_references(file, units)
    return Roster(units, str(file))


def _csv_records(file: Path) -> list[tuple[int, dict[str, str]]]:
    raw = file.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError(f"roster {file}: not UTF-8 or GB18030 text")
    rows = list(csv.reader(text.splitlines()))
    return _records(file, rows)


def _xlsx_records(file: Path) -> list[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
        rows = [
            ["" if value is None else str(value) for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    except Exception as error:  # openpyxl raises many kinds for a corrupt workbook
        raise RosterError(f"roster {file}: cannot read the workbook: {error}") from None
    return _records(file, rows)


def _records(file: Path, rows: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    if not rows:
        raise RosterError(f"roster {file}: empty")
    columns = {}
    for index, header in enumerate(rows[0]):
        key = next((k for k, names in HEADERS.items() if header.strip().lower() in names), None)
        if key is None and header.strip():
            raise RosterError(f"roster {file}: row 1: unknown column '{header.strip()}'")
        if key:
            columns[index] = key
    if "name" not in columns.values():
        raise RosterError(f"roster {file}: row 1: no 名称/name column")
    return [
        (
            number,
            {
                columns[i]: cell.strip()
                for i, cell in enumerate(row)
                if columns.get(i, "remarks") != "remarks"
            },
        )
        for number, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]


def _unit(file: Path, number: int, record: dict[str, str]) -> Unit:
    data: dict[str, Any] = {"name": record.get("name", "")}
    kind = record.get("type", "")
    data["type"] = TYPE_WORDS.get(kind.lower(), kind)
    aliases = [a.strip() for a in ALIAS_SEPARATORS.split(record.get("aliases", "")) if a.strip()]
    if aliases:
        data["aliases"] = aliases
    if record.get("parent"):
        data["parent"] = record["parent"]
    summary = record.get("summary", "").lower()
    if summary not in YES | NO:
        raise RosterError(f"roster {file}: row {number}: summary: '{summary}' is not 是/否")
    data["summary"] = summary in YES
    if record.get("deadline"):
        data["deadline"] = record["deadline"]
    import jsonschema  # loaded only when a roster is read (quick start)

    errors = sorted(jsonschema.Draft202012Validator(schema("units")).iter_errors(data), key=str)
    if errors:
        where = ".".join(str(part) for part in errors[0].absolute_path) or "row"
        raise RosterError(f"roster {file}: row {number}: {where}: {errors[0].message}")
    return Unit(
        name=data["name"],
        type=data["type"],
        aliases=tuple(aliases),
        parent=data.get("parent"),
        summary=data["summary"],
        deadline=data.get("deadline"),
        row=number,
    )


def _check_references(file: Path, units: list[Unit]) -> None:
    seen: dict[str, Unit] = {}
    for unit in units:
        for name in unit.names:
            other = seen.get(squeeze(name))
            if other is not None and other.name != unit.name:
                raise RosterError(
                    f"roster {file}: row {unit.row}: name '{name}' "
                    f"is already used by row {other.row}"
                )
            seen[squeeze(name)] = unit
    names = {unit.name for unit in units}
    for unit in units:
        if unit.parent and unit.parent not in names:
            raise RosterError(
                f"roster {file}: row {unit.row}: parent '{unit.parent}' is not a unit of the roster"
            )
        if unit.summary and not any(other.parent == unit.name for other in units):
            raise RosterError(
                f"roster {file}: row {unit.row}: '{unit.name}' is marked 汇总 "
                "but no unit names it as parent"
            )


# --- the batch as the cross-document rules see it -------------------------------------------


@dataclass
class BatchView:
    """Each report's binding, and the batch's reports by (unit, year): computed once a batch.
    The reports are ``ReportDigest``s (gkaudit.check.digest) in a scan; anything ``Identified``."""

    bindings: dict[int, Binding]  # by id(report)
    by_unit_year: dict[tuple[str, int], list[Any]]

    def binding(self, report: Any) -> Binding:
        return self.bindings[id(report)]

    def previous(self, report: Any, history: Any = None) -> Any:
        """The same unit's report of the year before: from the batch, else from the history."""
        binding = self.binding(report)
        if not binding.unit or not report.year:
            return None
        earlier = self.by_unit_year.get((binding.unit, report.year - 1))
        if earlier:
            return earlier[0]
        return history.report_of(binding.unit, report.year - 1) if history else None

    def pairs(self, reports: list[Any], history: Any = None) -> list[tuple[Any, Any]]:
        """(report, the same unit's report of the year before) for each report that has one."""
        found = ((report, self.previous(report, history)) for report in reports)
        return [(report, previous) for report, previous in found if previous is not None]


def nothing_to_compare(reports: list[Any], context: Any) -> bool:
    """One report and no earlier ones (no archive, no --previous): a cross-document rule that
    compares reports has nothing to do, and need not load its libraries."""
    return len(reports) < 2 and context.history is None


def batch_view(reports: list[Any], context: Any) -> BatchView:
    """The batch's bindings under the context's roster, shared by every batch rule of a run."""
    key = ("batch_view", id(reports))
    if key not in context.shared:
        context.shared[key] = make_batch_view(reports, context.roster)
    return context.shared[key]


def make_batch_view(reports: list[Any], roster: Roster | None) -> BatchView:
    from gkaudit.check.digest import DigestRef

    bindings = {
        id(report): (
            report.binding
            if isinstance(report, DigestRef) and report.store.roster is roster
            else bind(report, roster)
        )
        for report in reports
    }
    grouped: dict[tuple[str, int], list[Any]] = {}
    for report in sorted(reports, key=lambda r: r.path or ""):
        binding = bindings[id(report)]
        if binding.unit and report.year:
            grouped.setdefault((binding.unit, report.year), []).append(report)
    return BatchView(bindings, grouped)


def batch_pairs(reports: list[Any], roster: Roster | None, history: Any) -> list[tuple[Any, Any]]:
    """(report, the same unit's report of the year before) for each report that has one."""
    return make_batch_view(reports, roster).pairs(reports, history)


def own_names(report: Identified, binding: Binding, roster: Roster | None) -> set[str]:
    """Every way the report's own unit is named: as written, on the roster, normalised."""
    names = {name for name in (report.unit, binding.unit) if name}
    unit = roster.get(binding.unit) if roster and binding.unit else None
    if unit:
        names.update(unit.names)
    names.update({normalise_name(name) for name in names} | {unit_key(name) for name in names})
    return {name for name in names if len(name) >= 2}
