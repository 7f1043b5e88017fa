"""What-if previews commit nothing; a long solve reports its progress and the status shows it,
and ends early, in time for its plan to be written before the changes behind it have waited a
debounce window."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest
from sqlmodel import select

from guiyan_contracts.matching import ParkChange, PreviewPlan
from guiyan_contracts.refusals import NotFound
from guiyan_eventing.outbox import OutboxMessage
from guiyan_matching.config import MatchingSettings
from guiyan_matching.service_layer.planner import Planner

from .conftest import live_proposals, record
from .test_lifecycle import registered, submitted


def outbox(uow) -> list[tuple[str, str]]:
    with uow() as unit:
        return [(m.subject, m.payload) for m in unit.session.exec(select(OutboxMessage))]


def what_if(*changes: ParkChange) -> PreviewPlan:
    return PreviewPlan(tenant_id="heze", changes=list(changes))


async def test_a_preview_shows_what_more_room_would_place_and_commits_nothing(uow) -> None:
    record(uow, registered("a", 200), registered("b", 100), *submitted("p0", "p1"))
    planner = Planner(uow, MatchingSettings(preview_time_limit_seconds=1))
    shown = await planner.preview(what_if(ParkChange(park_id="a", floor_m2=400)))
    assert len(shown.current.offers) == 1 and len(shown.current.unplaced_project_ids) == 1
    assert len(shown.changed.offers) == 2 and shown.changed.unplaced_project_ids == []
    assert shown.changed.objective > shown.current.objective
    assert [(o.park_id, o.chain_role) for o in shown.gained] == [("a", "same_sector")]
    assert shown.lost == []
    assert live_proposals(uow) == [] and outbox(uow) == []


async def test_a_preview_of_a_park_the_city_does_not_have_names_it(uow) -> None:
    record(uow, registered("a", 200), *submitted("p0"))
    with pytest.raises(NotFound, match="no park zz"):
        await Planner(uow, MatchingSettings()).preview(what_if(ParkChange(park_id="zz", land_mu=5)))


class SlowPlanner(Planner):
    """A solve that takes a while, as a province-sized one does, after a first plan and bound."""

    def _decide(self, inputs, taxonomy, policy, time_limit, progress):
        progress.improved(0.1, 5.0)
        progress.bounded(9.0)
        time.sleep(2.5)
        return super()._decide(inputs, taxonomy, policy, time_limit, progress)


async def test_a_solve_longer_than_a_second_reports_progress_and_shows_in_the_status(uow) -> None:
    record(uow, registered("a", 200), *submitted("p0"))
    planner = SlowPlanner(uow, MatchingSettings(solver_time_limit_seconds=1))
    assert (await planner.status("heze")).solving is None
    planning = asyncio.create_task(planner.plan("heze"))
    await asyncio.sleep(0.5)
    assert (await planner.status("heze")).solving is not None  # told from the start
    # Progress is told once a second, from the solve's thread: wait for it while the solve runs
    # rather than for a fixed time, which a loaded host overruns.
    while not planning.done():
        solving = (await planner.status("heze")).solving
        if solving is not None and solving.objective is not None:
            break
        await asyncio.sleep(0.05)
    assert solving is not None and solving.objective == 5.0 and solving.bound == 9.0
    plan = await planning
    assert plan is not None and (await planner.status("heze")).solving is None
    assert not plan.ended_early
    progressed = [json.loads(payload) for subject, payload in outbox(uow)
                  if subject.endswith("plan.progressed.v1")]
    assert len(progressed) == 1  # once a second, and only when something moved
    assert progressed[0]["progress"]["plan_id"] == plan.id
    assert progressed[0]["progress"]["bound"] == 9.0


class EndlessPlanner(Planner):
    """A solve that would run for good unless told to stop, as a large one under a burst does."""

    def _decide(self, inputs, taxonomy, policy, time_limit, progress):
        while not progress.stop.is_set():
            time.sleep(0.01)
        return super()._decide(inputs, taxonomy, policy, time_limit, progress)


async def test_changes_that_waited_a_debounce_window_end_the_solve_under_way(uow) -> None:
    record(uow, registered("a", 200), *submitted("p0"))
    planner = EndlessPlanner(uow, MatchingSettings(plan_debounce_seconds=0.3,
                                                   solver_time_limit_seconds=600))
    await planner.lead("heze", "here#1")
    planning = asyncio.create_task(planner.plan("heze"))
    await asyncio.sleep(0.1)
    ask_for_a_plan(uow, planner, "p1")
    plan = await planning
    assert plan is not None and plan.ended_early and plan.offered == 1
    assert (await planner.status("heze")).queued_triggers == 2  # the lead's, and p1's


def ask_for_a_plan(uow, planner: Planner, ref: str) -> None:
    """As a handler does: the request in the change's transaction, then a nudge."""
    with uow() as unit:
        unit.plan_queue.add("heze", "ProjectSubmitted", ref)
        unit.commit()
    planner.nudge()


