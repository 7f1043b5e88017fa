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

A city is planned by the replica that holds its lease (`guiyan_eventing.leases`; `lead` and
`step_down` are its callbacks), under the lease's term: the term is claimed in the database when
the lease is won (only over an older lease revision, so a claim that waited behind a newer
leader's takes nothing from it), and a plan, or the news of a solve under way, is written only
in a transaction that finds its own term there, so a replica that lost the lease while it solved
writes nothing. Losing the lease stops the solve
under way. The changes that ask for plans are rows in the database (`PlanQueue`), written with
the changes themselves by whichever replica heard of them; the leader looks at them when told
of a change made here (`nudge`; while a solve runs, only if none waits yet), and every
`plan_poll_seconds` for those made elsewhere, and deletes them with the plan that covers them.
In a single process the lease is always won.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
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
    SolveProgress,
)
from guiyan_contracts.system import Problem
from guiyan_contracts.taxonomy import Taxonomy, load_taxonomy
from guiyan_eventing.database_thread import RunsDatabaseWork, in_place
from guiyan_eventing.leases import term_revision

from ..adapters.plan_queue import PlanRequest
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


class NotLeading(Exception):
    """The city's lease passed to another term while its plan was solved: nothing is written."""

    def __init__(self, tenant_id: str, term: str | None) -> None:
        super().__init__(tenant_id)
        self.tenant_id, self.term = tenant_id, term  # the term the plan was solved under


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
        self._pending: dict[str, list[PlanRequest]] = {}  # led cities' requests, none taken
        self._taken: set[int] = set()  # requests of the round of plans under way
        self._terms: dict[str, str] = {}  # tenant → the term of the lease it is led under here
        self._looked = -math.inf  # monotonic: when the requests were last read
        self._nudged = False  # a change made here has asked for a plan since then
        self._wake = asyncio.Event()
        self._one_solve = asyncio.Lock()
        self._solving: dict[str, Progress] = {}  # tenant → its plan being solved
        self._writing: dict[str, float] = {}  # tenant → its last plan's solve's end to commit, s
        self._solver = solver_thread(settings.solver_niceness)
        self._planning = ThreadPoolExecutor(1, thread_name_prefix="planning")
        self._weighed: dict[str, PairingMemory] = {}  # tenant → its last plan's pairs
        self._failing: dict[str, Failing] = {}
        self._set_aside: dict[str, list[SetAside]] = {}  # tenant → what its last plan left out
        self._fenced_out: dict[str, str] = {}  # tenant → a term held here that the database has not

    def nudge(self) -> None:
        """A change made here asked for a plan: read the requests now, not at the next poll."""
        self._nudged = True
        self._wake.set()

    async def lead(self, tenant_id: str, term: str) -> None:
        """This replica won the city's lease: claim its term, and plan it once to catch up on
        whatever changed while it was led elsewhere, or by no one."""
        if not await self._database(lambda: self._claim(tenant_id, term)):
            log.warning("won the lease of %s as %s, but the city is claimed under a newer term: "
                        "not planning it", tenant_id, term)
            return
        self._terms[tenant_id] = term
        self.nudge()

    def step_down(self, tenant_id: str) -> None:
        """The city's lease is lost: stop planning it at once, and its solve under way."""
        self._terms.pop(tenant_id, None)
        self._pending.pop(tenant_id, None)
        self._weighed.pop(tenant_id, None)
        self._failing.pop(tenant_id, None)  # health names only the cities planned here
        self._set_aside.pop(tenant_id, None)
        self._fenced_out.pop(tenant_id, None)
        if (progress := self._solving.get(tenant_id)) is not None:
            progress.stop.set()

    async def run(self) -> None:
        while True:
            await self._look()
            if not self._due():  # nothing waits, or only cities waiting out a failure
                self._wake.clear()
                if not self._nudged:  # else a change made during the read may not be in it
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self._until_next_look()):
                            await self._wake.wait()
                continue
            await asyncio.sleep(max(0.0, self._settings.plan_debounce_seconds - self._waited()))
            await self._look()
            batches = {tenant_id: self._pending.pop(tenant_id) for tenant_id in self._due()}
            self._taken = {request.id for batch in batches.values() for request in batch}
            for tenant_id in sorted(batches):
                try:
                    if tenant_id in self._terms:
                        await self.plan(tenant_id, batches[tenant_id])
                except NotLeading as error:
                    self._not_leading(error)
                except Exception as error:  # its requests wait in the database for the retry
                    self._failed(tenant_id, error)
                else:
                    self._failing.pop(tenant_id, None)
                    self._fenced_out.pop(tenant_id, None)
            self._taken = set()

    async def _look(self) -> None:
        """Read the requests waiting for the cities led here, but those being planned."""
        self._nudged = False  # before the read: a nudge during it is for a change it may miss
        led = list(self._terms)
        waiting = await self._database(lambda: self._waiting(led))
        self._looked = time.monotonic()
        pending: dict[str, list[PlanRequest]] = {}
        for request in waiting:
            if request.id not in self._taken and request.tenant_id in self._terms:
                pending.setdefault(request.tenant_id, []).append(request)
        self._pending = pending

    def _look_due(self) -> bool:
        """While a solve runs, the requests are read to know how long the oldest change has
        waited (`_overdue`): at once when a change made here asks for a plan and none waits yet,
        and else once a poll, for changes made elsewhere. A change that arrives while another
        waits cannot make the wait longer, so a burst of them does not read the whole queue
        every tick (measured: docs/performance.md, "matching: the queue read once a poll while
        a solve runs"). That holds while changes are timed in the order they are read; one
        timed earlier by a replica whose clock runs behind is read at the poll, so a solve may
        end up to a poll later than it would have."""
        polled = time.monotonic() - self._looked >= self._settings.plan_poll_seconds
        return polled or (self._nudged and not self._due())

    def _until_next_look(self) -> float:
        until_retry = self._until_retry()
        return min(self._settings.plan_poll_seconds,
                   math.inf if until_retry is None else until_retry)

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

    def _not_leading(self, error: NotLeading) -> None:
        """A plan found another term in the database. Expected when the lease has passed on
        here too; while this replica still holds the lease under that term, its plans are all
        thrown away: the database and the lease bucket disagree on who leads."""
        if error.term is None or self._terms.get(error.tenant_id) != error.term:
            log.info("planning %s ended: its lease passed to another replica", error.tenant_id)
            return
        log.warning("planning %s under %s was not written: the database has the city under "
                    "another term while this replica holds its lease", error.tenant_id, error.term)
        self._fenced_out[error.tenant_id] = error.term

    def problems(self) -> list[Problem]:
        """For health: records set aside, cities whose plans fail, and cities led here whose
        plans the database refuses."""
        found = [Problem(service=PRODUCER, city=tenant_id, item=f"{each.kind} {each.record_id}",
                         reason=f"set aside, its record cannot be read: {each.reason}")
                 for tenant_id, aside in sorted(self._set_aside.items()) for each in aside]
        return found + [Problem(service=PRODUCER, city=tenant_id, item="planning",
                                reason=f"failed {failing.attempts} times ({failing.kind}); "
                                       "the log has the error")
                        for tenant_id, failing in sorted(self._failing.items())] + [
            Problem(service=PRODUCER, city=tenant_id, item="planning",
                    reason=f"its lease is held here as {term}, but the database has the city "
                           "under another term: its plans are not written")
            for tenant_id, term in sorted(self._fenced_out.items())]

    def _waited(self) -> float:
        """Seconds the longest-waiting change has waited to be planned. A city waiting out a
        failure counts from when its retry came due, not from its changes' first arrival: else
        each retry would end the solve under way of a healthy city."""
        now, moment = time.monotonic(), utc_now()
        waits = []
        for tenant_id in self._due():
            if (failing := self._failing.get(tenant_id)) is not None:
                waits.append(now - failing.retry_at)
            elif requests := self._pending[tenant_id]:
                waits.append((moment - requests[0].trigger.at).total_seconds())
        return max(waits, default=0.0)

    def _overdue(self, tenant_id: str) -> bool:
        """Whether changes wait behind the solve under way that would wait more than a window if
        it ran on, given that its plan must still be written (for as long as the city's last one
        took, but never more than half a window, so that one slow write does not starve solves)."""
        window = self._settings.plan_debounce_seconds
        writing = min(self._writing.get(tenant_id, 0.0), window / 2)
        return self._waited() + writing >= window  # nothing waiting has waited 0 s

    async def sweep(self) -> None:
        """Every `expiry_sweep_seconds`, in the cities led here: remind before offers lapse,
        expire them when they do, and ask for plans of the cities whose offers expired."""
        while True:
            if self._terms:
                swept = await self._database(partial(self._sweep, dict(self._terms)))
                if swept.expired_tenants:
                    self.nudge()
            await asyncio.sleep(self._settings.expiry_sweep_seconds)

    async def status(self, tenant_id: str) -> PlanningStatus:
        """From the database, so that every replica tells the same."""
        return await self._database(lambda: self._status(tenant_id))

    async def plan(self, tenant_id: str, requests: list[PlanRequest] | None = None) -> Plan | None:
        """Plan one city, and settle the requests the plan covers; None when it has nothing to
        place. `NotLeading` when the city's lease passed to another term meanwhile."""
        requests = requests or []
        covered = {request.id for request in requests}
        self._taken |= covered  # not waiting behind this plan: in it
        try:
            return await self._plan(tenant_id, requests)
        finally:
            self._taken -= covered

    async def _plan(self, tenant_id: str, requests: list[PlanRequest]) -> Plan | None:
        triggers = [request.trigger for request in requests]
        term = self._terms.get(tenant_id)
        mode = self._settings.plan_mode
        inputs = await self._database(lambda: self._load(tenant_id, mode))
        self._note_set_aside(tenant_id, inputs.set_aside)
        if not inputs.plan.open_projects:
            await self._database(lambda: self._settle(tenant_id, term, requests))
            return None
        progress = Progress(tenant_id, len(triggers), self._settings.solver_time_limit_seconds)
        self._solving[tenant_id] = progress
        plan = None
        try:
            await self._database(partial(self._tell, tenant_id, term, progress.snapshot(), None))
            decision = await self._solve(tenant_id, inputs.plan, progress.time_limit, progress)
            if self._terms.get(tenant_id) != term:
                raise NotLeading(tenant_id, term)
            solved = Solved(progress.plan_id, tenant_id, progress.started_at, triggers, mode,
                            inputs, decision)
            plan = await self._database(lambda: self._write(solved, term, requests))
        finally:
            del self._solving[tenant_id]
            if plan is None:  # the plan was not written, nor the end of its solve with it
                with contextlib.suppress(Exception):
                    await self._database(partial(self._tell, tenant_id, term, None, None))
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

    def _claim(self, tenant_id: str, term: str) -> bool:
        with self._unit_of_work() as uow:
            if not uow.city_planning.claim(tenant_id, term, term_revision(term)):
                return False
            uow.plan_queue.add(tenant_id, "startup")
            uow.commit()
        return True

    def _waiting(self, tenants: list[str]) -> list[PlanRequest]:
        with self._unit_of_work() as uow:
            return uow.plan_queue.waiting(tenants)

    def _status(self, tenant_id: str) -> PlanningStatus:
        with self._unit_of_work() as uow:
            solving = uow.city_planning.solving(tenant_id)
            queued = uow.plan_queue.count(tenant_id)
        taken = solving.triggers_total if solving is not None else 0  # the solve's own
        return PlanningStatus(solving=solving, queued_triggers=max(0, queued - taken))

    def _sweep(self, terms: dict[str, str]) -> Sweep:
        """Only in the cities still led under `terms` (their rows locked till the commit)."""
        with self._unit_of_work() as uow:
            led = [tenant_id for tenant_id, term in terms.items()
                   if uow.city_planning.term(tenant_id, for_update=True) == term]
            swept = sweep(uow, timedelta(seconds=self._settings.offer_reminder_seconds), led)
            for tenant_id in swept.expired_tenants:
                uow.plan_queue.add(tenant_id, "ProposalExpired")
            uow.commit()
        return swept

    def _load(self, tenant_id: str, mode: str) -> Inputs:
        with self._unit_of_work() as uow:
            return load_inputs(uow, tenant_id, self._today(), mode)

    def _write(self, solved: Solved, term: str | None, requests: list[PlanRequest]) -> Plan:
        with self._unit_of_work() as uow:
            self._fence(uow, solved.tenant_id, term)
            plan = write_plan(uow, solved, timedelta(seconds=self._settings.offer_ttl_seconds))
            self._covered(uow, solved.tenant_id, requests)
            uow.commit()
        return plan

    def _settle(self, tenant_id: str, term: str | None, requests: list[PlanRequest]) -> None:
        """Requests for a city with nothing to place: covered all the same."""
        with self._unit_of_work() as uow:
            self._fence(uow, tenant_id, term)
            self._covered(uow, tenant_id, requests)
            uow.commit()

    @staticmethod
    def _fence(uow: MatchingUnitOfWork, tenant_id: str, term: str | None) -> None:
        """The city is still planned under `term`, and stays so until this transaction ends."""
        if uow.city_planning.term(tenant_id, for_update=True) != term:
            raise NotLeading(tenant_id, term)

    @staticmethod
    def _covered(uow: MatchingUnitOfWork, tenant_id: str, requests: list[PlanRequest]) -> None:
        uow.plan_queue.remove([request.id for request in requests])
        uow.city_planning.note_solving(tenant_id, None)

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
            term = self._terms.get(tenant_id)
            while progress is not None and not work.done():
                await asyncio.wait({work}, timeout=TICK_SECONDS)
                if self._look_due():
                    await self._look()
                if self._overdue(tenant_id):
                    progress.stop.set()  # changes in any city wait behind this solve
                if work.done() or time.monotonic() - told < PROGRESS_EVERY_SECONDS:
                    continue
                told = time.monotonic()
                snapshot = progress.snapshot()
                news = (PlanProgressed(producer=PRODUCER, tenant_id=tenant_id, progress=snapshot)
                        if progress.news() else None)
                await self._database(partial(self._tell, tenant_id, term, snapshot, news))
            return await work

    def _tell(self, tenant_id: str, term: str | None, solving: SolveProgress | None,
              news: PlanProgressed | None) -> None:
        """Keep the solve under way where every replica reads it, and publish its news; not once
        the city is led under another term, whose leader tells its own (a replica paused past
        its lease does not know it has lost it: the database does)."""
        if self._terms.get(tenant_id) != term:
            return
        with self._unit_of_work() as uow:
            try:
                self._fence(uow, tenant_id, term)
            except NotLeading:
                return
            uow.city_planning.note_solving(tenant_id, solving)
            if news is not None:
                uow.emit(news)
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
