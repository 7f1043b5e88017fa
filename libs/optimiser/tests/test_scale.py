"""The phases that scale to millions of pairs: the flat view, the Lagrangian bound at any prices,
the trivial bound with bonuses, PDLP's LP against GLOP's, LP rounding, the greedy start with
bonuses, and a plan found where greedy seats no required set."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest
from guiyan_optimiser import Bonus, Candidate, Instance, ParkCapacity, solve
from guiyan_optimiser.greedy import Taking, by_worth, greedy
from guiyan_optimiser.instance import fixed_worth, hopeful_worth, objective, usable
from guiyan_optimiser.lp import relax
from guiyan_optimiser.pairs import Pairs, pairs
from guiyan_optimiser.prices import (
    TOLERANCE,
    lagrangian_bound,
    linear_relaxation,
    relax_at_scale,
)
from guiyan_optimiser.rounding import complete, fill
from guiyan_optimiser.solve import EXACT_MAX_CANDIDATES, trivial_bound
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
@given(instances(), PRICES, st.lists(st.floats(0, 45_000, allow_nan=False), min_size=8, max_size=8))
def test_the_lagrangian_bound_holds_at_any_prices(instance: Instance, prices: list[float],
                                                  bonus_prices: list[float]) -> None:
    best = brute_force(Instance(instance.parks, instance.projects, usable(instance),
                                instance.required, instance.pinned, bonuses=instance.bonuses))
    flat = pairs(instance)
    at = np.array(prices[:flat.room.size]).reshape(flat.room.shape) * np.isfinite(flat.room)
    on_bonuses = np.resize(bonus_prices, len(flat.bonuses.value))
    if best is not None:
        assert lagrangian_bound(flat, at) + fixed_worth(instance) >= best[0] - 1e-6
        assert lagrangian_bound(flat, at, on_bonuses) + fixed_worth(instance) >= best[0] - 1e-6


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_trivial_bound_holds(instance: Instance) -> None:
    best = brute_force(Instance(instance.parks, instance.projects, usable(instance),
                                instance.required, instance.pinned, bonuses=instance.bonuses))
    if best is not None:
        assert trivial_bound(instance, pairs(instance)) >= best[0] - 1e-6


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_flat_view_holds_each_pairs_use_and_hopeful_worth(instance: Instance) -> None:
    kept = [(c.project, c.park) for c in instance.candidates[::3]]
    instance = replace(instance, previous=frozenset(kept), move_penalty=700.0)
    flat = pairs(instance)
    candidates = usable(instance)
    caps = {park.id: park.capacity for park in instance.parks}
    earned = [b for b in instance.bonuses if b.pairs & instance.pinned]
    for row, index in enumerate(flat.source):
        c = candidates[index]
        assert (flat.projects[flat.project[row]], flat.parks[flat.park[row]]) == (c.project, c.park)
        # A bonus a pin earns already is nothing more to earn.
        pinned = sum(b.value for b in earned if (c.project, c.park) in b.pairs)
        assert flat.worth[row] == pytest.approx(hopeful_worth(instance, c) - pinned)
        assert [flat.use[row, r] for r in range(len(flat.resources))] == [
            c.use.get(resource, 0.0) if resource in caps[c.park] else 0.0
            for resource in flat.resources]


def test_candidates_sharing_one_use_read_it_as_their_own() -> None:
    shared = {"floor_m2": 300.0}
    instance = Instance([ParkCapacity(k, {"floor_m2": 1000, "slots": 2}) for k in ("a", "b")],
                        ["x", "y", "z"],
                        [Candidate("x", "a", 5, shared), Candidate("y", "a", 6, shared),
                         Candidate("y", "b", 7, {"floor_m2": 300.0}),
                         Candidate("z", "b", 8, {"slots": 1, "floor_m2": 50.0})])
    flat = pairs(instance)
    floor, slots = flat.resources.index("floor_m2"), flat.resources.index("slots")
    assert flat.use[:, floor].tolist() == [300, 300, 300, 50]
    assert flat.use[:, slots].tolist() == [0, 0, 0, 1]


def twin_links() -> Instance:
    """Two projects alike, each able to fill a missing link at either park: 15 at a and 14 at
    b with its link, 10 and 9 once the other has filled it."""
    candidates = [Candidate(p, k, score, {"slots": 1})
                  for p in ("x", "y") for k, score in (("a", 10), ("b", 9))]
    links = (Bonus("a/link", 5, frozenset({("x", "a"), ("y", "a")})),
             Bonus("b/link", 5, frozenset({("x", "b"), ("y", "b")})))
    return Instance([ParkCapacity(k, {"slots": 2}) for k in ("a", "b")], ["x", "y"], candidates,
                    bonuses=links)


def eager(flat: Pairs, first: np.ndarray) -> list[int]:
    """The greedy as it reads: each stage's pair of most worth with the bonuses still to earn
    now (ties in the lazy greedy's order), found again after every pair taken or not fitting."""
    stage = np.where(first, 0, np.where(flat.required, 1, 2))[flat.project]
    order = np.lexsort((flat.source, -flat.worth, stage)).tolist()
    taking = Taking(flat)
    for current in (0, 1, 2):
        pool = [j for j in order if stage[j] == current]
        while pool := [j for j in pool if not taking.placed[taking.project[j]]]:
            j = max(pool, key=lambda j: (taking.worth_now(j), -order.index(j)))
            pool.remove(j)
            taking.take(j)
    return taking.chosen


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.randoms(use_true_random=False))
def test_the_lazy_greedy_takes_what_the_eager_one_does(instance: Instance,
                                                       rng: random.Random) -> None:
    flat = pairs(instance)
    first = np.array([rng.random() < 0.2 for _ in flat.projects], dtype=bool)
    assert sorted(by_worth(flat, first).tolist()) == sorted(eager(flat, first))


