"""The hill-climb: each kind of move where it gains, none where it does not, bonuses counted
once, and on random instances a plan that stays allowed and never loses objective."""

from __future__ import annotations

import random
import time
from dataclasses import replace

import numpy as np
import pytest
from guiyan_optimiser import Bonus, Candidate, Instance, ParkCapacity
from guiyan_optimiser.earning import Earning
from guiyan_optimiser.greedy import greedy
from guiyan_optimiser.pairs import pairs
from guiyan_optimiser.swaps import Takeover, climb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_scale import twin_links
from .test_solve import instances, objective, violations


def climbed(instance: Instance, start: dict[str, str]) -> dict[str, str]:
    flat = pairs(instance)
    rows = climb(flat, flat.chosen(start), until=time.monotonic() + 5)
    assert rows is not None
    return flat.plan(rows)


def one_park(room: float, *candidates: Candidate, required: frozenset[str] = frozenset()) -> Instance:
    return Instance([ParkCapacity("k", {"floor_m2": room})],
                    sorted({c.project for c in candidates}), list(candidates), required=required)


def test_an_unplaced_project_moves_in_where_there_is_room() -> None:
    instance = one_park(20, Candidate("a", "k", 5, {"floor_m2": 10}),
                        Candidate("b", "k", 8, {"floor_m2": 10}))
    assert climbed(instance, {"a": "k"}) == {"a": "k", "b": "k"}


def test_a_better_project_takes_the_place_of_a_worse_one() -> None:
    instance = one_park(10, Candidate("a", "k", 5, {"floor_m2": 10}),
                        Candidate("b", "k", 8, {"floor_m2": 10}))
    assert climbed(instance, {"a": "k"}) == {"b": "k"}


def test_a_worse_project_never_takes_the_place_of_a_better_one() -> None:
    instance = one_park(10, Candidate("a", "k", 8, {"floor_m2": 10}),
                        Candidate("b", "k", 5, {"floor_m2": 10}))
    assert climbed(instance, {"a": "k"}) == {"a": "k"}


def test_a_required_project_is_never_pushed_out() -> None:
    instance = one_park(10, Candidate("a", "k", 5, {"floor_m2": 10}),
                        Candidate("b", "k", 8, {"floor_m2": 10}), required=frozenset({"a"}))
    assert climbed(instance, {"a": "k"}) == {"a": "k"}


def test_the_project_pushed_out_moves_on_to_a_park_with_room() -> None:
    instance = Instance([ParkCapacity("k", {"floor_m2": 10}), ParkCapacity("l", {"floor_m2": 10})],
                        ["a", "b"],
                        [Candidate("a", "k", 9, {"floor_m2": 10}), Candidate("a", "l", 6, {"floor_m2": 10}),
                         Candidate("b", "k", 8, {"floor_m2": 10})])
    assert climbed(instance, {"a": "k"}) == {"a": "l", "b": "k"}


def test_two_projects_exchange_parks_where_each_suits_the_other_better() -> None:
    instance = Instance([ParkCapacity("k", {"floor_m2": 10}), ParkCapacity("l", {"floor_m2": 10})],
                        ["a", "b"],
                        [Candidate("a", "k", 1, {"floor_m2": 10}), Candidate("a", "l", 9, {"floor_m2": 10}),
                         Candidate("b", "k", 9, {"floor_m2": 10}), Candidate("b", "l", 1, {"floor_m2": 10})])
    assert climbed(instance, {"a": "k", "b": "l"}) == {"a": "l", "b": "k"}


def test_every_resource_of_the_park_is_checked() -> None:
    instance = Instance([ParkCapacity("k", {"floor_m2": 10, "subsidy_yuan": 5})], ["a", "b"],
                        [Candidate("a", "k", 5, {"floor_m2": 10, "subsidy_yuan": 5}),
                         Candidate("b", "k", 8, {"floor_m2": 10, "subsidy_yuan": 6})])
    assert climbed(instance, {"a": "k"}) == {"a": "k"}


