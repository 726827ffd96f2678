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
5. Candidates across units come from MinHash LSH (datasketch), never from all pairs.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from gkaudit.model.report import Report

if TYPE_CHECKING:  # numpy and datasketch load when copying is measured, not when text is masked
    import numpy as np
    from datasketch import MinHash

SHINGLE = 5
NUM_PERM = 64
LSH_THRESHOLD = 0.2  # Jaccard of candidates; the share is then measured exactly
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

    def written(self, sentence: Sentence) -> str:
        """The sentence as the report writes it (widths folded, spaces removed)."""
        return SENTENCE_END.split(_fold(self.texts[sentence.line]))[sentence.part].strip()

    def own_text(self) -> Iterator[Sentence]:
        return (s for s, own in zip(self.sentences, self.own_flags, strict=False) if own)

    @property
    def own_sentences(self) -> set[str]:
        """The own sentences, masked."""
        return {sentence.masked for sentence in self.own_text()}

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
    names = sorted({_fold(name) for name in own_names if name and len(name) >= 2}, key=len)[::-1]
    sentences = []
    texts: dict[int, str] = {}
    for number, text in lines:
        for index, part in enumerate(SENTENCE_END.split(_fold(text))):
            masked = mask(part, names)
            if len(masked) >= MIN_SENTENCE:
                sentences.append(Sentence(masked, number, index, labels(number)))
                texts[number] = text
    return TextDigest(path, unit, year, sentences, texts if every_line is None else every_line)


def mask(text: str, own_names: list[str]) -> str:
    for name in own_names:
        text = text.replace(name, "◎")
    return NOT_WORD.sub("", NUMBER.sub("#", text))


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


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


def common_sentences(digests: Iterable[TextDigest], share: float) -> set[str]:
    """Masked sentences found in the reports of at least ``share`` of the units (and 3 units);
    a unit's reports of several years count once. Counted by hash (thousands of reports hold
    hundreds of thousands of distinct sentences); the sentences are then picked by it."""
    import numpy as np

    by_unit: dict[str, list[TextDigest]] = {}
    for item in digests:
        by_unit.setdefault(item.unit or item.path or "", []).append(item)
    held = [
        np.fromiter({hash(s.masked) for item in items for s in item.sentences}, dtype=np.int64)
        for items in by_unit.values()
    ]
    if not held:
        return set()
    hashes, holders = np.unique(np.concatenate(held), return_counts=True)
    floor = max(MIN_COMMON_UNITS, share * len(by_unit))
    frequent = set(hashes[holders >= floor].tolist())
    return {
        s.masked
        for items in by_unit.values()
        for item in items
        for s in item.sentences
        if hash(s.masked) in frequent
    }


def _empty() -> np.ndarray:
    import numpy as np

    return np.empty(0, dtype=np.uint32)


def prepare(item: TextDigest, common: set[str]) -> TextDigest:
    """Mark the report's own text: format wording and common sentences out."""
    flags = bytearray(len(item.sentences))
    item.own_length = 0
    for index, sentence in enumerate(item.sentences):
        if sentence.masked in common or is_format_wording(sentence.masked):
            continue
        flags[index] = 1
        item.own_length += len(sentence.masked)
    item.own_flags = bytes(flags)
    return item


_PRIME = 1_000_003
_MIX = 0xBF58476D1CE4E5B9


