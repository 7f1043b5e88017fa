"""The benchmark's own parts are right: GAP files read back to their known optimum, the contenders'
plans pass the checker, and the checker catches a broken plan."""

from __future__ import annotations

import pytest
from guiyan_bench import gap
from guiyan_bench.catalogue import SHARED_GAP
from guiyan_bench.check import violations
from guiyan_bench.generate import generate
from guiyan_bench.solvers import run_greedy, run_guiyan, run_highs

needs_gap_sets = pytest.mark.skipif(not SHARED_GAP.exists(), reason="shared/benchmarks/gap is absent")


@needs_gap_sets
def test_a_gap_instance_solves_to_its_known_optimum() -> None:
    found = gap.read(SHARED_GAP / "cattrysse1994" / "gap1-0")
    for run in (run_guiyan, run_highs):
        outcome = run(found.instance, 10)
        assert outcome.status == "optimal"
        assert found.offset - outcome.objective == 261  # data.csv: optimum 261
        assert violations(found.instance, outcome.assignments) == []


@needs_gap_sets
def test_the_checker_catches_an_overfull_park() -> None:
    found = gap.read(SHARED_GAP / "cattrysse1994" / "gap1-0")
    everyone_at_one_agent = {p: "a0" for p in found.instance.projects}
    assert any("over capacity" in v for v in violations(found.instance, everyone_at_one_agent))


def test_the_search_phases_keep_a_city_plan_feasible_and_never_worse_than_greedy() -> None:
    # ~25,000 pairs: past the whole-model phase, so the LP start, RINS and both LNS lanes all run.
    instance = generate("sparse", 1000, 100, seed=1).instance
    start = run_greedy(instance, 1)
    outcome = run_guiyan(instance, 4)
    assert violations(instance, outcome.assignments) == []
    assert outcome.objective is not None and start.objective is not None
    assert outcome.objective > start.objective
