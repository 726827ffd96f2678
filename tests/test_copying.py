"""Copying measured at scale: the workers' sketches give the signatures hashing the own text
would, the LSH bands are datasketch's, and each report is measured against at most
COPY_CANDIDATES others; the spilled digests load back as they were."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkaudit.audit.config import Config
from gkaudit.audit.engine import Engine
from gkaudit.audit.scan import audit_paths
from gkaudit.base.spool import Spool
from gkaudit.check import copying
from gkaudit.check.copying import (
    COPY_CANDIDATES,
    LSH_BANDS,
    LSH_ROWS,
    LSH_THRESHOLD,
    NUM_PERM,
    digest,
    minhash,
    prepare,
    sketch_of,
)
from gkaudit.check.digest import (
    DIGEST_CACHE,
    DigestRef,
    DigestStore,
    pack_digest,
    report_digest,
)
from gkaudit.check.roster import infer_binding, own_names
from gkaudit.parse.parser import parse_text

SAMPLES = Path(__file__).resolve().parent.parent / "reports_sample"


def _parsed(path: Path):
    return parse_text(path.read_text("utf-8"), str(path))


def _text(path: Path):
    report = _parsed(path)
    binding = infer_binding(report)
    return digest(report, own_names(report, binding, None), binding.unit)


def test_bands_are_datasketchs_optimum_for_the_threshold():
    lsh = pytest.importorskip("datasketch.lsh")
    assert lsh._optimal_param(LSH_THRESHOLD, NUM_PERM, 0.5, 0.5) == (LSH_BANDS, LSH_ROWS)


def test_minhash_is_datasketchs_affine32_minhash():
    datasketch = pytest.importorskip("datasketch")
    if not hasattr(datasketch.MinHash(num_perm=2), "scheme"):
        pytest.skip("datasketch before 2.0: no affine32 scheme")
    grams = copying.shingles(["政府信息公开工作年度报告", "主动公开政府信息情况"])
    theirs = datasketch.MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int)
    theirs.update_batch(grams.tolist())
    assert np.array_equal(minhash(grams), theirs.hashvalues)


def test_a_signature_is_the_minimum_over_the_own_sentences_rows():
    item = _text(SAMPLES / "dayu-town-2024.txt")
    sketch = sketch_of(item)
    some = np.array([key for key in sketch.keys[::3]], dtype=np.uint64)  # a third "common"
    prepare(item, np.sort(some))
    own = np.frombuffer(item.own_flags, dtype=bool)
    assert own.any() and not own.all()
    assert np.array_equal(sketch.minhashes[own].min(axis=0), minhash(item.own))
    assert item.own_length == sum(len(s.masked) for s, o in zip(item.sentences, own, strict=True) if o)


def _copies(folder: Path, count: int, unit=lambda index: f"第{index:03d}号乡人民政府") -> list[Path]:
    """``count`` reports of different units with the same text (a ring of copies)."""
    text = (SAMPLES / "dayu-town-2024.txt").read_text("utf-8")
    name = re.search(r"^\s*(\S+?)\s*20\d\d\s*年", text.lstrip(), re.M).group(1)
    paths = []
    for index in range(count):
        path = folder / f"copy-{index:03d}.txt"
        path.write_text(text.replace(name, unit(index)), "utf-8")
        paths.append(path)
    return paths


def _shared(folder: Path, paths: list[Path]) -> dict[str, list[str]]:
    engine = Engine.load(Config(select=["GK604"]))
    # Every copy holds the same sentences: with no other reports they would be the batch's
    # common wording; here none is (a ring of copies among many honest reports).
    engine.config.thresholds["common-share"] = 1.01
    batch = audit_paths(engine, paths, 1, excerpts=False)
    try:
        return {
            Path(result.path).name: [Path(f.evidence["other"]).name for f in result.findings]
            for result in batch
        }
    finally:
        batch.close()


def test_each_copy_is_reported_against_every_other_up_to_the_cap(tmp_path):
    paths = _copies(tmp_path, 6)
    found = _shared(tmp_path, paths)
    for path in paths:
        others = [p.name for p in paths if p != path]
        assert found[path.name] == others  # all of them, in the batch's order


def test_a_ring_of_copies_is_measured_against_the_first_cap_others(tmp_path):
    """The documented cap: a report with more near-copies than COPY_CANDIDATES is reported
    against the closest COPY_CANDIDATES (identical here: the first in the batch)."""
    paths = _copies(tmp_path, COPY_CANDIDATES + 5)
    found = _shared(tmp_path, paths)
    for path in paths:
        others = [p.name for p in paths if p != path][:COPY_CANDIDATES]
        assert found[path.name] == others


def test_a_units_many_submissions_do_not_hide_another_units_copy(tmp_path):
    """Thousands of files of one unit (the same report resubmitted) fill no report's
    candidates: they are never compared with each other, and the other unit's copy is found."""
    count = COPY_CANDIDATES + 6
    paths = _copies(tmp_path, count, lambda i: "乙乡人民政府" if i == count - 1 else "甲乡人民政府")
    found = _shared(tmp_path, paths)
    for path in paths[:-1]:
        assert found[path.name] == [paths[-1].name]
    assert found[paths[-1].name] == [p.name for p in paths[:COPY_CANDIDATES]]


