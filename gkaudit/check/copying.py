"""Copying measured honestly: what is left of a report's prose after masking and common wording,
and how much of it another report contains.

1. Prose only: table rows, headings and the title are left out.
2. Masked: years, dates and every number become ``#``; the unit's own names (roster name,
   aliases, the name as written, its normalised forms) become ``◎``; spaces and punctuation go.
3. Common wording does not count: sentences of the national format's fixed wording, and
   sentences that the reports of at least ``common-share`` of the units (and at least 3 units)
   contain — learned from the batch and the history.
4. Share: the part of a report's remaining character 5-grams that the other report contains,
   overall and per section; the longest runs of shared sentences are quoted with both lines.
5. Candidates across units come from MinHash LSH, never from all pairs: each sentence's MinHash
   is made where the report is parsed (a worker), a report's signature is the minimum over its
   own sentences (the MinHash of a union); the bands are grouped with numpy. Each report is
   measured against at most ``COPY_CANDIDATES`` other reports (the closest signatures), and an
   LSH bucket of more than ``BUCKET_LIMIT`` distinct texts pairs each only with its neighbours:
   a batch of thousands of near-copies stays bounded.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from gkaudit.check.roster import squeeze
from gkaudit.model.report import Report

if TYPE_CHECKING:  # numpy loads when copying is measured or sketched, not when text is masked
    import numpy as np

SHINGLE = 5
NUM_PERM = 64
LSH_THRESHOLD = 0.2  # Jaccard of candidates; the share is then measured exactly
# The bands for LSH_THRESHOLD with NUM_PERM permutations: datasketch's optimal (b, r) for equal
# false-positive and false-negative weights (tests/test_copying.py checks it).
LSH_BANDS, LSH_ROWS = 28, 2
COPY_CANDIDATES = 20  # other reports a report's own text is measured against, at most
BUCKET_LIMIT = 64  # distinct texts of one LSH bucket paired all with all; beyond, neighbours only
TEXT_CACHE = 512  # masked texts of spilled reports kept while the batch is compared
MIN_SENTENCE = 6  # masked characters
MIN_COMMON_UNITS = 3
SENTENCE_END = re.compile(r"(?<=[。！？；;!?])")
NUMBER = re.compile(r"\d+(?:\.\d+)?|[〇零一二三四五六七八九十百千万]+(?=[年月日件条个次项])")
NOT_WORD = re.compile(r"[\W_]+")
# The national format's own sentences (masked): legal basis, statistics window, where to read it.
FORMAT_WORDING = (
    re.compile(r"政府信息公开条例.{0,40}(?:编制|撰写|制定|发布)"),
    re.compile(r"统计期限"),
    re.compile(r"如对本(?:年度)?报告有(?:任何)?疑问"),
    re.compile(r"报告(?:电子版)?可(?:以)?在.{0,30}(?:查阅|下载)"),
    re.compile(r"本(?:年度)?报告(?:中)?所列数据"),
)


@dataclass(frozen=True, slots=True)
class Sentence:
    masked: str
    line: int
    part: int  # its place among the line's sentences (the text as written is found again there)
    section: str | None  # "一、总体情况" as written

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Unpickled by a call, not by the dataclass's slow per-field __setstate__: a scan
        # pickles every report's sentences.
        return Sentence, (self.masked, self.line, self.part, self.section)


@dataclass
class TextDigest:
    """A report's prose, masked, split in sentences: what copying is measured on."""

    path: str | None
    unit: str | None
    year: int | None
    sentences: list[Sentence]
    texts: dict[int, str]  # the lines sentences come from, as written (shared with the report)
    # After ``prepare``: 1 for each sentence of the report's own (neither common nor format
    # wording), and their length. Their 5-grams are made when compared, never kept: a batch
    # holds thousands of digests.
    own_flags: bytes = b""
    own_length: int = 0  # characters of those, masked
    sketch: Sketch | None = None  # per sentence: key, format wording, length, MinHash

    def written(self, sentence: Sentence) -> str:
        """The sentence as the report writes it (widths folded, spaces removed)."""
        return SENTENCE_END.split(squeeze(self.texts[sentence.line]))[sentence.part].strip()

    def own_text(self) -> Iterator[Sentence]:
        return (s for s, own in zip(self.sentences, self.own_flags, strict=False) if own)

    @property
    def shingles(self) -> dict[str | None, np.ndarray]:
        """By section: the sorted, unique CRC-32 hashes of the 5-grams of the own text."""
        by_section: dict[str | None, list[str]] = {}
        for sentence in self.own_text():
            by_section.setdefault(sentence.section, []).append(sentence.masked)
        return {section: shingles(texts) for section, texts in by_section.items()}

    @property
    def own(self) -> np.ndarray:
        """The 5-grams of all the own text (none spans two sentences: the union by section)."""
        return shingles([sentence.masked for sentence in self.own_text()])