class SlowWriter(Planner):
    """Plans take `WRITE_SECONDS` to write, and a solve runs `SOLVE_SECONDS` unless told to stop;
    `waited_at_stop` is how long the changes behind it had waited when it was."""
    WRITE_SECONDS, SOLVE_SECONDS = 1.2, 1.5
    waited_at_stop: float | None = None

    def _write(self, solved, term, requests):
        time.sleep(self.WRITE_SECONDS)
        return super()._write(solved, term, requests)

    def _decide(self, inputs, taxonomy, policy, time_limit, progress):
        ends = time.monotonic() + self.SOLVE_SECONDS
        while time.monotonic() < ends and not progress.stop.is_set():
            time.sleep(0.01)
        if progress.stop.is_set():
            self.waited_at_stop = self._waited()
        return super()._decide(inputs, taxonomy, policy, time_limit, progress)


async def test_a_solve_ends_in_time_for_its_plan_to_be_written_within_the_window(uow) -> None:
    """Writing a plan takes longer than the window here: a solve runs its course while nothing
    waits, and ends once a change has waited half a window behind it (the most the writing time
    may take off)."""
    record(uow, registered("a", 200), *submitted("p0"))
    planner = SlowWriter(uow, MatchingSettings(plan_debounce_seconds=1.0))
    await planner.lead("heze", "here#1")
    with uow() as unit:
        caught_up = unit.plan_queue.waiting(["heze"])  # the lead's own request
    plan = await planner.plan("heze", caught_up)
    assert plan is not None and not plan.ended_early and planner.waited_at_stop is None
    record(uow, *submitted("p1"))
    planning = asyncio.create_task(planner.plan("heze"))
    await asyncio.sleep(0.05)
    ask_for_a_plan(uow, planner, "p2")
    plan = await planning
    assert plan is not None and plan.ended_early
    assert planner.waited_at_stop is not None and 0.5 <= planner.waited_at_stop < 1.0


class HeldPlanner(Planner):
    """A solve that lasts until the test lets it end; `reads` counts the reads of the queue."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reads, self.release = 0, threading.Event()

    def _waiting(self, tenants):
        self.reads += 1
        return super()._waiting(tenants)

    def _decide(self, inputs, taxonomy, policy, time_limit, progress):
        self.release.wait(30)
        return super()._decide(inputs, taxonomy, policy, time_limit, progress)


async def test_changes_arriving_while_one_waits_behind_a_solve_do_not_read_the_queue_again(
        uow) -> None:
    """The first change made here is read at once, to time its wait; the ones after it cannot
    make that wait longer, and are left for the poll (here, longer than the test)."""
    record(uow, registered("a", 200), *submitted("p0"))
    planner = HeldPlanner(uow, MatchingSettings(plan_poll_seconds=60))
    await planner.lead("heze", "here#1")
    with uow() as unit:
        caught_up = unit.plan_queue.waiting(["heze"])
    planning = asyncio.create_task(planner.plan("heze", caught_up))
    try:
        await asyncio.sleep(0.3)  # the solve's first look, with nothing read yet
        before = planner.reads
        for n in range(1, 11):
            ask_for_a_plan(uow, planner, f"p{n}")
            await asyncio.sleep(0.15)  # each past a look's tick
        read = planner.reads - before
    finally:
        planner.release.set()
    assert await planning is not None
    assert read == 1


class MissingPlanner(Planner):
    """Its first read of the queue misses a change that is made, and nudges, while it reads."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.uow, self.reads = args[0], 0

    def _waiting(self, tenants):
        found = super()._waiting(tenants)
        self.reads += 1
        if self.reads == 1:
            ask_for_a_plan(self.uow, self, "p0")
        return found


async def test_a_change_made_while_the_idle_planner_reads_is_planned_without_waiting_a_poll(
        uow) -> None:
    record(uow, registered("a", 200), *submitted("p0"))
    planned = asyncio.Event()
    planner = MissingPlanner(uow, MatchingSettings(plan_debounce_seconds=0,
                                                   plan_poll_seconds=60),
                             planned=lambda plan: planned.set())
    await planner.lead("heze", "here#1")
    with uow() as unit:  # the lead's own request: the planner starts with nothing waiting
        unit.plan_queue.remove([r.id for r in unit.plan_queue.waiting(["heze"])])
        unit.commit()
    running = asyncio.create_task(planner.run())
    try:
        await asyncio.wait_for(planned.wait(), timeout=30)  # not the 60-s poll
    finally:
        running.cancel()
    assert planner.reads >= 2
