"""The three tables, read as the national form: the row tokens of a table -> rows under
canonical keys, every cell a number or ``None`` with a reason.

A row is known by its label first (the lexer named its token after the form's row). A row of
values whose label is missing or garbled is known by its place: it is put in the form's row
only when the rows around it leave no doubt (exactly as many unlabelled rows between two known
rows as the form has rows there). Digits that ran together are split only when the table's
identities leave exactly one reading. Whatever stays uncertain is reported unread, never
guessed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache

from gkaudit.base.vocabulary import (
    ACTIVE_2019,
    REQUEST_KEYS,
    REVIEW_KEYS,
    Form,
    form_for,
)
from gkaudit.model.report import Cell, Number, Problem, Row, Table
from gkaudit.parse.lexer import Line, SourceCell, row_width, split_row
from gkaudit.read.blocks import Cell as BlockCell
from gkaudit.read.layout import Memo

_INTEGER = re.compile(r"^[-－]?\d{1,3}(?:,\d{3})+$|^[-－]?\d+$")
_DECIMAL = re.compile(r"^[-－]?\d+\.\d+$")
OUTCOME_KEYS = REQUEST_KEYS[2:-2]  # 予以公开 … 3.其他: the parts of （七）总计
MAX_SPLITS = 20_000  # candidate readings of run-together digits, in all, before giving up

TableItem = tuple[str, Line]  # (token type, logical line)


def _parse_number(text: str) -> Number | None:
    text = text.strip().replace("－", "-")
    if _INTEGER.match(text):
        return int(text.replace(",", ""))
    if _DECIMAL.match(text):
        return float(text)
    return None


# parse_number(text): the number a cell holds; None for blanks, placeholders and anything else.
parse_number: Callable[[str], Number | None] = Memo(_parse_number, 4096).__getitem__


def read_table(
    name: str, items: Sequence[TableItem], start: int, template: str | None = None
) -> tuple[Table, list[Problem]]:
    """One table from its row tokens, in order."""
    form = form_for(name, template)
    table = Table(name, start, template=form.template)
    problems: list[Problem] = []
    if name == "review":
        _read_review(table, items, problems)
    else:
        placed = _place(form, items, problems)
        for key, line in placed:
            _add_row(table, form, key, line, problems, subtotal=name == "requests")
        if name == "requests":
            _split_runs(table, problems)
    _note_missing(table, form, items, problems)
    return table, problems


# --- placing rows ------------------------------------------------------------------------


def _place(
    form: Form, items: Sequence[TableItem], problems: list[Problem]
) -> list[tuple[str, Line]]:
    """(key, line) of every row the table holds: known by label, or by a certain place."""
    index_of = _key_positions(form.table, form.template)
    anchors: list[tuple[int, int]] = []  # (item position, form index)
    seen: dict[str, int] = {}
    placed: dict[int, str] = {}
    key_of = _keys_by_token(form.table, form.template)
    for position, (kind, line) in enumerate(items):
        key = key_of.get(kind)
        if key is None:
            continue
        if key in seen:
            problems.append(
                Problem("duplicate-row", line.number, {"table": form.table, "row": key,
                                                       "first": seen[key]})
            )  # fmt: skip
            continue
        seen[key] = line.number
        placed[position] = key
        if kind == "OTHER_2019":
            label = split_row(line).labels
            problems.append(Problem("old-other-row", line.number, {"label": label}))
        index = index_of.get(key)
        if index is not None:
            anchors.append((position, index))
    _place_by_position(form, items, anchors, set(seen), placed, problems)
    return [(placed[position], items[position][1]) for position in sorted(placed)]


@cache
def _key_positions(table: str, template: str) -> dict[str, int]:
    """Each row key of the form and its place in the form's order."""
    return {key: index for index, key in enumerate(form_for(table, template).keys)}


@cache
def _keys_by_token(table: str, template: str) -> dict[str, str]:
    """The row key each row token of the table stands for (the lexer names tokens after keys)."""
    keys = list(form_for(table, template).keys)
    if table == "active":  # the 2019 rows, wherever they turn up
        keys += ACTIVE_2019.keys
    found = {key.upper(): key for key in keys}
    if table == "requests":
        found["OTHER_2019"] = "other_3"  # the 2019 format's single （六）其他处理 row
    return found