def test_spilled_digests_load_back_equal_and_few_stay_in_memory():
    reports = [_parsed(path) for path in sorted(SAMPLES.glob("*.txt"))]
    store = DigestStore()
    try:
        for index, report in enumerate(reports * (DIGEST_CACHE // len(reports) + 2)):
            store.add(report_digest(report, sketched=True), serial=index)
        store.put_in_order()
        ref = store.refs[0]
        original = report_digest(reports[0])
        assert isinstance(ref, DigestRef) and ref.path == original.path
        assert ref.prose == original.prose and ref.cells == original.cells
        assert ref.section_label(3) == original.section_label(3)
        assert ref.text.sentences == original.text.sentences
        rows = store.minhashes(ref)
        assert rows.shape == (len(original.text.sentences), NUM_PERM)
        assert np.array_equal(rows, sketch_of(original.text).minhashes)
        loaded = ref.digest()
        assert loaded.text.texts is loaded.prose  # given back to the text, which shares it
        written = [loaded.text.written(sentence) for sentence in loaded.text.sentences]
        assert written == [original.text.written(s) for s in original.text.sentences]
        for other in store.refs:
            assert other.prose is not None  # read apart: the rest of the digest stays on disk
        assert len(store._cache) == 1
        for other in store.refs:
            assert other.cells is not None
        assert len(store._cache) == DIGEST_CACHE
    finally:
        store.close()


_KEYS = st.lists(st.integers(0, 40), max_size=12).map(lambda k: np.array(k, dtype=np.uint64))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_KEYS, min_size=1, max_size=3), max_size=12), st.floats(0, 1))
def test_frequent_keys_are_the_keys_that_enough_units_hold(by_unit, share):
    holders = Counter(int(key) for keys in by_unit for key in set(np.concatenate(keys).tolist()))
    floor = max(copying.MIN_COMMON_UNITS, share * len(by_unit))
    expected = sorted(key for key, count in holders.items() if count >= floor)
    found = copying.frequent_keys(by_unit, share)
    assert found.dtype == np.uint64 and found.tolist() == expected


@given(_KEYS, _KEYS)
def test_among_sorted_is_isin(values, keys):
    keys = np.unique(keys)
    assert copying.among_sorted(values, keys).tolist() == np.isin(values, keys).tolist()


def test_a_spilled_digest_locates_pages_without_loading_whole():
    digest = report_digest(_parsed(sorted(SAMPLES.glob("*.txt"))[0]), sketched=True)
    digest.page_breaks = ((1, 1), (20, 2), (41, 3))
    expected = [None] + [1] * 19 + [2] * 21 + [3] * (digest.last_line - 40) + [None, None]
    assert [digest.page_of(n) for n in range(digest.last_line + 3)] == expected
    store = DigestStore()
    try:
        ref = store.add(digest)
        assert [ref.page_of(n) for n in range(digest.last_line + 3)] == expected
        assert not store._cache  # neither the pages nor the prose loaded the digest
        assert ref.prose == digest.prose and not store._cache
    finally:
        store.close()


def test_a_digest_placed_in_a_workers_spool_reads_back_as_one_sent_whole():
    """A scan's forked worker writes each digest to a file of its own and sends its head and
    places: the parent's store reads it there, as it reads one whose bytes it was sent."""
    digests = [
        report_digest(_parsed(path), sketched=True) for path in sorted(SAMPLES.glob("*.txt"))
    ]
    store, worker_spool = DigestStore(), Spool()
    try:
        key = store.adopt(worker_spool)
        worker_spool.put(b"an earlier result")  # places need not start at 0
        for index, digest in enumerate(digests):
            sent = pack_digest(digest)
            store.add(sent.place(worker_spool) if index % 2 else sent, serial=index, spool=key)
        store.put_in_order()
        for placed, whole in zip(store.refs[1::2], store.refs[0::2], strict=False):
            assert placed.index % 2 and store._columns["spool"][placed.index] == key
            original = digests[placed.index]
            assert placed.prose == original.prose and placed.cells == original.cells
            assert placed.text.sentences == original.text.sentences
            assert np.array_equal(store.minhashes(placed), sketch_of(original.text).minhashes)
            assert store._columns["spool"][whole.index] == 0  # sent whole: in the store's own
    finally:
        store.close()
    assert worker_spool.file.closed  # adopted: closed with the store