def digest(report: Report, own_names: Iterable[str], unit: str | None) -> TextDigest:
    """The report's prose sentences, masked (see the module's description)."""
    skip = _skipped_lines(report)
    lines = ((line.number, line.text) for line in report.lines if line.number not in skip)
    return _masked(report.path, report.year, lines, _section_labels(report), own_names, unit)


def digest_lines(source: Any, own_names: Iterable[str], unit: str | None) -> TextDigest:
    """The same, from a ``ReportDigest``'s prose lines (headings left out)."""
    lines = ((n, text) for n, text in source.prose.items() if n not in source.headings)
    spans = [(start, end, label) for start, end, _, label in source.sections]
    return _masked(source.path, source.year, lines, _labeller(spans), own_names, unit, source.prose)


def _masked(
    path: str | None,
    year: int | None,
    lines: Iterable[tuple[int, str]],
    labels: Callable[[int], str | None],
    own_names: Iterable[str],
    unit: str | None,
    every_line: dict[int, str] | None = None,
) -> TextDigest:
    """``every_line``: the lines as written, to share instead of a dict of the sentences'."""
    names = sorted({squeeze(name) for name in own_names if name and len(name) >= 2}, key=len)[::-1]
    sentences = []
    texts: dict[int, str] = {}
    for number, text in lines:
        for index, part in enumerate(SENTENCE_END.split(squeeze(text))):
            masked = mask(part, names)
            if len(masked) >= MIN_SENTENCE:
                sentences.append(Sentence(masked, number, index, labels(number)))
                texts[number] = text
    return TextDigest(path, unit, year, sentences, texts if every_line is None else every_line)


def mask(text: str, own_names: list[str]) -> str:
    for name in own_names:
        text = text.replace(name, "◎")
    return NOT_WORD.sub("", NUMBER.sub("#", text))


def _skipped_lines(report: Report) -> set[int]:
    skip = {report.title_line} if report.title_line else set()
    for table in report.tables.present():
        skip.update(range(table.line, (table.end_line or table.line) + 1))
    for section in report.sections:
        skip.add(section.line)
        skip.update(sub.line for sub in section.subsections)
    return skip


def _section_labels(report: Report) -> Callable[[int], str | None]:
    return _labeller([(s.line, s.end_line, f"{s.number}、{s.heading}") for s in report.sections])


def _labeller(spans: list[tuple[int, int, str]]) -> Callable[[int], str | None]:
    def label(number: int) -> str | None:
        return next((name for start, end, name in spans if start <= number <= end), None)

    return label


def is_format_wording(masked: str) -> bool:
    return any(pattern.search(masked) for pattern in FORMAT_WORDING)