def shingles(sentences: list[str]) -> np.ndarray:
    """Sorted unique 32-bit hashes of the character 5-grams of ``sentences`` (none spanning two
    sentences; a sentence shorter than five characters is one gram). Stable across processes."""
    import numpy as np

    joined = "\0".join(sentences)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    count = len(codes) - SHINGLE + 1
    short = [zlib.crc32(text.encode("utf-8")) for text in sentences if len(text) < SHINGLE]
    if count <= 0:
        return np.unique(np.array(short, dtype=np.uint32))
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):
        hashes = hashes * np.uint64(_PRIME) + codes[offset : offset + count]
    separators = np.concatenate(([0], np.cumsum(codes == 0)))
    hashes = hashes[separators[SHINGLE : SHINGLE + count] == separators[:count]]
    hashes ^= hashes >> np.uint64(31)
    hashes *= np.uint64(_MIX)
    hashes ^= hashes >> np.uint64(32)
    grams = (hashes & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    return np.unique(np.concatenate((grams, np.array(short, dtype=np.uint32))))


def own_chars(item: TextDigest, common: set[str] | None = None) -> int:
    """Characters of the report's own text (after ``prepare``)."""
    return item.own_length


@dataclass
class Overlap:
    """How much of ``item``'s own text ``other`` contains, and where."""

    share: float
    by_section: dict[str | None, float]
    passages: list[dict]  # longest shared runs: text, line, other_line, chars


def overlap(
    item: TextDigest,
    other: TextDigest,
    common: set[str],
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
    return Overlap(round(share, 3), by_section, shared_passages(item, other, common, longest))


def contained(mine: np.ndarray, theirs: np.ndarray) -> float:
    """The part of ``mine`` (sorted, unique) found in ``theirs`` (sorted, unique)."""
    import numpy as np

    if not len(mine):
        return 0.0
    return len(np.intersect1d(mine, theirs, assume_unique=True)) / len(mine)


def shared_passages(
    item: TextDigest, other: TextDigest, common: set[str], longest: int
) -> list[dict]:
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


@cache
def _template() -> MinHash:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int)


def signature(item: TextDigest, grams: np.ndarray | None = None) -> MinHash:
    minhash = _template().copy()  # permutations made once, not for every report
    minhash.update_batch((item.own if grams is None else grams).tolist())  # 32-bit hashes
    return minhash


OWN_CACHE = 8192  # own 5-gram sets kept while a batch is compared (a few KB each)


def own_grams(items: list[TextDigest]) -> Callable[[int], np.ndarray]:
    """``items[i].own``, each made once while it stays in a bounded cache (candidate pairs
    come back to the same reports; the digests themselves keep no 5-grams)."""
    return lru_cache(maxsize=OWN_CACHE)(lambda index: items[index].own)


def candidate_pairs(
    items: list[TextDigest],
    threshold: float = LSH_THRESHOLD,
    own: Callable[[int], np.ndarray] | None = None,
) -> set[tuple[int, int]]:
    """Index pairs (i < j) whose MinHash signatures collide in LSH: the only pairs compared."""
    from datasketch import MinHashLSH

    own = own or own_grams(items)
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    signatures = {}
    for index, item in enumerate(items):
        grams = own(index)
        if len(grams):
            signatures[index] = signature(item, grams)
            lsh.insert(index, signatures[index])
    pairs = set()
    for index, minhash in signatures.items():
        for other in lsh.query(minhash):
            if other != index:
                pairs.add((min(index, other), max(index, other)))
    return pairs


def sentence_counts(items: Iterable[TextDigest]) -> Counter:
    """How many units' reports hold each masked sentence (for diagnostics and benchmarks)."""
    counts: Counter = Counter()
    for item in items:
        counts.update({sentence.masked for sentence in item.sentences})
    return counts


# --- the batch as the copying rules see it ---------------------------------------------------


@dataclass
class CopyView:
    """Digests of the batch's reports and of the history's reports they are compared with."""

    digests: dict[int, TextDigest]  # by id(report digest), batch and history alike
    common: set[str]
    others: list[TextDigest]  # the history's reports of the batch's years, of units not in it

    def of(self, report: Any) -> TextDigest:
        return self.digests[id(report)]


def copy_view(reports: list[Any], context: Any) -> CopyView:
    """Computed once a batch and shared by GK603 and GK604 (``reports``: ReportDigests)."""
    from gkaudit.check.roster import batch_view

    key = ("copy_view", id(reports))
    if key in context.shared:
        return context.shared[key]
    view = batch_view(reports, context)
    roster, history = context.roster, context.history
    digests: dict[int, TextDigest] = {}
    for report in reports:
        digests[id(report)] = text_of(report, roster)
    for _, previous in view.pairs(reports, history):
        if id(previous) not in digests:
            digests[id(previous)] = text_of(previous, roster)
    others = []
    if history is not None:
        present = {b.unit for b in view.bindings.values() if b.unit}
        for year in sorted({report.year for report in reports if report.year}):
            for unit, report in history.reports_of_year(year, besides=present):
                others.append(text_of(report, roster, unit))
    share = context.config.thresholds.get("common-share", 0.3)
    common = common_sentences([*digests.values(), *others], share)
    for item in [*digests.values(), *others]:
        prepare(item, common)
    context.shared[key] = CopyView(digests, common, others)
    return context.shared[key]


def text_of(report: Any, roster: Any, unit: str | None = None) -> TextDigest:
    """A ReportDigest's masked sentences: as the worker made them when it masked every name
    the roster gives the unit, else made again from the digest's prose lines."""
    from gkaudit.check.roster import bind, own_names

    binding = bind(report, roster)
    names = own_names(report, binding, roster)
    unit = unit or binding.unit
    if report.text is not None and names <= report.text_names and report.text.unit == unit:
        return report.text
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