def test_projects_spread_over_the_links_they_fill_are_not_crowded_into_one() -> None:
    # At its hopeful worth (15 at a, 14 at b), y would join x at a, whose link x fills already.
    instance = twin_links()
    assert climbed(instance, {"x": "a", "y": "b"}) == {"x": "a", "y": "b"}


def test_a_project_moves_to_fill_a_link_no_one_fills() -> None:
    instance = twin_links()
    assert climbed(instance, {"x": "a", "y": "a"}) == {"x": "a", "y": "b"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.randoms(use_true_random=False))
def test_a_plan_climbed_from_anywhere_never_loses_objective(instance: Instance,
                                                            rng: random.Random) -> None:
    # From a random plan that fits, where bonuses are often shared by the pairs it holds.
    flat = pairs(instance)
    start = dict(instance.pinned)
    for row in rng.sample(range(len(flat.park)), len(flat.park)):
        project, park = flat.projects[flat.project[row]], flat.parks[flat.park[row]]
        if project not in start and not violations(instance, start | {project: park},
                                                   complete=False):
            start[project] = park
    if violations(instance, start, complete=False):
        return  # pins that overfill a park themselves
    after = climbed(instance, start)
    assert violations(instance, after, complete=False) == []
    if instance.required <= start.keys():
        assert objective(instance, after) >= objective(instance, start) - 1e-6


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_a_climbed_plan_stays_allowed_and_never_loses_objective(instance: Instance) -> None:
    flat = pairs(instance)
    start = flat.plan(flat.chosen(greedy(instance, flat)))  # with the pins, as the climb keeps them
    after = climbed(instance, start)
    complete = not violations(instance, start)
    if not violations(instance, start, complete=False):  # pins may overfill a park themselves
        assert violations(instance, after, complete=complete) == []
    assert {p for p in instance.required if p in start} <= after.keys()
    if complete:  # else seating a required project may cost worth
        assert objective(instance, after) >= objective(instance, start) - 1e-6


def linked(parks: str, scores: list[tuple[str, str, float]], link: set[tuple[str, str]], *,
           slots: int = 1) -> Instance:
    """Parks of `slots` slots each, a pair of each (project, park, score) using one, and one
    link worth 100 that any pair of `link` fills."""
    return Instance([ParkCapacity(k, {"slots": slots}) for k in parks],
                    sorted({p for p, _, _ in scores}),
                    [Candidate(p, k, score, {"slots": 1}) for p, k, score in scores],
                    bonuses=(Bonus("link", 100, frozenset(link)),))


def test_a_swap_counting_one_bonus_twice_is_not_taken_for_a_gain() -> None:
    # The swap of i into a and j on to b reads as +90 at each pair's worth as the plan stands
    # (both pairs with the link's 100), but the link is earned once: -10. j alone to b: +45.
    instance = linked("abc", [("i", "c", 55), ("i", "a", 0), ("j", "a", 55), ("j", "b", 0)],
                      {("i", "a"), ("j", "b")})
    after = climbed(instance, {"i": "c", "j": "a"})
    assert after == {"i": "c", "j": "b"}
    assert objective(instance, after) == 155


def test_a_newcomer_takes_the_place_and_the_link_of_a_project_that_alone_fills_it() -> None:
    # j alone fills k's link (100 + 10); i there fills it too and scores 20, and j scores 5 at
    # l. At the worth as the plan stands, i's pair at k lacks the link, and the move reads -85.
    instance = linked("kl", [("i", "k", 20), ("j", "k", 10), ("j", "l", 5)],
                      {("i", "k"), ("j", "k")})
    after = climbed(instance, {"j": "k"})
    assert after == {"i": "k", "j": "l"}
    assert objective(instance, after) == 125


