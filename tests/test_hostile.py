"""The CI-sized run of benchmarks/hostile.py: a few hundred hostile inputs, every kind of them,
through ``gkaudit scan`` in batches and singly. Nothing may crash, hang, print a traceback or
go missing from the output; the full 10,000-input run is ``python benchmarks/hostile.py``."""

import importlib.util
import sys

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def hostile():
    spec = importlib.util.spec_from_file_location("hostile", ROOT / "benchmarks" / "hostile.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile"] = module
    spec.loader.exec_module(module)
    return module


def test_hostile_inputs_never_cost_the_batch(hostile, tmp_path):
    tallies = hostile.run(
        count=300,
        batch=300,
        single=1,
        jobs=2,
        work=tmp_path,
        formats=("html", "xlsx"),  # the others: test_isolation.py
        single_fs=3,  # a dangling link and a loop given as arguments once crashed or recursed
        bomb_mb=100,
        baseline=False,  # speed is the full run's business
    )
    kinds = tallies.pop("_kinds")
    assert {kind.split(":")[0] for kind in kinds} == {"text", "docx", "html", "pdf"}
    report = hostile.table(tallies)
    problems = [problem for tally in tallies.values() for problem in tally.problems]
    assert not problems, report + "\n" + "\n".join(problems[:10])
    batches = tallies["batches"]
    assert batches.inputs >= 300 and batches.runs >= 5
    assert batches.worker_mb < 2048  # the worker's address-space limit holds
