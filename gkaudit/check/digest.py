"""What the cross-document rules see of a report: a compact digest made where it is parsed.

A scan's workers parse and audit each file; when batch rules (GK601–GK609, plugins' batch
rules) or the archive are active, each worker sends back a ``ReportDigest`` instead of the
parsed ``Report``: the binding inputs (path, unit as written, year), the three tables' figures,
the prose lines (everything but the tables and the title), the section spans, the page breaks,
the copying ``TextDigest`` (masked sentences), the hashes of the file and of its text, and —
only when archiving — the model as compressed JSON. The parent keeps about a third of the memory
of each parsed report (17 KB against 57 KB for the seeds), and every batch rule, the archive
and the year-on-year comparison work from digests.

This is the contract of ``BatchRule.check_batch(reports, context)`` for plugin authors:
``reports`` is a list of ``ReportDigest``; each has ``path``, ``unit``, ``year``,
``title_line``, ``unit_type``, ``content_hash``, ``text_hash``, ``tables``, ``cells``
((table, row key, column) → (value, line), made on each call), ``values(table, key)``,
``row_line(table, key)``, ``prose`` (line number → text), ``section_label(kind)`` and
``text`` (the masked sentences, see gkaudit.check.copying). Give each result the digest it belongs
to: ``self.finding(..., report=digest)``.

In a scan the digests do not stay in memory: ``DigestStore`` pickles each to a spill file as it
arrives and keeps a ``DigestRef`` — what binding and grouping read (path, unit, year, title
line, hashes, the binding) and the copying sketch's sentence keys. Any other attribute of a
``DigestRef`` loads its digest again (a small LRU), so a batch rule reads ``reports[i].prose``
as before; the list of refs is what ``check_batch`` receives.
"""

from __future__ import annotations

import hashlib
import pickle
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from gkaudit.base.spool import Spool
from gkaudit.model.report import ACTIVE_WIDTHS, REQUEST_KEYS, REVIEW_KEYS, Number, Report, TextLine

if TYPE_CHECKING:
    import numpy as np

    from gkaudit.check.copying import Sketch, TextDigest
    from gkaudit.check.roster import Binding, Roster

CellKey = tuple[str, str, int]  # (table, row key, column index)
ROW_ORDER = {"requests": REQUEST_KEYS, "review": REVIEW_KEYS}
NONE = float("nan")  # a blank cell among the figures


class Layout:
    """Which rows of the three tables a report has, and how many cells each: shared by every
    report of the same shape (one object however many digests hold it, also after pickling)."""

    def __init__(self, rows: tuple[tuple[str, str, int], ...]) -> None:
        self.rows = rows  # (table, row key, cells)
        self.index: dict[tuple[str, str], tuple[int, int, int]] = {}  # → (row, first cell, width)
        start = 0
        for number, (table, key, width) in enumerate(rows):
            self.index[(table, key)] = (number, start, width)
            start += width
        self.tables = tuple(dict.fromkeys(table for table, _, _ in rows))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return layout, (self.rows,)


@cache
def layout(rows: tuple[tuple[str, str, int], ...]) -> Layout:
    return Layout(rows)


@dataclass(eq=False)
class Figures:
    """The three tables' figures, compactly: the rows present (a shared ``Layout``), each row's
    line, each cell's value (NaN: blank; ``floats``: the cells written with decimals) and line."""

    layout: Layout
    row_lines: array
    values_: array
    cell_lines: array
    floats: frozenset[int] | None

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables present: "active", "requests", "review"."""
        return self.layout.tables

    def _value(self, position: int) -> Number | None:
        value = self.values_[position]
        if value != value:  # NaN: blank
            return None
        return value if self.floats and position in self.floats else int(value)

    def values(self, table: str, key: str) -> list[Number | None] | None:
        """The row's figures in column order, None when the table or the row is absent."""
        found = self.layout.index.get((table, key))
        if found is None:
            return None
        _, start, width = found
        return [self._value(position) for position in range(start, start + width)]

    def row_line(self, table: str, key: str) -> int | None:
        found = self.layout.index.get((table, key))
        return self.row_lines[found[0]] if found else None

    @property
    def cells(self) -> dict[CellKey, tuple[Number | None, int]]:
        """Every cell, in the form's order: (table, row key, column) → (value, line)."""
        cells = {}
        position = 0
        for table, key, width in self.layout.rows:
            for index in range(width):
                cells[(table, key, index)] = (self._value(position), self.cell_lines[position])
                position += 1
        return cells


