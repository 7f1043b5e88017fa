"""Continuous planning: whenever supply or demand changes, plan that city again.

One loop per process, and one lock around every solve (plans and what-if previews alike), so
two solves never run at once; changes arriving within the debounce window (counted from the
first change waiting) are planned together, and each plan records the changes that asked for it.
A solve under way ends early, with its best plan so far, when changes waiting behind it would
otherwise wait more than a window: soon enough that its plan is written by the time they have
waited one (the city's last plan's writing time is the estimate, at most half a window). A plan
that is already stale is not worth the wait for its polish. By default pending offers hold their
capacity and are not re-planned; in `reoptimise` mode they may move, each move costing the
solver `move_penalty`. While a solve runs, its best objective and bound are published once a
second.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from guiyan_optimiser import Stop, solve

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.matching import (
    PlanningStatus,
    PlanPreview,
    PlanProgressed,
    PreviewPlan,
)
from guiyan_contracts.models import (
    Plan,
    PlanTrigger,
    SolveProgress,
)
from guiyan_contracts.system import Problem
from guiyan_contracts.taxonomy import Taxonomy, load_taxonomy
from guiyan_eventing.database_thread import RunsDatabaseWork, in_place

from ..adapters.policies import load_policy
from ..adapters.repository import SetAside
from ..adapters.unit_of_work import MatchingUnitOfWork
from ..config import MatchingSettings
from ..domain.city_time import city_day
from ..domain.planning import (
    PairingMemory,
    PlanInputs,
    decide,
    pairings,
    to_instance,
)
from ..domain.policy import Policy
from . import PRODUCER, preview
from .instance_fingerprint import fingerprint
from .lifecycle import Sweep, sweep
from .plan_inputs import Inputs, load_inputs
from .plan_writer import Decision, Solved, write_plan

log = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 1.0
TICK_SECONDS = 0.1  # how often a running solve looks for changes waiting behind it
MAX_RETRY_SECONDS = 60.0


def solver_thread(niceness: int) -> ThreadPoolExecutor:
    """The one thread solves run in, at a lower CPU priority than the event loop: under a burst
    the solver would otherwise take both cores from the replies, acks and commits it waits on.
    On Linux priority is per thread, and CP-SAT's workers inherit it from this one. The rules and
    explanations around a solve do not run here: they are short, and on every offer's path, and
    at this priority a burst stretches them several times over (measured: docs/performance.md,
    "Planner thread priority")."""
    def lower() -> None:
        if hasattr(os, "setpriority"):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)

    return ThreadPoolExecutor(1, thread_name_prefix="solver", initializer=lower)


class Progress:
    """A plan's solve as it runs: the solver's thread writes, the event loop reads."""

    def __init__(self, tenant_id: str, triggers_total: int, time_limit: float) -> None:
        self.plan_id, self.tenant_id = str(uuid.uuid4()), tenant_id
        self.triggers_total, self.time_limit = triggers_total, time_limit
        self.started_at, self._started = utc_now(), time.monotonic()
        self.stop = Stop()
        self.solved_at: float | None = None  # monotonic
        self.objective: float | None = None
        self.bound: float | None = None
        self._told: tuple[float | None, float | None] = (None, None)

    def improved(self, _seconds: float, objective: float) -> None:
        self.objective = objective

    def bounded(self, bound: float) -> None:
        self.bound = bound

    def news(self) -> bool:
        """Whether the objective or the bound moved since the last time this was asked."""
        now = (self.objective, self.bound)
        moved, self._told = now != self._told, now
        return moved

    def snapshot(self) -> SolveProgress:
        return SolveProgress(plan_id=self.plan_id, tenant_id=self.tenant_id,
                             started_at=self.started_at, seconds=time.monotonic() - self._started,
                             time_limit_seconds=self.time_limit, objective=self.objective,
                             bound=self.bound, triggers_total=self.triggers_total)


@dataclass(frozen=True)
class Failing:
    """A city whose plans fail: tried again after a wait that doubles, up to a minute, while the
    other cities are planned as usual."""

    error: str  # as logged, once
    kind: str  # the error's type: all health tells, since the message may quote data
    attempts: int
    retry_at: float  # monotonic


class Planner:
    def __init__(self, unit_of_work: Callable[[], MatchingUnitOfWork], settings: MatchingSettings,
                 today: Callable[[], date] = lambda: city_day(utc_now()),
                 database: RunsDatabaseWork = in_place,
                 planned: Callable[[Plan], None] = lambda plan: None) -> None:
        """`planned(plan)` is told of each plan once it is written (for its metrics)."""
        self._unit_of_work = unit_of_work
        self._planned = planned
        self._database = database
        self._settings = settings
        self._today = today
        self._pending: dict[str, list[PlanTrigger]] = {}
        self._wake = asyncio.Event()
        self._one_solve = asyncio.Lock()
        self._solving: dict[str, Progress] = {}  # tenant → its plan being solved
        self._writing: dict[str, float] = {}  # tenant → its last plan's solve's end to commit, s
        self._solver = solver_thread(settings.solver_niceness)
        self._planning = ThreadPoolExecutor(1, thread_name_prefix="planning")
        self._weighed: dict[str, PairingMemory] = {}  # tenant → its last plan's pairs
        self._failing: dict[str, Failing] = {}
        self._set_aside: dict[str, list[SetAside]] = {}  # tenant → what its last plan left out

    def request(self, tenant_id: str, kind: str, ref: str | None = None) -> None:
        self._pending.setdefault(tenant_id, []).append(PlanTrigger(kind=kind, ref=ref, at=utc_now()))
        self._wake.set()

    async def run(self) -> None:
        for tenant_id in await self._database(self._tenants):  # catch up on changes while down
            self.request(tenant_id, "startup")
        while True:
            if not self._due():  # nothing waits, or only cities waiting out a failure
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._until_retry()):
                        await self._wake.wait()
                continue
            await asyncio.sleep(max(0.0, self._settings.plan_debounce_seconds - self._waited()))
            batches = {tenant_id: self._pending.pop(tenant_id) for tenant_id in self._due()}
            for tenant_id in sorted(batches):
                try:
                    await self.plan(tenant_id, batches[tenant_id])
                except Exception as error:
                    self._failed(tenant_id, error)
                    self._pending[tenant_id] = batches[tenant_id] + self._pending.get(tenant_id, [])
                else:
                    self._failing.pop(tenant_id, None)

    def _due(self) -> list[str]:
        """The cities with changes waiting that are not waiting out a failure."""
        now = time.monotonic()
        return [tenant_id for tenant_id in self._pending
                if (failing := self._failing.get(tenant_id)) is None or failing.retry_at <= now]

    def _until_retry(self) -> float | None:
        waits = [self._failing[t].retry_at - time.monotonic() for t in self._pending
                 if t in self._failing]
        return max(0.0, min(waits)) if waits else None

    def _failed(self, tenant_id: str, error: Exception) -> None:
        """Log the error once with its traceback, then a line each time it recurs."""
        was = self._failing.get(tenant_id)
        attempts = was.attempts + 1 if was else 1
        delay = min(MAX_RETRY_SECONDS, 2.0 ** (attempts - 1))
        message = f"{type(error).__name__}: {error}"
        if was is None or was.error != message:
            log.exception("planning %s failed; trying again in %gs", tenant_id, delay)
        else:
            log.warning("planning %s failed again (%d times); trying again in %gs: %s",
                        tenant_id, attempts, delay, message)
        self._failing[tenant_id] = Failing(message, type(error).__name__, attempts,
                                           time.monotonic() + delay)

    def problems(self) -> list[Problem]:
        """For health: records set aside, and cities whose plans fail."""
        found = [Problem(service=PRODUCER, city=tenant_id, item=f"{each.kind} {each.record_id}",
                         reason=f"set aside, its record cannot be read: {each.reason}")
                 for tenant_id, aside in sorted(self._set_aside.items()) for each in aside]
        return found + [Problem(service=PRODUCER, city=tenant_id, item="planning",
                                reason=f"failed {failing.attempts} times ({failing.kind}); "
                                       "the log has the error")
                        for tenant_id, failing in sorted(self._failing.items())]

    def _waited(self) -> float:
        """Seconds the longest-waiting change has waited to be planned. A city waiting out a
        failure counts from when its retry came due, not from its changes' first arrival: else
        each retry would end the solve under way of a healthy city."""
        now, moment = time.monotonic(), utc_now()
        waits = []
        for tenant_id in self._due():
            if (failing := self._failing.get(tenant_id)) is not None:
                waits.append(now - failing.retry_at)
            elif triggers := self._pending[tenant_id]:
                waits.append((moment - triggers[0].at).total_seconds())
        return max(waits, default=0.0)

    def _overdue(self, tenant_id: str) -> bool:
        """Whether changes wait behind the solve under way that would wait more than a window if
        it ran on, given that its plan must still be written (for as long as the city's last one
        took, but never more than half a window, so that one slow write does not starve solves)."""
        window = self._settings.plan_debounce_seconds
        writing = min(self._writing.get(tenant_id, 0.0), window / 2)
        return self._waited() + writing >= window  # nothing waiting has waited 0 s

    async def sweep(self) -> None:
        """Every `expiry_sweep_seconds`: remind before offers lapse, expire them when they do, and
        plan the cities whose offers expired."""
        while True:
            swept = await self._database(self._sweep)
            for tenant_id in swept.expired_tenants:
                self.request(tenant_id, "ProposalExpired")
            await asyncio.sleep(self._settings.expiry_sweep_seconds)

    def status(self, tenant_id: str) -> PlanningStatus:
        solving = self._solving.get(tenant_id)
        return PlanningStatus(solving=solving.snapshot() if solving else None,
                              queued_triggers=len(self._pending.get(tenant_id, [])))

    async def plan(self, tenant_id: str, triggers: list[PlanTrigger] | None = None) -> Plan | None:
        """Plan one city; None when it has nothing to place."""
        triggers = triggers or []
        mode = self._settings.plan_mode
        inputs = await self._database(lambda: self._load(tenant_id, mode))
        self._note_set_aside(tenant_id, inputs.set_aside)
        if not inputs.plan.open_projects:
            return None
        progress = Progress(tenant_id, len(triggers), self._settings.solver_time_limit_seconds)
        self._solving[tenant_id] = progress
        try:
            decision = await self._solve(tenant_id, inputs.plan, progress.time_limit, progress)
        finally:
            del self._solving[tenant_id]
        solved = Solved(progress.plan_id, tenant_id, progress.started_at, triggers, mode, inputs,
                        decision)
        plan = await self._database(lambda: self._write(solved))
        if progress.solved_at is not None:
            self._writing[tenant_id] = time.monotonic() - progress.solved_at
        self._planned(plan)
        log.info("planned %s: %d offered, %d unplaced, %d moved, objective %.0f (%s, %.2fs)",
                 tenant_id, plan.offered, plan.unplaced, plan.moved, plan.objective, plan.status,
                 plan.solve_seconds)
        return plan

    def _note_set_aside(self, tenant_id: str, set_aside: list[SetAside]) -> None:
        known = set(self._set_aside.get(tenant_id, []))
        for each in set_aside:
            if each not in known:
                log.warning("planning %s without %s %s: its record cannot be read (%s)",
                            tenant_id, each.kind, each.record_id, each.reason)
        self._set_aside[tenant_id] = set_aside

    def _tenants(self) -> list[str]:
        with self._unit_of_work() as uow:
            return list(uow.matching.tenants())

    def _sweep(self) -> Sweep:
        with self._unit_of_work() as uow:
            swept = sweep(uow, timedelta(seconds=self._settings.offer_reminder_seconds))
            uow.commit()
        return swept

    def _load(self, tenant_id: str, mode: str) -> Inputs:
        with self._unit_of_work() as uow:
            return load_inputs(uow, tenant_id, self._today(), mode)

    def _write(self, solved: Solved) -> Plan:
        with self._unit_of_work() as uow:
            plan = write_plan(uow, solved, timedelta(seconds=self._settings.offer_ttl_seconds))
            uow.commit()
        return plan

    async def preview(self, query: PreviewPlan) -> PlanPreview:
        """The city's next plan as it is and with `query.changes`, side by side; nothing is
        stored, offered or published."""
        inputs = (await self._database(
            lambda: self._load(query.tenant_id, self._settings.plan_mode))).plan
        what_if = preview.changed(inputs, query.changes)
        seconds = self._settings.preview_time_limit_seconds
        outcomes = []
        for plan_inputs in (inputs, what_if):
            decision = await self._solve(query.tenant_id, plan_inputs, seconds)
            outcomes.append(preview.outcome(decision.offers, decision.unplaced, decision.solution))
        return preview.compare(query.changes, *outcomes)

    async def _solve(self, tenant_id: str, inputs: PlanInputs, time_limit: float,
                     progress: Progress | None = None) -> Decision:
        """Rules, solve and explanations are CPU work: off the event loop, so replies and acks
        keep flowing while a city is planned; with `progress`, reported once a second."""
        async with self._one_solve:
            work = asyncio.get_running_loop().run_in_executor(
                self._planning, self._decide, inputs, load_taxonomy(tenant_id),
                load_policy(tenant_id), time_limit, progress)
            told = time.monotonic()
            while progress is not None and not work.done():
                await asyncio.wait({work}, timeout=TICK_SECONDS)
                if self._overdue(tenant_id):
                    progress.stop.set()  # changes in any city wait behind this solve
                if work.done() or time.monotonic() - told < PROGRESS_EVERY_SECONDS:
                    continue
                told = time.monotonic()
                if progress.news():
                    news = PlanProgressed(producer=PRODUCER, tenant_id=tenant_id,
                                          progress=progress.snapshot())
                    await self._database(partial(self._emit, news))
            return await work

    def _emit(self, event: PlanProgressed) -> None:
        with self._unit_of_work() as uow:
            uow.emit(event)
            uow.commit()

    def _decide(self, inputs: PlanInputs, taxonomy: Taxonomy, policy: Policy, time_limit: float,
                progress: Progress | None) -> Decision:
        memory = (self._weighed.setdefault(progress.tenant_id, PairingMemory())
                  if progress is not None else None)  # a what-if's parks are not the city's
        eligible, excluded = pairings(inputs, taxonomy, policy, memory)
        instance = to_instance(inputs, eligible, policy, self._settings.move_penalty)
        solution = self._solver.submit(
            solve, instance, time_limit, workers=self._settings.solver_workers,
            on_improvement=progress.improved if progress else None,
            on_bound=progress.bounded if progress else None,
            stop=progress.stop if progress else None).result()
        if progress is not None:
            progress.solved_at = time.monotonic()
        ended_early = progress is not None and progress.stop.is_set()
        offers, unplaced = decide(inputs, eligible, excluded, solution, policy, taxonomy)
        return Decision(offers, unplaced, solution, fingerprint(instance), ended_early)
