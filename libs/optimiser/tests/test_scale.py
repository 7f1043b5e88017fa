"""The phases that scale to millions of pairs: the flat view, the Lagrangian bound at any prices,
PDLP's LP against GLOP's, LP rounding, and a plan found where greedy seats no required set."""

from __future__ import annotations

import random

import numpy as np
import pytest
from guiyan_optimiser import Candidate, Instance, ParkCapacity, solve
from guiyan_optimiser.greedy import greedy
from guiyan_optimiser.instance import fixed_worth, usable
from guiyan_optimiser.lp import relax
from guiyan_optimiser.pairs import pairs
from guiyan_optimiser.prices import TOLERANCE, lagrangian_bound, relax_at_scale
from guiyan_optimiser.rounding import complete, fill
from guiyan_optimiser.solve import EXACT_MAX_CANDIDATES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_solve import brute_force, instances, violations

PRICES = st.lists(st.floats(0, 50_000, allow_nan=False), min_size=12, max_size=12)


def city(projects: int, parks: int, seed: int) -> Instance:
    """Random city-like pairs: two or three capped resources a park, scores of a chain role."""
    rng = random.Random(seed)
    park_list = [ParkCapacity(f"k{k}", {"floor_m2": rng.choice([500, 1000, 3000]),
                                        "subsidy_yuan": rng.choice([1e5, 3e5]),
                                        **({"slots": 3} if k % 3 == 0 else {})})
                 for k in range(parks)]
    candidates = [Candidate(f"p{p}", f"k{k}", rng.choice([10_000, 20_000, 30_000, 40_000])
                            + rng.randrange(3000),
                            {"floor_m2": rng.choice([100, 300, 800]),
                             "subsidy_yuan": rng.randrange(10_000, 80_000), "slots": 1})
                  for p in range(projects) for k in rng.sample(range(parks), parks // 2)]
    return Instance(park_list, [f"p{p}" for p in range(projects)], candidates,
                    required=frozenset(f"p{p}" for p in range(0, projects, 10)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), PRICES)
def test_the_lagrangian_bound_holds_at_any_prices(instance: Instance, prices: list[float]) -> None:
    best = brute_force(Instance(instance.parks, instance.projects, usable(instance),
                                instance.required, instance.pinned, bonuses=instance.bonuses))
    flat = pairs(instance)
    at = np.array(prices[:flat.room.size]).reshape(flat.room.shape) * np.isfinite(flat.room)
    if best is not None:
        assert lagrangian_bound(flat, at) + fixed_worth(instance) >= best[0] - 1e-6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.randoms(use_true_random=False))
def test_a_rounded_plan_always_fits(instance: Instance, rng: random.Random) -> None:
    flat = pairs(instance)
    pins_fit = np.all(flat.room >= 0)
    chosen = fill(flat, np.array([rng.random() for _ in flat.worth]))
    if pins_fit:
        assert violations(instance, flat.plan(chosen), complete=False) == []
    assert len(set(flat.project[chosen])) == len(chosen)  # one pair a project


def test_pdlp_gives_the_lp_bound_and_never_less() -> None:
    instance = city(300, 30, seed=1)
    glop = relax(instance)
    flat = pairs(instance)
    pdlp = relax_at_scale(instance, flat, seconds=20, threads=1)
    assert pdlp.bound >= glop.bound - 1e-6 * abs(glop.bound)
    assert pdlp.bound == pytest.approx(glop.bound, rel=2 * TOLERANCE)


def test_lp_rounding_seats_the_required_projects_and_beats_greedy() -> None:
    instance = city(300, 30, seed=2)
    flat = pairs(instance)
    pdlp = relax_at_scale(instance, flat, seconds=20, threads=1)
    rounded = fill(flat, pdlp.x[flat.source])
    assert complete(flat, rounded)
    assert violations(instance, flat.plan(rounded)) == []
    assert flat.worth[rounded].sum() >= flat.worth[flat.chosen(greedy(instance))].sum()


def trap(padding: int) -> Instance:
    """Greedy seats `first` where only `second` fits, and then `second` nowhere; the plan is
    `first` at b and `second` at a. Optional projects elsewhere make it too large for CP-SAT
    on the whole model at once."""
    parks = [ParkCapacity("a", {"slots": 1}), ParkCapacity("b", {"slots": 1}),
             *(ParkCapacity(f"x{k}", {"slots": 100}) for k in range(40))]
    candidates = [Candidate("first", "a", 100, {"slots": 1}), Candidate("first", "b", 1, {"slots": 1}),
                  Candidate("second", "a", 50, {"slots": 1})]
    candidates += [Candidate(f"o{i}", f"x{k}", 10 + (i * 7 + k) % 13, {"slots": 1})
                   for i in range(padding) for k in range(40)]
    return Instance(parks, ["first", "second", *(f"o{i}" for i in range(padding))], candidates,
                    required=frozenset({"first", "second"}))


def test_a_plan_is_found_where_greedy_seats_no_required_set() -> None:
    instance = trap(padding=EXACT_MAX_CANDIDATES // 40 + 10)
    assert len(instance.candidates) > EXACT_MAX_CANDIDATES
    assert not instance.required <= greedy(instance).keys()
    result = solve(instance, 20, workers=2)
    assert result.status in ("feasible", "optimal")
    assert result.assignments["first"] == "b" and result.assignments["second"] == "a"
    assert violations(instance, result.assignments) == []


def test_the_flat_view_takes_pinned_projects_out_with_their_room() -> None:
    instance = Instance([ParkCapacity("a", {"slots": 3})], ["pinned", "free"],
                        [Candidate("pinned", "a", 5, {"slots": 2}), Candidate("free", "a", 7, {"slots": 1})],
                        pinned=frozenset({("pinned", "a")}))
    flat = pairs(instance)
    assert flat.projects == ["free"]
    assert flat.room[0, flat.resources.index("slots")] == 1
    assert flat.plan(np.array([0])) == {"free": "a", "pinned": "a"}