def _place_by_position(
    form: Form,
    items: Sequence[TableItem],
    anchors: list[tuple[int, int]],
    known: set[str],
    placed: dict[int, str],
    problems: list[Problem],
) -> None:
    """Unlabelled rows of values between two known rows take the form's rows between them
    when their number matches exactly and the anchors are in the form's order."""
    keys = form.keys
    bounds = [(-1, -1), *anchors, (len(items), len(keys))]
    for (left, left_index), (right, right_index) in itertools.pairwise(bounds):
        loose = [p for p in range(left + 1, right) if items[p][0] == "VALUES"]
        if not loose:
            continue
        slots = [keys[i] for i in range(left_index + 1, right_index)]
        free = [key for key in slots if key not in known]
        if slots and len(loose) == len(slots) == len(free):
            for position, key in zip(loose, slots, strict=True):
                placed[position] = key
                problems.append(
                    Problem("placed-by-position", items[position][1].number,
                            {"table": form.table, "row": key,
                             "label": split_row(items[position][1]).labels})
                )  # fmt: skip
            continue
        for position in loose:
            line = items[position][1]
            problems.append(
                Problem("unplaced-row", line.number,
                        {"table": form.table, "values": _shown(line),
                         "label": split_row(line).labels})
            )  # fmt: skip


def _shown(line: Line) -> str:
    return " ".join(text for text in line.texts or () if text)


# --- reading a row's cells -----------------------------------------------------------------


def _add_row(
    table: Table, form: Form, key: str, line: Line, problems: list[Problem], subtotal: bool
) -> None:
    """A placed row's cells; a row of Table B with one filled value too many carries the
    法人或其他组织 subtotal, kept apart."""
    width = row_width(form.table, form.template, key)
    parts = line.parts or split_row(line)
    texts, sources = parts.values, parts.sources
    if len(texts) == width and all(texts) and (width > 1 or not sources[0].run_together):
        # the commonest: every value of the form's row filled in, nothing to fit or split
        table.rows[key] = Row(key, parts.labels, parts.label_line, _cells(texts, sources))
        return
    start, end = _filled_span(texts)
    if end - start == 1 and sources[start].run_together:
        cells = _run_cells(_source_cells(texts, sources, start, end)[0], width)
        table.rows[key] = Row(key, parts.labels, parts.label_line, cells)
        return
    if subtotal and end - start == width + 1 and all(texts[start:end]):
        fitted = _fit(texts[start:end], sources[start:end], width + 1)
        if fitted is not None:
            position = _subtotal_position(fitted)
            table.subtotals[key] = fitted.pop(position)
            table.rows[key] = Row(key, parts.labels, parts.label_line, fitted)
            return
    fitted = _fit(texts, sources, width)
    if fitted is None:
        problems.append(
            Problem("row-width", parts.label_line,
                    {"table": table.name, "row": key, "found": end - start, "expected": width})
        )  # fmt: skip
        return
    table.rows[key] = Row(key, parts.labels, parts.label_line, fitted)


def _filled_span(texts: Sequence[str]) -> tuple[int, int]:
    """Where a row's value cells start and end once empty cells at both ends are left out."""
    start, end = 0, len(texts)
    while end > start and not texts[end - 1]:
        end -= 1
    while start < end and not texts[start]:
        start += 1
    return start, end


def _source_cells(
    texts: Sequence[str], sources: Sequence[BlockCell], start: int, end: int
) -> list[SourceCell]:
    """Cells ``start:end`` of a row with their folded text (for Table C's run of numbers)."""
    return [
        SourceCell(text, cell.text, cell.line, cell.page, cell.run_together)
        for text, cell in zip(texts[start:end], sources[start:end], strict=True)
    ]


def _fit(texts: Sequence[str], sources: Sequence[BlockCell], width: int) -> list[Cell] | None:
    """The value cells of a row (folded ``texts`` of the reader's ``sources``), ``width`` of
    them, or None when they do not fit.

    Surplus empty cells are dropped from the end first (unused columns), then from the start
    (merged label cells); an empty cell inside the row's width stays, as a blank value.
    """
    if len(texts) != width:
        start, end = 0, len(texts)
        while end - start > width and not texts[end - 1]:
            end -= 1
        while end - start > width and not texts[start]:
            start += 1
        if end - start != width:
            return None
        texts, sources = texts[start:end], sources[start:end]
    return _cells(texts, sources)