def sentence_key(masked: str) -> int:
    """A masked sentence's identity, the same in every process: 64 bits of BLAKE2b."""
    return int.from_bytes(hashlib.blake2b(masked.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass(eq=False, slots=True)
class Sketch:
    """What measuring copying needs of a report's sentences, made where it is parsed: each
    sentence's key, whether it is format wording, its length (masked), and — ``minhashes``,
    a sentences × NUM_PERM array — the MinHash of its 5-grams (format wording: none). A
    report's signature is the minimum over its own sentences' rows: the MinHash of the union
    of their 5-grams, exactly what hashing the union would give."""

    keys: np.ndarray  # uint64
    wording: np.ndarray  # bool
    lengths: np.ndarray  # int32
    minhashes: np.ndarray | None = None  # uint32; None when only the keys were made

    def own(self, common: np.ndarray) -> np.ndarray:
        """Which sentences are the report's own: neither common (``common``: sorted keys) nor
        format wording."""
        return ~(among_sorted(self.keys, common) | self.wording)


def among_sorted(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which ``values`` are among ``keys`` (sorted): ``np.isin`` without sorting the keys again,
    a binary search of each value."""
    import numpy as np

    if not len(keys):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    found: np.ndarray = keys[at] == values
    return found


def sketch_of(item: TextDigest, minhashes: bool = True) -> Sketch:
    """The item's sketch (made once; with the MinHashes when ``minhashes``)."""
    import numpy as np

    found = item.sketch
    if found is not None and (found.minhashes is not None or not minhashes):
        return found
    masked = [sentence.masked for sentence in item.sentences]
    wording = np.fromiter((is_format_wording(text) for text in masked), bool, len(masked))
    item.sketch = Sketch(
        keys=np.fromiter((sentence_key(text) for text in masked), np.uint64, len(masked)),
        wording=wording,
        lengths=np.fromiter((len(text) for text in masked), np.int32, len(masked)),
        minhashes=sentence_minhashes(masked, ~wording) if minhashes else None,
    )
    return item.sketch


def common_sentences(digests: Iterable[TextDigest], share: float) -> np.ndarray:
    """The keys (sorted) of the masked sentences found in the reports of at least ``share`` of
    the units (and 3 units); a unit's reports of several years count once."""
    by_unit: dict[str, list[np.ndarray]] = {}
    for item in digests:
        by_unit.setdefault(item.unit or item.path or "", []).append(sketch_of(item, False).keys)
    return frequent_keys(list(by_unit.values()), share)


def frequent_keys(by_unit: list[list[np.ndarray]], share: float) -> np.ndarray:
    """Of each unit's sentence keys (one array per report), those ``share`` of the units (and
    at least MIN_COMMON_UNITS) hold: sorted."""
    import numpy as np

    arrays = [array for keys in by_unit for array in keys]
    if not arrays:
        return np.empty(0, dtype=np.uint64)
    every = np.concatenate(arrays)
    unit = np.repeat(
        np.arange(len(by_unit)), [sum(len(array) for array in keys) for keys in by_unit]
    )
    # Each (key, unit) once: sorted by key then unit, a pair equal to the one before is a repeat.
    order = np.lexsort((unit, every))
    every, unit = every[order], unit[order]
    first = np.ones(len(every), dtype=bool)
    first[1:] = (every[1:] != every[:-1]) | (unit[1:] != unit[:-1])
    keys, holders = np.unique(every[first], return_counts=True)
    floor = max(MIN_COMMON_UNITS, share * len(by_unit))
    result: np.ndarray = keys[holders >= floor]
    return result


def prepare(item: TextDigest, common: np.ndarray) -> TextDigest:
    """Mark the report's own text (``common``: sorted keys of the common sentences): format
    wording and common sentences out."""
    sketch = sketch_of(item, False)
    own = sketch.own(common)
    item.own_flags = own.tobytes()
    item.own_length = int(sketch.lengths[own].sum())
    return item


_PRIME = 1_000_003
_MIX = 0xBF58476D1CE4E5B9


def _grams(sentences: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The 32-bit hashes of the character 5-grams of ``sentences`` (none spanning two; a
    sentence shorter than five characters is one gram), and the sentence each comes from."""
    import numpy as np

    joined = "\0".join(sentences)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    count = len(codes) - SHINGLE + 1
    short = [
        (index, zlib.crc32(text.encode("utf-8")))
        for index, text in enumerate(sentences)
        if len(text) < SHINGLE
    ]
    short_grams = np.array([gram for _, gram in short], dtype=np.uint32)
    short_owners = np.array([owner for owner, _ in short], dtype=np.int64)
    if count <= 0:
        return short_grams, short_owners
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):
        hashes = hashes * np.uint64(_PRIME) + codes[offset : offset + count]
    separators = np.concatenate(([0], np.cumsum(codes == 0)))
    inside = separators[SHINGLE : SHINGLE + count] == separators[:count]
    hashes = hashes[inside]
    hashes ^= hashes >> np.uint64(31)
    hashes *= np.uint64(_MIX)
    hashes ^= hashes >> np.uint64(32)
    grams = (hashes & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    owners = separators[:count][inside]
    return np.concatenate((grams, short_grams)), np.concatenate((owners, short_owners))


def shingles(sentences: list[str]) -> np.ndarray:
    """Sorted unique 32-bit hashes of the character 5-grams of ``sentences`` (none spanning two
    sentences; a sentence shorter than five characters is one gram). Stable across processes."""
    import numpy as np

    return np.unique(_grams(sentences)[0])


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """NUM_PERM affine permutations of 32-bit values (seed 1): datasketch's "affine32"."""
    import numpy as np

    generator = np.random.RandomState(1)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def minhash(grams: np.ndarray) -> np.ndarray:
    """The MinHash (NUM_PERM uint32) of a set of 32-bit grams; all 2**32-1 when empty."""
    import numpy as np

    if not len(grams):
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    return _permuted(grams).min(axis=0)


def _permuted(grams: np.ndarray) -> np.ndarray:
    import numpy as np

    a, b = _permutations()
    values = grams.astype(np.uint32)
    values = values ^ (values >> np.uint32(16))  # MurmurHash3's finaliser, as datasketch's
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    values = values ^ (values >> np.uint32(16))
    return values[:, None] * a + b  # type: ignore[no-any-return]


def sentence_minhashes(sentences: list[str], wanted: np.ndarray) -> np.ndarray:
    """Per sentence, the MinHash of its 5-grams (rows of all 2**32-1 where not ``wanted``)."""
    import numpy as np

    rows = np.full((len(sentences), NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    picked = [index for index in range(len(sentences)) if wanted[index]]
    if not picked:
        return rows
    grams, owners = _grams([sentences[index] for index in picked])
    if not len(grams):
        return rows
    order = np.argsort(owners, kind="stable")
    grams, owners = grams[order], owners[order]
    starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
    rows[np.asarray(picked)[owners[starts]]] = np.minimum.reduceat(_permuted(grams), starts, axis=0)
    return rows


def own_chars(item: TextDigest, common: set[str] | None = None) -> int:
    """Characters of the report's own text (after ``prepare``)."""
    return item.own_length


@dataclass
class Overlap:
    """How much of ``item``'s own text ``other`` contains, and where."""

    share: float
    by_section: dict[str | None, float]
    passages: list[dict]  # longest shared runs: text, line, other_line, chars

    def evidence(self) -> dict[str, Any]:
        """The share, per section, and the passages, as a finding's evidence."""
        return {"share": self.share, "by_section": self.by_section, "passages": self.passages}

    def first_line(self, otherwise: int | None) -> int | None:
        """The line of the longest shared passage (``otherwise`` when no sentence is shared)."""
        return self.passages[0]["line"] if self.passages else otherwise


def overlap(
    item: TextDigest,
    other: TextDigest,
    longest: int = 3,
    at_least: float = 0.0,
    grams: tuple[np.ndarray, np.ndarray] | None = None,
) -> Overlap | None:
    """How much of ``item``'s own text ``other`` contains; None below ``at_least``.
    ``grams``: both own 5-gram sets when the caller has them already."""
    mine, theirs = grams if grams is not None else (item.own, other.own)
    share = contained(mine, theirs)
    if share < at_least:
        return None
    by_section = {
        section: round(contained(grams, theirs), 3)
        for section, grams in item.shingles.items()
        if len(grams)
    }
    return Overlap(round(share, 3), by_section, shared_passages(item, other, longest))


def contained(mine: np.ndarray, theirs: np.ndarray) -> float:
    """The part of ``mine`` (sorted, unique) found in ``theirs`` (sorted, unique)."""
    import numpy as np

    if not len(mine):
        return 0.0
    return len(np.intersect1d(mine, theirs, assume_unique=True)) / len(mine)


def shared_passages(item: TextDigest, other: TextDigest, longest: int) -> list[dict]:
    """Runs of consecutive own sentences of ``item`` that ``other`` contains word for word
    (after masking), longest first, each with its first line here and in ``other``."""
    where: dict[str, int] = {}
    for sentence in other.sentences:
        where.setdefault(sentence.masked, sentence.line)
    runs: list[list[Sentence]] = []
    current: list[Sentence] = []
    for sentence, own in zip(item.sentences, item.own_flags, strict=False):  # b"": unprepared
        if own and sentence.masked in where:
            current.append(sentence)
        elif own:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    runs.sort(key=lambda run: -sum(len(s.masked) for s in run))
    return [
        {
            "text": _quote("".join(item.written(s) for s in run)),
            "line": run[0].line,
            "other_line": where[run[0].masked],
            "section": run[0].section,
            "chars": sum(len(s.masked) for s in run),
        }
        for run in runs[:longest]
    ]


def _quote(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def signature(item: TextDigest, grams: np.ndarray | None = None) -> np.ndarray:
    """The MinHash of the item's own text (after ``prepare``)."""
    return minhash(item.own if grams is None else grams)


def candidate_pairs(items: list[TextDigest]) -> set[tuple[int, int]]:
    """Index pairs (i < j) whose signatures collide in a band of the LSH (prepared items):
    the pairs worth measuring (without the per-report cap of the batch rules)."""
    import numpy as np

    present = [index for index, item in enumerate(items) if item.own_length]
    if not present:
        return set()
    signatures = np.stack([signature(items[index]) for index in present])
    clusters, cluster_of = np.unique(signatures, axis=0, return_inverse=True)
    cluster_of = cluster_of.reshape(-1)
    neighbours = set(zip(*bucket_pairs(clusters), strict=True))
    pairs = set()
    for x, i in enumerate(present):
        for y in range(x + 1, len(present)):
            a, b = cluster_of[x], cluster_of[y]
            if a == b or (min(a, b), max(a, b)) in neighbours:
                pairs.add((i, present[y]))
    return pairs


def bucket_pairs(signatures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of distinct signatures that agree on all rows of at least one band: each
    pair once. A bucket of more than BUCKET_LIMIT signatures pairs each only with the
    BUCKET_LIMIT next ones in signature order (near-identical texts sort together)."""
    import numpy as np

    count = len(signatures)
    found = np.empty(0, dtype=np.uint64)
    if count < 2:
        return found.astype(np.int64), found.astype(np.int64)
    for band in range(LSH_BANDS):
        columns = signatures[:, band * LSH_ROWS : (band + 1) * LSH_ROWS].astype(np.uint64)
        key = columns[:, 0]
        for row in range(1, LSH_ROWS):  # rows of 32 bits: LSH_ROWS == 2 keys them exactly
            key = (key << np.uint64(32)) | columns[:, row]
        order = np.argsort(key, kind="stable")  # within a bucket, in signature order
        ordered = key[order]
        codes = []
        for distance in range(1, BUCKET_LIMIT + 1):
            same = np.flatnonzero(ordered[distance:] == ordered[:-distance])
            if not len(same):
                break
            first, second = order[same], order[same + distance]
            low, high = np.minimum(first, second), np.maximum(first, second)
            codes.append(low.astype(np.uint64) * np.uint64(count) + high.astype(np.uint64))
        if codes:
            found = np.union1d(found, np.concatenate(codes))
    return (found // np.uint64(count)).astype(np.int64), (found % np.uint64(count)).astype(np.int64)


# --- the batch as the copying rules see it ---------------------------------------------------


@dataclass(eq=False, slots=True)
class _Source:
    """A report taking part in the comparison: who, its sketch, and its masked text (kept for
    reports in memory; for a scan's spilled reports, loaded again when a pair needs it)."""

    report: Any
    path: str | None
    unit: str | None
    year: int | None
    sketch: Sketch
    text: TextDigest | None  # None: load it from ``report`` (a spilled digest)
    own_length: int = 0


@dataclass(eq=False)
class CopyView:
    """The batch's reports and the history's reports they are compared with, the common
    sentences (keys), each report's own-text signature, and their texts on demand."""

    sources: list[_Source]
    common: np.ndarray  # sorted keys of the common sentences
    in_batch: int  # sources[:in_batch]: the batch's reports, in the batch's order
    candidates: list[int]  # the sources compared across units: the batch's and ``others``
    signatures: np.ndarray | None = None  # of ``candidates`` with own text, by position
    signed: list[int] = field(default_factory=list)  # those sources
    roster: Any = None
    _index: dict[int, int] = field(default_factory=dict)
    _texts: OrderedDict = field(default_factory=OrderedDict)
    _grams: OrderedDict = field(default_factory=OrderedDict)

    def index(self, report: Any) -> int:
        return self._index[id(report)]

    def of(self, report: Any) -> TextDigest:
        """The report's masked text, its own sentences marked."""
        return self.text(self.index(report))

    def text(self, index: int) -> TextDigest:
        source = self.sources[index]
        if source.text is not None:
            return source.text
        found = self._texts.get(index)
        if found is None:
            found = text_of(source.report, self.roster)
            if found.sketch is None:
                found.sketch = source.sketch
            prepare(found, self.common)
            self._texts[index] = found
            if len(self._texts) > TEXT_CACHE:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(index)
        return found

    def grams(self, index: int) -> np.ndarray:
        """The own 5-grams of a source (a bounded cache: pairs come back to the same reports)."""
        found = self._grams.get(index)
        if found is None:
            found = self._grams[index] = self.text(index).own
            if len(self._grams) > OWN_CACHE:
                self._grams.popitem(last=False)
        else:
            self._grams.move_to_end(index)
        return found

    def own_length(self, index: int) -> int:
        return self.sources[index].own_length

    def report(self, index: int) -> Any:
        return self.sources[index].report

    def shared_candidates(self, floor: int) -> list[tuple[int, int]]:
        """(mine, theirs): each batch report with at least ``floor`` own characters and the
        reports of other units of its year whose signatures collide with its own in the LSH —
        at most COPY_CANDIDATES of them, the closest signatures (then the first in the batch).
        Sorted."""
        import numpy as np

        if self.signatures is None or len(self.signed) < 2:
            return []
        clusters, cluster_of = np.unique(self.signatures, axis=0, return_inverse=True)
        cluster_of = cluster_of.reshape(-1)
        members: list[list[int]] = [[] for _ in range(len(clusters))]
        for position, cluster in enumerate(cluster_of.tolist()):
            members[cluster].append(self.signed[position])
        neighbours = _neighbours(clusters)
        shortlists: dict[int, dict[int | None, list[tuple[int, Any]]]] = {}
        pairs = []
        for position, mine in enumerate(self.signed):
            if mine >= self.in_batch or self.sources[mine].own_length < floor:
                continue
            cluster = int(cluster_of[position])
            ranked = [(NUM_PERM, cluster), *neighbours.get(cluster, ())]
            for _, other in ranked:
                if other not in shortlists:
                    shortlists[other] = self._shortlist(members[other])
            closest = self._closest(mine, ranked, shortlists)
            pairs += [(mine, theirs) for theirs in closest]
        return sorted(pairs)

    def _shortlist(self, members: list[int]) -> dict[int | None, list[tuple[int, Any]]]:
        """By year: the members of a cluster that can be among any report's first
        COPY_CANDIDATES comparable ones — the first COPY_CANDIDATES of each of the first
        COPY_CANDIDATES + 1 units to appear — as (source, unit key), in the batch's order.
        (A report's first comparable ones are of other units: all of those come before the
        first member of any further unit.) A cluster of thousands of copies is read once."""
        units: dict[int | None, dict[Any, int]] = {}
        shortlist: dict[int | None, list[tuple[int, Any]]] = {}
        for member in members:
            source = self.sources[member]
            key = _unit_key(source)
            seen = units.setdefault(source.year, {})
            if key not in seen:
                if len(seen) > COPY_CANDIDATES:
                    continue
                seen[key] = 0
            if seen[key] < COPY_CANDIDATES:
                seen[key] += 1
                shortlist.setdefault(source.year, []).append((member, key))
        return shortlist

    def _closest(
        self,
        mine: int,
        ranked: list[tuple[int, int]],
        shortlists: dict[int, dict[int | None, list[tuple[int, Any]]]],
    ) -> list[int]:
        """The first COPY_CANDIDATES comparable sources of the clusters ``ranked`` (by rows in
        common, descending; then by position)."""
        me = self.sources[mine]
        key = _unit_key(me)
        chosen: list[tuple[int, int]] = []
        for agreement, cluster in ranked:
            if len(chosen) >= COPY_CANDIDATES and agreement < -chosen[COPY_CANDIDATES - 1][0]:
                break  # every further cluster is farther than the ones chosen
            taken = 0
            for other, unit in shortlists[cluster].get(me.year, ()):
                if unit != key and other != mine and _comparable(me, self.sources[other]):
                    chosen.append((-agreement, other))
                    taken += 1
                    if taken >= COPY_CANDIDATES:
                        break
            chosen.sort()
        return [other for _, other in chosen[:COPY_CANDIDATES]]


def _unit_key(source: _Source) -> Any:
    """Whose report it is, for ``_comparable``: its unit, else its file."""
    return source.unit if source.unit else ("file", source.path)


def _comparable(a: _Source, b: _Source) -> bool:
    """Two reports of one year, not of the same unit."""
    if a.year != b.year:
        return False
    if a.unit and b.unit:
        return a.unit != b.unit
    return a.path != b.path


def _neighbours(clusters: np.ndarray) -> dict[int, list[tuple[int, int]]]:
    """Cluster → [(rows in common, other cluster)], most rows in common first, for the pairs
    of distinct signatures the LSH buckets propose."""
    first, second = bucket_pairs(clusters)
    found: dict[int, list[tuple[int, int]]] = {}
    for start in range(0, len(first), 1 << 18):  # rows compared in chunks: bounded memory
        a, b = first[start : start + (1 << 18)], second[start : start + (1 << 18)]
        agreement = (clusters[a] == clusters[b]).sum(axis=1)
        for x, y, rows in zip(a.tolist(), b.tolist(), agreement.tolist(), strict=True):
            found.setdefault(x, []).append((rows, y))
            found.setdefault(y, []).append((rows, x))
    for ranked in found.values():
        ranked.sort(key=lambda item: (-item[0], item[1]))
    return found


OWN_CACHE = 8192  # own 5-gram sets kept while a batch is compared (a few KB each)


def copy_view(reports: Any, context: Any) -> CopyView:
    """Computed once a batch and shared by GK603 and GK604 (``reports``: ReportDigests, or a
    scan's spilled ones)."""
    key = ("copy_view", id(reports))
    if key not in context.shared:
        context.shared[key] = make_copy_view(reports, context)
    return context.shared[key]


def make_copy_view(reports: Any, context: Any) -> CopyView:
    import numpy as np

    from gkaudit.check.roster import batch_view

    view = batch_view(reports, context)
    roster, history = context.roster, context.history
    sources: list[_Source] = []
    index: dict[int, int] = {}

    def add(report: Any, unit: str | None = None) -> int:
        if id(report) not in index:
            index[id(report)] = len(sources)
            sources.append(_source(report, roster, unit))
        return index[id(report)]

    for report in reports:
        add(report)
    in_batch = len(sources)
    for _, previous in view.pairs(reports, history):
        add(previous)
    candidates = list(range(in_batch))
    if history is not None:
        present = {b.unit for b in view.bindings.values() if b.unit}
        for year in sorted({report.year for report in reports if report.year}):
            for unit, report in history.reports_of_year(year, besides=present):
                candidates.append(add(report, unit))
    by_unit: dict[str, list[np.ndarray]] = {}
    for source in sources:
        by_unit.setdefault(source.unit or source.path or "", []).append(source.sketch.keys)
    share = context.config.thresholds.get("common-share", 0.3)
    common = frequent_keys(list(by_unit.values()), share)
    copies = CopyView(sources, common, in_batch, candidates, roster=roster, _index=index)
    signatures = np.empty((len(candidates), NUM_PERM), dtype=np.uint32)
    signed: list[int] = []
    wanted = set(candidates)
    for number, source in enumerate(sources):
        own = source.sketch.own(common)
        source.own_length = int(source.sketch.lengths[own].sum())
        if source.text is not None:
            prepare(source.text, common)
        if number in wanted and own.any():
            signatures[len(signed)] = _sentence_rows(source)[own].min(axis=0)
            signed.append(number)
    if signed:
        copies.signatures, copies.signed = signatures[: len(signed)], signed
    return copies


def _source(report: Any, roster: Any, unit: str | None) -> _Source:
    from gkaudit.check.digest import DigestRef

    if isinstance(report, DigestRef) and report.store.has_text(report):
        spilled_unit = report.store.text_units[report.index]  # masked for the roster's names
        if unit in (None, spilled_unit):
            sketch = report.store.sketch(report)
            return _Source(report, report.path, spilled_unit, report.year, sketch, None)
    text = text_of(report, roster, unit)
    return _Source(report, text.path, text.unit, text.year, sketch_of(text), text)


def _sentence_rows(source: _Source) -> np.ndarray:
    rows = source.sketch.minhashes
    if rows is None:  # a spilled report's: read from the spill file
        rows = source.report.store.minhashes(source.report)
    return rows  # type: ignore[no-any-return]


def text_of(report: Any, roster: Any, unit: str | None = None) -> TextDigest:
    """A ReportDigest's masked sentences: as the worker made them when it masked every name
    the roster gives the unit, else made again from the digest's prose lines."""
    from gkaudit.check.roster import bind, own_names

    binding = bind(report, roster)
    names = own_names(report, binding, roster)
    unit = unit or binding.unit
    if report.text is not None and names <= report.text_names and report.text.unit == unit:
        return report.text  # type: ignore[no-any-return]
    return digest_lines(report, names, unit)


def describe_overlap(found: Overlap) -> dict[str, dict[str, str]]:
    """Per-section shares and the longest passages, in both languages, for a message."""
    sections = sorted(found.by_section.items(), key=lambda item: -item[1])[:4]
    zh_sections = "、".join(f"{name or '（章节外）'} {share:.0%}" for name, share in sections)
    en_sections = ", ".join(
        f"{name or '(outside sections)'} {share:.0%}" for name, share in sections
    )
    zh_passages = "；".join(
        f"第{p['line']}行“{p['text']}”（对方第{p['other_line']}行）" for p in found.passages[:2]
    )
    en_passages = "; ".join(
        f"line {p['line']} '{p['text']}' (their line {p['other_line']})" for p in found.passages[:2]
    )
    return {
        "sections": {"zh": zh_sections, "en": en_sections},
        "passages": {
            "zh": zh_passages or "无整句相同",
            "en": en_passages or "no identical sentence",
        },
    }
