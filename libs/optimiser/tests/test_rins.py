"""RINS keeps what the plan and the LP agree on and frees the rest in the room that leaves."""

from __future__ import annotations

import time

from guiyan_optimiser import Candidate, Instance, ParkCapacity
from guiyan_optimiser.incumbent import Incumbent
from guiyan_optimiser.rins import kept, neighbourhood, rins

INSTANCE = Instance(
    parks=[ParkCapacity("a", {"floor_m2": 10}), ParkCapacity("b", {"floor_m2": 10})],
    projects=["agreed", "moved", "unplaced", "left_out"],
    candidates=[Candidate("agreed", "a", 5, {"floor_m2": 4}),
                Candidate("moved", "a", 1, {"floor_m2": 6}), Candidate("moved", "b", 9, {"floor_m2": 6}),
                Candidate("unplaced", "b", 3, {"floor_m2": 4}),
                Candidate("left_out", "b", 1, {"floor_m2": 8})],
    required=frozenset({"moved"}), pinned=frozenset({("moved", "a")}))
PLAN = {"agreed": "a", "moved": "a", "left_out": "b"}
LP = {("agreed", "a"): 1.0, ("moved", "a"): 0.3, ("moved", "b"): 0.7, ("unplaced", "b"): 1.0,
      ("left_out", "b"): 0.0}


def test_projects_the_plan_and_the_lp_agree_on_are_kept() -> None:
    # agreed: placed where the LP puts it wholly; moved and left_out: the LP differs; unplaced: the
    # LP places it.
    assert kept(INSTANCE, PLAN, LP) == {"agreed"}


def test_the_freed_projects_see_only_the_room_the_kept_ones_leave() -> None:
    sub = neighbourhood(INSTANCE, PLAN, {"agreed"})
    assert sub.projects == ["moved", "unplaced", "left_out"]
    assert {p.id: p.capacity for p in sub.parks} == {"a": {"floor_m2": 6}, "b": {"floor_m2": 10}}
    assert {(c.project, c.park) for c in sub.candidates} == {
        ("moved", "a"), ("moved", "b"), ("unplaced", "b"), ("left_out", "b")}
    assert sub.required == {"moved"} and sub.pinned == {("moved", "a")}


def test_rins_offers_a_better_plan_that_keeps_pins_and_capacities() -> None:
    free = Instance(INSTANCE.parks, INSTANCE.projects, INSTANCE.candidates, INSTANCE.required)
    incumbent = Incumbent(free, time.monotonic(), None)
    incumbent.offer(PLAN)
    rins(free, incumbent, LP, seconds=2.0, workers=1)
    assert incumbent.plan == {"agreed": "a", "moved": "b", "unplaced": "b"}
    assert incumbent.value == 17