def _cells(texts: Sequence[str], sources: Sequence[BlockCell]) -> list[Cell]:
    """The model's cells of folded ``texts`` of the reader's ``sources``."""
    new, number = _TUPLE_NEW, parse_number  # Cell(...) inlined: some 200 cells per report
    # a block cell is (text, line, page, run_together): read by index on this hot path
    return [
        new(Cell, (number(text), cell[0], cell[1], cell[2]))
        for text, cell in zip(texts, sources, strict=True)
    ]


def _to_cell(cell: SourceCell) -> Cell:
    # Cell(...) without NamedTuple's Python-level __new__: some 200 cells per report
    return _TUPLE_NEW(Cell, (parse_number(cell.text), cell.raw, cell.line, cell.page))


_TUPLE_NEW = tuple.__new__


def _subtotal_position(cells: list[Cell]) -> int:
    """Where the 法人或其他组织 subtotal sits in an 8-wide row: after 其他 (6), or at 1."""
    numbers = [cell.value for cell in cells]
    if None in numbers:
        return 6
    if numbers[1] == sum(numbers[2:7]) and numbers[6] != sum(numbers[1:6]):  # type: ignore[arg-type]
        return 1
    return 6


# --- run-together digits --------------------------------------------------------------------


def _run_cells(cell: SourceCell, width: int) -> list[Cell]:
    """A run of digits for ``width`` cells: read when it has one reading (one digit per cell),
    else left unread until the identities decide (``_split_runs``)."""
    if width == 1:
        return [_to_cell(cell)]
    if len(cell.text) == width:
        return [Cell(int(digit), cell.raw, cell.line, cell.page) for digit in cell.text]
    return [Cell(None, cell.raw, cell.line, cell.page) for _ in range(width)]


def splits(digits: str, width: int) -> Iterator[tuple[int, ...]]:
    """Every way to read ``digits`` as ``width`` whole numbers without leading zeros."""
    if width == 1:
        if digits and (digits == "0" or digits[0] != "0"):
            yield (int(digits),)
        return
    for cut in range(1, len(digits) - width + 2):
        head = digits[:cut]
        if len(head) > 1 and head[0] == "0":
            break
        for rest in splits(digits[cut:], width - 1):
            yield (int(head), *rest)


def _split_runs(table: Table, problems: list[Problem]) -> None:
    """Table B rows whose digits ran together: the readings where 总计 equals the sum of the six
    applicant columns, then the per-column identities across rows; exactly one must remain."""
    runs = {
        key: row for key, row in table.rows.items()
        if row.cells and row.cells[0].value is None and row.cells[0].raw.isdigit()
        and all(cell.raw == row.cells[0].raw for cell in row.cells)
    }  # fmt: skip
    if not runs:
        return
    options: dict[str, list[tuple[int, ...]]] = {}
    for key, row in runs.items():
        readings = [s for s in splits(row.cells[0].raw, 7) if s[6] == sum(s[:6])]
        options[key] = readings[:MAX_SPLITS]
    chosen = _consistent(table, options)
    for key, row in runs.items():
        reading = chosen.get(key)
        if reading is None:
            problems.append(
                Problem("run-together", row.line,
                        {"table": table.name, "row": key, "digits": row.cells[0].raw,
                         "readings": len(options[key])})
            )  # fmt: skip
            del table.rows[key]
            continue
        cell = row.cells[0]
        row.cells = [Cell(value, cell.raw, cell.line, cell.page) for value in reading]


def _consistent(
    table: Table, options: dict[str, list[tuple[int, ...]]]
) -> dict[str, tuple[int, ...]]:
    """The readings of the run-together rows, when exactly one combination keeps the table's
    column identities (rows read normally take part as they are)."""
    certain = {key: found[0] for key, found in options.items() if len(found) == 1}
    open_keys = [key for key, found in options.items() if len(found) > 1]
    if not open_keys:
        return certain
    combinations = 1
    for key in open_keys:
        combinations *= len(options[key])
    if combinations > MAX_SPLITS:
        return certain
    survivors = []
    for combination in itertools.product(*(options[key] for key in open_keys)):
        trial = {**certain, **dict(zip(open_keys, combination, strict=True))}
        if _identities_hold(table, trial):
            survivors.append(trial)
            if len(survivors) > 1:
                return certain
    return survivors[0] if survivors else certain