def test_greedy_spreads_projects_alike_over_the_links_they_can_fill() -> None:
    instance = twin_links()
    plan = greedy(instance)
    assert sorted(plan.values()) == ["a", "b"]
    assert objective(instance, plan) == 29  # not 25, both at a with its link filled once


def test_two_pins_that_fill_one_link_count_it_once() -> None:
    instance = replace(twin_links(), pinned=frozenset({("x", "a"), ("y", "a")}))
    assert fixed_worth(instance) == objective(instance, {"x": "a", "y": "a"})


def test_the_trivial_bound_counts_each_bonus_once_where_that_is_lower() -> None:
    instance = twin_links()
    # Hoping: 15 each, 30. Once: the best scores 10 each and both links, 30. With a third,
    # smaller link at a that both could fill, hoping gives 34 and once 32.
    third = Bonus("a/other", 2, frozenset({("x", "a"), ("y", "a")}))
    assert trivial_bound(instance, pairs(instance)) == 30
    widened = replace(instance, bonuses=(*instance.bonuses, third))
    assert trivial_bound(widened, pairs(widened)) == 32
    assert objective(widened, greedy(widened)) == 31


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


def test_pdlp_counts_each_bonus_once_as_glop_does() -> None:
    # Every third park's pairs fill one link there, worth a pair's score: hoping for it, each
    # pair at such a park would count it again.
    instance = city(300, 30, seed=3)
    links = {k: frozenset((c.project, c.park) for c in instance.candidates if c.park == k)
             for k in (park.id for park in instance.parks[::3])}
    instance = replace(instance, bonuses=tuple(Bonus(f"{k}/link", 30_000, pairs_at)
                                               for k, pairs_at in links.items()))
    glop = relax(instance)
    flat = pairs(instance)
    pdlp = relax_at_scale(instance, flat, seconds=20, threads=1)
    assert pdlp.bound >= glop.bound - 1e-6 * abs(glop.bound)
    assert pdlp.bound == pytest.approx(glop.bound, rel=2 * TOLERANCE)
    hoping = replace(instance, bonuses=(), candidates=[
        c._replace(score=hopeful_worth(instance, c)) for c in instance.candidates])
    assert pdlp.bound < 0.95 * relax(hoping).bound  # the LP that credits each pair with its link


def test_pdlp_prices_the_links_a_plan_cannot_fill_whole() -> None:
    # Links of three pairs each, worth more than a pair's score: the LP would fill each one
    # wholly, and capacity does not let it, so their rows bind and their prices count.
    instance = city(300, 30, seed=4)
    rng = random.Random(4)
    links = [frozenset((c.project, c.park) for c in rng.sample(instance.candidates, 3))
             for _ in range(60)]
    instance = replace(instance, bonuses=tuple(Bonus(f"l{n}", 50_000, link)
                                               for n, link in enumerate(links)))
    flat = pairs(instance)
    found = linear_relaxation(flat, seconds=20, threads=1)
    assert found is not None and found.bonus_prices.max() > 0
    glop = relax(instance).bound
    bound = found.bound + fixed_worth(instance)
    assert glop - 1e-6 * abs(glop) <= bound <= glop * (1 + 1e-2)


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