def figures_of(report: Report) -> Figures:
    rows, row_lines, values, cell_lines, floats = [], array("l"), array("d"), array("l"), set()
    for table in report.tables.present():
        for key in ROW_ORDER.get(table.name, ACTIVE_WIDTHS):
            row = table.rows.get(key)
            if row is None:
                continue
            rows.append((table.name, key, len(row.cells)))
            row_lines.append(row.line)
            for cell in row.cells:
                if isinstance(cell.value, float):
                    floats.add(len(values))
                values.append(NONE if cell.value is None else cell.value)
                cell_lines.append(cell.line or row.line)
    return Figures(layout(tuple(rows)), row_lines, values, cell_lines, frozenset(floats) or None)


@dataclass(eq=False)
class ReportDigest:
    """A parsed report, reduced to what comparing it with other reports needs."""

    path: str | None
    unit: str | None  # as the report writes it
    year: int | None
    title_line: int | None
    content_hash: str | None  # of the file's bytes (the archive's key); None when not hashed
    text_hash: str  # of the text, line by line, spaces folded (GK608)
    first_table_line: int | None
    figures: Figures  # the three tables'
    prose: dict[int, str]  # every line but the tables' and the title: headings and text
    headings: tuple[int, ...]  # section and subsection heading lines
    sections: tuple[tuple[int, int, int | None, str], ...]  # (line, end line, kind, label)
    page_breaks: tuple[tuple[int, int], ...] = ()  # (first line, page) where a page starts
    last_line: int = 0
    unit_type: str = "unknown"
    text: TextDigest | None = None  # the masked sentences (gkaudit.check.copying)
    text_names: frozenset[str] = frozenset()  # the own names masked in ``text``
    model: bytes | None = None  # the model as zlib-compressed JSON, only when archiving
    derived: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables present: "active", "requests", "review"."""
        return self.figures.tables

    def values(self, table: str, key: str) -> list[Number | None] | None:
        return self.figures.values(table, key)

    def row_line(self, table: str, key: str) -> int | None:
        return self.figures.row_line(table, key)

    @property
    def cells(self) -> dict[CellKey, tuple[Number | None, int]]:
        return self.figures.cells

    def section_label(self, kind: int) -> str | None:
        """The section of kind 1–6 as written (``三、收到和处理政府信息公开申请情况``)."""
        return next((label for _, _, k, label in self.sections if k == kind), None)

    def page_of(self, line: int | None) -> int | None:
        return page_at(self.page_breaks, self.last_line, line)

    @property
    def lines(self) -> list[TextLine]:
        """Every line with its page (the text only for prose lines): for locating findings."""
        if not self.page_breaks:
            return []
        return [
            TextLine(number, self.prose.get(number, ""), self.page_of(number))
            for number in range(1, self.last_line + 1)
        ]

    def memo(self, key: str, compute: Any) -> Any:
        if key not in self.derived:
            self.derived[key] = compute(self)
        return self.derived[key]

    def lighten(self) -> None:
        """Drop what only the batch rules and the archive needed (after they ran)."""
        self.text = None
        self.model = None
        self.derived.clear()


def report_digest(
    report: Report,
    roster: Roster | None = None,
    unit_type: str = "unknown",
    model: bytes | None = None,
    sketched: bool = False,
) -> ReportDigest:
    """The digest of a parsed report; its text is masked with the names the roster gives.
    ``sketched``: with the copying sketch (a scan's worker makes it, not the parent)."""
    from gkaudit.check.copying import digest_lines, sketch_of
    from gkaudit.check.roster import bind, own_names

    tables = report.tables.present()
    in_tables = {
        number
        for table in tables
        for number in range(table.line, (table.end_line or table.line) + 1)
    }
    prose = {
        line.number: line.text
        for line in report.lines
        if line.number not in in_tables and line.number != report.title_line
    }
    headings = tuple(
        sorted(
            {s.line for s in report.sections}
            | {u.line for s in report.sections for u in s.subsections}
        )
    )
    sections = tuple(
        (s.line, s.end_line, s.kind, f"{s.number}、{s.heading}") for s in report.sections
    )
    digest = ReportDigest(
        path=report.path,
        unit=report.unit,
        year=report.year,
        title_line=report.title_line,
        content_hash=report.derived.get("content_hash"),
        text_hash=text_hash(line.text for line in report.lines),
        first_table_line=min((table.line for table in tables), default=None),
        figures=figures_of(report),
        prose=prose,
        headings=headings,
        sections=sections,
        page_breaks=_page_breaks(report.lines),
        last_line=max((line.number for line in report.lines), default=0),
        unit_type=unit_type,
        model=model,
    )
    binding = bind(digest, roster)
    names = frozenset(own_names(digest, binding, roster))
    digest.text = digest_lines(digest, names, binding.unit)
    digest.text_names = names
    if sketched:
        sketch_of(digest.text)
    return digest


def page_at(
    page_breaks: tuple[tuple[int, int], ...], last_line: int, line: int | None
) -> int | None:
    """The page a line of the report stands on (None: no pages, or no such line)."""
    if not line or not page_breaks or line > last_line:
        return None
    at = bisect_right([start for start, _ in page_breaks], line) - 1
    return (page_breaks[at][1] or None) if at >= 0 else None


def text_hash(texts: Iterable[str]) -> str:
    text = "\n".join(filter(None, [" ".join(line.split()) for line in texts]))  # blank: dropped
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _page_breaks(lines: list[TextLine]) -> tuple[tuple[int, int], ...]:
    breaks: list[tuple[int, int]] = []
    for line in lines:
        if line.page and (not breaks or breaks[-1][1] != line.page):
            breaks.append((line.number, line.page))
    return tuple(breaks)


# --- a scan's digests, spilled to disk --------------------------------------------------------

DIGEST_CACHE = 64  # digests loaded back and kept at once


@dataclass(eq=False)
class DigestHead:
    """What the parent reads of a digest without unpickling it (binding, grouping, copying)."""

    path: str | None
    unit: str | None
    year: int | None
    title_line: int | None
    unit_type: str
    text_hash: str
    content_hash: str | None
    text_unit: str | None = None  # the unit its text was masked for
    text_names: frozenset[str] = frozenset()
    # The sketch without its MinHash rows, as the bytes of its three arrays (sentence keys as
    # uint64, format-wording flags, lengths as int64): appended to the store's flat arrays as
    # they are. None: not sketched, or no text.
    sentences: tuple[bytes, bytes, bytes] | None = None
    sketch_width: int = 64


@dataclass(eq=False)
class PackedDigest:
    """A digest as a worker sends it: its head, the pickled digest (its sketch without the
    MinHash rows, its prose apart), the rows' bytes and its ``ProsePages`` (pickled) —
    written to the spill file without unpickling; a rule reading only the prose (GK605), or
    locating a finding's page, loads only them."""

    head: DigestHead
    blob: bytes
    rows: bytes
    prose_pages: bytes

    def digest(self) -> ReportDigest:
        digest = _with_prose(pickle.loads(self.blob), pickle.loads(self.prose_pages).prose)
        if digest.text is not None and digest.text.sketch is not None and self.rows:
            import numpy as np

            rows = np.frombuffer(self.rows, dtype=np.uint32).reshape(-1, self.head.sketch_width)
            digest.text.sketch.minhashes = rows
        return digest

    def place(self, spool: Spool) -> PlacedDigest:
        """Written to ``spool`` (a worker's own, read by the parent): its head and places."""
        at, _size = spool.put(self.rows + self.blob + self.prose_pages)
        return PlacedDigest(self.head, at, len(self.rows), len(self.blob), len(self.prose_pages))


@dataclass
class PlacedDigest:
    """A packed digest a worker wrote to a spool of its own (``PackedDigest.place``): its head,
    and where its MinHash rows, pickled digest and prose pages lie, back to back from ``at``.
    The parent receives only this: no digest's bytes cross the pipe or are written twice."""

    head: DigestHead
    at: int
    rows: int
    blob: int
    prose_pages: int

    def packed(self, spool: Spool) -> PackedDigest:
        data = spool.get(self.at, self.rows + self.blob + self.prose_pages)
        rows, blob = data[: self.rows], data[self.rows : self.rows + self.blob]
        return PackedDigest(self.head, blob, rows, data[self.rows + self.blob :])


def pack_digest(digest: ReportDigest, sketched: bool = True) -> PackedDigest:
    """The digest packed for the parent (a scan's worker does it): with its text's sketch
    when ``sketched`` (made if it was not; without, numpy is not loaded: a lone file's check)."""
    head = DigestHead(
        digest.path, digest.unit, digest.year, digest.title_line, digest.unit_type,
        digest.text_hash, digest.content_hash,
    )  # fmt: skip
    rows = b""
    text = digest.text
    if text is not None:
        head.text_unit, head.text_names = text.unit, digest.text_names
    if text is not None and sketched:
        from gkaudit.check.copying import NUM_PERM, Sketch, sketch_of

        sketch = sketch_of(text)
        assert sketch.minhashes is not None
        rows = sketch.minhashes.tobytes()
        light = Sketch(sketch.keys, sketch.wording, sketch.lengths)
        head.sentences = (
            sketch.keys.astype("=u8").tobytes(),
            sketch.wording.astype(bool).tobytes(),
            sketch.lengths.astype("=i8").tobytes(),
        )
        head.sketch_width = NUM_PERM
        text.sketch = light
    prose = digest.prose
    shared = text if text is not None and text.texts is prose else None  # its lines: the prose
    digest.prose = {}
    if shared is not None:
        shared.texts = {}
    try:
        blob = pickle.dumps(digest, pickle.HIGHEST_PROTOCOL)
    finally:
        digest.prose = prose
        if shared is not None:
            shared.texts = prose
        if text is not None and sketched:
            text.sketch = sketch
    prose_pages = ProsePages(prose, digest.page_breaks, digest.last_line)
    return PackedDigest(head, blob, rows, pickle.dumps(prose_pages, pickle.HIGHEST_PROTOCOL))


class ProsePages(NamedTuple):
    """What is read of a spilled digest apart from the rest: its prose lines and its pages."""

    prose: dict[int, str]
    page_breaks: tuple[tuple[int, int], ...]
    last_line: int


def _with_prose(digest: ReportDigest, prose: dict[int, str]) -> ReportDigest:
    """A digest unpickled without its prose, given it back (and to its text, which shares it:
    a text with no lines of its own has no sentences, so it never reads them)."""
    digest.prose = prose
    if digest.text is not None and not digest.text.texts:
        digest.text.texts = prose
    return digest


def _masked_again(digest: ReportDigest, names: set[str], unit: str | None) -> ReportDigest:
    from gkaudit.check.copying import digest_lines

    digest.text = digest_lines(digest, names, unit)
    digest.text_names = frozenset(names)
    return digest


class DigestRef:
    """A spilled ReportDigest: the fields binding and grouping read are here (the rest of what
    the parent keeps of it is in its store's columns); any other attribute loads the digest
    from the spill file (``DigestStore.load``)."""

    __slots__ = (
        "binding", "content_hash", "index", "path", "store", "text_hash", "title_line", "unit",
        "unit_type", "year",
    )  # fmt: skip

    def __init__(self, store: DigestStore, index: int, head: DigestHead, binding: Binding) -> None:
        self.store, self.index, self.binding = store, index, binding
        self.path, self.unit, self.year = head.path, head.unit, head.year
        self.title_line, self.unit_type = head.title_line, head.unit_type
        self.text_hash, self.content_hash = head.text_hash, head.content_hash

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.store.load(self), name)

    def digest(self) -> ReportDigest:
        """The whole digest, loaded from the spill file."""
        return self.store.load(self)

    @property
    def prose(self) -> dict[int, str]:
        """The prose lines, loaded without the rest of the digest."""
        return self.store.prose_pages(self).prose

    def page_of(self, line: int | None) -> int | None:
        """The page of a line, loaded without the rest of the digest."""
        found = self.store.prose_pages(self)
        return page_at(found.page_breaks, found.last_line, line)

    def lighten(self) -> None:
        """Nothing to drop: the digest is on disk."""

    def __repr__(self) -> str:
        return f"DigestRef({self.path!r})"