def _identities_hold(table: Table, trial: dict[str, tuple[int, ...]]) -> bool:
    """Identities 1 and 2 of Table B, in every column where all their cells are numbers."""

    def values(key: str) -> Sequence[Number | None] | None:
        if key in trial:
            return trial[key]
        row = table.rows.get(key)
        return row.values if row else None

    balance = [values(key) for key in ("new", "carried_over", "total", "carried_forward")]
    outcomes = [values(key) for key in OUTCOME_KEYS]
    for column in range(7):
        if _all_numbers(*balance, column=column):
            new, over, total, forward = (row[column] for row in balance)  # type: ignore[index]
            if new + over != total + forward:  # type: ignore[operator]
                return False
        if _all_numbers(balance[2], *outcomes, column=column):
            parts = sum(row[column] for row in outcomes)  # type: ignore[index,misc]
            if balance[2][column] != parts:  # type: ignore[index]
                return False
    return True


def _all_numbers(*rows: Sequence[Number | None] | None, column: int) -> bool:
    return all(row is not None and row[column] is not None for row in rows)


# --- Table C ----------------------------------------------------------------------------


def _read_review(table: Table, items: Sequence[TableItem], problems: list[Problem]) -> None:
    """15 numbers, in one row, in three labelled groups of five, or run together."""
    sequence: list[SourceCell] = []
    first_line = table.line
    for kind, line in items:
        key = kind.lower()
        parts = split_row(line) if line.is_row else None
        if key in REVIEW_KEYS and parts is not None:
            _add_row(table, form_for("review"), key, line, problems, subtotal=False)
            continue
        if kind != "VALUES" or parts is None:
            continue
        if not sequence:
            first_line = line.number
        sequence += _source_cells(parts.values, parts.sources, *_filled_span(parts.values))
    open_keys = [key for key in REVIEW_KEYS if key not in table.rows]
    if not sequence or not open_keys:
        return
    if len(sequence) == 1 and sequence[0].run_together:
        sequence = _review_run(sequence[0], len(open_keys), problems, table)
        if not sequence:
            return
    if len(sequence) == 5 * len(open_keys):
        for index, key in enumerate(open_keys):
            group = sequence[index * 5 : (index + 1) * 5]
            table.rows[key] = Row(key, "", group[0].line, [_to_cell(cell) for cell in group])
        return
    problems.append(
        Problem("review-count", first_line, {"table": "review", "found": len(sequence),
                                             "expected": 5 * len(open_keys)})
    )  # fmt: skip


def _review_run(
    cell: SourceCell, groups: int, problems: list[Problem], table: Table
) -> list[SourceCell]:
    """Run-together digits of Table C: readings where each group's total is the sum of its four
    results; exactly one must remain."""
    readings = [
        reading
        for reading in itertools.islice(splits(cell.text, 5 * groups), MAX_SPLITS)
        if all(reading[g * 5 + 4] == sum(reading[g * 5 : g * 5 + 4]) for g in range(groups))
    ]
    if len(readings) != 1:
        problems.append(
            Problem("run-together", cell.line,
                    {"table": "review", "row": None, "digits": cell.text,
                     "readings": len(readings)})
        )  # fmt: skip
        return []
    return [cell._replace(text=str(value), run_together=False) for value in readings[0]]


# --- what is missing ------------------------------------------------------------------------


def _note_missing(
    table: Table, form: Form, items: Iterable[TableItem], problems: list[Problem]
) -> None:
    """Rows of the form the table does not have, and have no located problem of their own:
    missing when nothing in the table could be them, unread when something could (a row of
    values that could not be placed, or numbers that could not be matched to columns)."""
    located = {p.params.get("row") for p in problems if p.kind in ("row-width", "run-together")}
    doubtful = any(p.kind in ("unplaced-row", "review-count") for p in problems)
    keys = REVIEW_KEYS if table.name == "review" else form.keys
    for key in keys:
        if key in table.rows or key in located:
            continue
        kind = "row-unread" if doubtful else "row-missing"
        problems.append(Problem(kind, table.line, {"table": table.name, "row": key}))