def test_the_project_pushed_out_goes_where_the_move_gains_most_not_where_it_looked_best() -> None:
    # i entering a fills the link that j's pair at l could fill too: l looks best for j (100),
    # but the link is earned once, and the move gains 100 - 120 there, against 100 + 50 - 120
    # with j at m.
    instance = linked("alm", [("i", "a", 0), ("j", "a", 120), ("j", "l", 0), ("j", "m", 50)],
                      {("i", "a"), ("j", "l")})
    after = climbed(instance, {"j": "a"})
    assert after == {"i": "a", "j": "m"}
    assert objective(instance, after) == 150


def alike(parks: str = "", elsewhere: float = 0) -> Instance:
    """i alone fills o's link, j alone k's, and each would score more in the other's park;
    each could also go to each of `parks` at `elsewhere`."""
    scores = [("i", "o", 10), ("i", "k", 20), ("j", "k", 10), ("j", "o", 20)]
    scores += [(p, x, elsewhere) for p in "ij" for x in parks]
    instance = linked("ko" + parks, scores, {("i", "o"), ("j", "o")})
    return replace(instance, bonuses=(
        *instance.bonuses, Bonus("link-k", 100, frozenset({("i", "k"), ("j", "k")}))))


@pytest.mark.parametrize("instance", [alike(), alike("xyz", 25)], ids=["alone", "with-others"])
def test_projects_alike_trade_parks_and_each_keeps_the_link_the_other_filled(
        instance: Instance) -> None:
    # At the worth as the plan stands, each pair in the other's park lacks its link, and the
    # trade reads -180. With three other parks that look better for j (25 each), the trade
    # must still be weighed.
    after = climbed(instance, {"i": "o", "j": "k"})
    assert after == {"i": "k", "j": "o"}
    assert objective(instance, after) == 240


def takeovers(instance: Instance, plan: dict[str, str]) -> list[tuple[str, str, str, float]]:
    """Each (project, park) pair credited with a link, the project that alone fills it, and its
    value."""
    flat = pairs(instance)
    pair, earner, value = Earning(flat, flat.chosen(plan)).takeovers()
    return sorted((flat.projects[flat.project[p]], flat.parks[flat.park[p]],
                   flat.projects[flat.project[e]], float(v))
                  for p, e, v in zip(pair, earner, value, strict=True))


def test_a_link_its_one_earner_could_fill_elsewhere_too_is_not_credited_to_a_newcomer() -> None:
    # j fills the link at k and could fill it at l: j moving on to l keeps it, and crediting i
    # with it as well would count it twice.
    instance = linked("kl", [("i", "k", 20), ("j", "k", 10), ("j", "l", 5)],
                      {("i", "k"), ("j", "k"), ("j", "l")})
    assert takeovers(instance, {"j": "k"}) == []


def test_a_link_its_one_earner_fills_only_there_is_credited_to_each_other_pair() -> None:
    instance = linked("kl", [("h", "k", 1), ("i", "k", 1), ("j", "k", 1), ("i", "l", 1)],
                      {("h", "k"), ("i", "k"), ("j", "k"), ("i", "l")}, slots=2)
    assert takeovers(instance, {"j": "k"}) == [("h", "k", "j", 100.0), ("i", "k", "j", 100.0),
                                               ("i", "l", "j", 100.0)]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_takeover_adds_each_credit_to_its_row_and_column(data: st.DataObject) -> None:
    ids = st.integers(0, 12)
    staying = np.array(sorted(data.draw(st.sets(ids, min_size=1))))
    rows = np.array(sorted(data.draw(st.sets(ids, min_size=1))))
    entries = data.draw(st.lists(st.tuples(ids, ids, st.integers(1, 50)), max_size=12))
    takeover = Takeover(np.array([p for p, _, _ in entries], dtype=np.int64),
                        np.array([j for _, j, _ in entries], dtype=np.int64),
                        np.array([v for _, _, v in entries], dtype=float))
    table = np.zeros((len(staying), len(rows)))
    takeover.add_to(table, staying, rows)
    expected = np.zeros_like(table)
    for pair, project, value in entries:
        if project in staying and pair in rows:
            expected[staying.tolist().index(project), rows.tolist().index(pair)] += value
    assert np.array_equal(table, expected)