class DigestStore:
    """A scan's report digests in anonymous temporary files (deleted when closed or when the
    process ends: its own, and the spool of each worker that placed digests in it), a small
    ``DigestRef`` each in memory, in the order of the scanned paths once ``put_in_order`` ran.
    The masked text is checked against the roster's names as it arrives
    (made again here only when the worker lacked the roster); its MinHash rows, made by the
    worker, lie apart (read without unpickling the digest) and its sentence keys,
    format-wording flags and lengths are appended to three flat arrays: what the copying rules
    read of every report stays in a few objects, however many reports."""

    def __init__(self, roster: Roster | None = None) -> None:
        self.roster = roster
        self.spools = [Spool("gkaudit-digests-")]  # its own, then the workers' (``adopt``)
        self.refs: list[DigestRef] = []
        # By ref.index: the spool (its key in ``spools``), the pickle's offset and size, the
        # prose pages' offset and size, the MinHash rows' offset, the scan order, the first
        # sentence in the flat arrays and the count (-1: no text).
        names = ["spool", "at", "size", "prose_at", "prose_size", "rows"]
        names += ["serial", "first", "count"]
        self._columns = {name: array("q") for name in names}
        self.text_units: list[str | None] = []  # the unit each text was masked for
        self.keys, self.wording, self.lengths = array("Q"), bytearray(), array("q")
        self._cache: OrderedDict[int, ReportDigest] = OrderedDict()

    def adopt(self, spool: Spool) -> int:
        """A worker's spool, which its ``PlacedDigest``s lie in (closed with this store): its
        key."""
        self.spools.append(spool)
        return len(self.spools) - 1

    def add(
        self,
        digest: ReportDigest | PackedDigest | PlacedDigest,
        serial: int | None = None,
        spool: int = 0,
    ) -> DigestRef:
        """A digest, one a worker packed (``pack_digest``), or one it placed in its spool (the
        key ``adopt`` gave): kept as it came, unless its text must be masked again for the
        roster's names (a worker started without it)."""
        from gkaudit.check.roster import bind, own_names

        if not isinstance(digest, PlacedDigest):
            digest = digest if isinstance(digest, PackedDigest) else pack_digest(digest)
        head = digest.head
        binding = bind(head, self.roster)
        if head.text_unit is not None or head.text_names:  # masked for the roster's names?
            names = own_names(head, binding, self.roster)
            if not (names <= head.text_names and head.text_unit == binding.unit):
                packed = digest if isinstance(digest, PackedDigest) else digest.packed(
                    self.spools[spool]
                )
                again = _masked_again(packed.digest(), names, binding.unit)
                digest = pack_digest(again, head.sentences is not None)
                head = digest.head
        if isinstance(digest, PackedDigest):
            digest, spool = digest.place(self.spools[0]), 0
        ref = DigestRef(self, len(self.refs), head, binding)
        columns = self._columns
        columns["serial"].append(len(self.refs) if serial is None else serial)
        columns["spool"].append(spool)
        columns["rows"].append(digest.at)
        columns["first"].append(len(self.keys))
        if head.sentences is None:
            columns["count"].append(-1)
        else:
            keys, wording, lengths = head.sentences
            columns["count"].append(len(wording))
            self.keys.frombytes(keys)
            self.wording += wording
            self.lengths.frombytes(lengths)
        # The binding's string when they are equal: one object, not two.
        self.text_units.append(binding.unit if head.text_unit == binding.unit else head.text_unit)
        columns["at"].append(digest.at + digest.rows)
        columns["size"].append(digest.blob)
        columns["prose_at"].append(digest.at + digest.rows + digest.blob)
        columns["prose_size"].append(digest.prose_pages)
        self.refs.append(ref)
        return ref

    def _spool(self, ref: DigestRef) -> Spool:
        return self.spools[self._columns["spool"][ref.index]]

    def put_in_order(self) -> None:
        serial = self._columns["serial"]
        self.refs.sort(key=lambda ref: serial[ref.index])

    def has_text(self, ref: DigestRef) -> bool:
        return self._columns["count"][ref.index] >= 0

    def sketch(self, ref: DigestRef) -> Sketch:
        """The text's sketch without its MinHash rows: views of the flat arrays."""
        import numpy as np

        from gkaudit.check.copying import Sketch

        first = self._columns["first"][ref.index]
        span = slice(first, first + max(0, self._columns["count"][ref.index]))
        return Sketch(  # copies: the flat arrays keep growing (a history's store, say)
            np.frombuffer(self.keys, dtype=np.uint64)[span].copy(),
            np.frombuffer(self.wording, dtype=bool)[span].copy(),
            np.frombuffer(self.lengths, dtype=np.int64)[span].copy(),
        )

    def load(self, ref: DigestRef) -> ReportDigest:
        found = self._cache.get(ref.index)
        if found is not None:
            self._cache.move_to_end(ref.index)
            return found
        at, size = self._columns["at"][ref.index], self._columns["size"][ref.index]
        blob = self._spool(ref).get(at, size)
        found = _with_prose(pickle.loads(blob), self.prose_pages(ref).prose)
        self._cache[ref.index] = found
        if len(self._cache) > DIGEST_CACHE:
            self._cache.popitem(last=False)
        return found

    def prose_pages(self, ref: DigestRef) -> ProsePages:
        found = self._cache.get(ref.index)
        if found is not None:
            return ProsePages(found.prose, found.page_breaks, found.last_line)
        at, size = self._columns["prose_at"][ref.index], self._columns["prose_size"][ref.index]
        loaded: ProsePages = pickle.loads(self._spool(ref).get(at, size))
        return loaded

    def minhashes(self, ref: DigestRef) -> np.ndarray:
        """The MinHash of each sentence of the masked text (see gkaudit.check.copying)."""
        import numpy as np

        from gkaudit.check.copying import NUM_PERM

        count = max(0, self._columns["count"][ref.index])
        data = self._spool(ref).get(self._columns["rows"][ref.index], count * NUM_PERM * 4)
        return np.frombuffer(data, dtype=np.uint32).reshape(count, NUM_PERM)

    def close(self) -> None:
        self._cache.clear()
        for spool in self.spools:
            spool.close()
