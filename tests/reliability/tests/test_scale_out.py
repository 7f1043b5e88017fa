"""The cluster deployment's guarantees on real nats-servers (slow: `make reliability` runs them):

- matching's leadership: of two replicas one plans the city; a leader cut off from NATS stops
  its solve and writes nothing, and the standby, once the lease has lapsed, plans every change
  recorded meanwhile, the one recorded while the leader was dying included;
- a 3-node cluster with R3 streams: a node killed during a burst loses no event, and none is
  stored or handled twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import func
from sqlmodel import Field, SQLModel, select

from guiyan_contracts.envelope import Event, utc_now
from guiyan_contracts.models import Park, Plan, Project
from guiyan_contracts.registry import STREAM, ParkRegistered, ProjectSubmitted
from guiyan_devstack.load import parks, projects
from guiyan_eventing.bus import BusSettings, connect
from guiyan_eventing.db import make_engine
from guiyan_eventing.identities import (
    HARNESS,
    OPS,
    SYSTEM,
    authorization,
    issue_identities,
    seed_file,
)
from guiyan_eventing.leases import Leases, lease_bucket, open_lease_store
from guiyan_eventing.natsd import cluster_block, free_port, start_nats_server
from guiyan_eventing.runtime import Service
from guiyan_eventing.schema import Tables
from guiyan_eventing.settings import ServiceSettings
from guiyan_eventing.streams import declare_streams
from guiyan_eventing.unit_of_work import SqlUnitOfWork
from guiyan_matching.adapters.orm import TABLES
from guiyan_matching.adapters.unit_of_work import MatchingUnitOfWork
from guiyan_matching.config import MatchingSettings
from guiyan_matching.service_layer import handlers
from guiyan_matching.service_layer.plan_requests import asking_for_a_plan
from guiyan_matching.service_layer.planner import Planner

pytestmark = pytest.mark.reliability
LEASE_SECONDS = 2.0


async def eventually(check: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not in {timeout} s: {what}")
        await asyncio.sleep(0.05)


@pytest.fixture
def identities(tmp_path: Path) -> tuple[Path, str]:
    """Seed files of every identity, and the servers' authorization block for them."""
    directory = tmp_path / "identities"
    return directory, authorization(issue_identities(directory, (*SYSTEM, HARNESS)))


def bus(url: str, identities: Path, identity: str) -> BusSettings:
    return BusSettings(nats_url=url, nats_seed_file=seed_file(identities, identity))


async def declared(settings: BusSettings, replicas: int) -> None:
    """Declare the streams as `ops` does, once the servers' JetStream answers (a cluster
    elects its meta leader first)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            await declare_streams(settings, OPS, replicas=replicas, lease_seconds=LEASE_SECONDS)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


def stop(*servers: subprocess.Popen[bytes]) -> None:
    for server in servers:
        if server.poll() is None:
            server.terminate()
            server.wait(10)


# --- matching's leadership -------------------------------------------------------------------

class Replica(Planner):
    """A matching replica's planning: its lease keeper and its planner, with what it wrote. While
    `holding_on` is set, a solve runs until the lease's loss stops it, as a province's long solve
    would (changes waiting behind it do not end it early)."""

    holding_on = False

    def __init__(self, name: str, uow: Callable[[], MatchingUnitOfWork]) -> None:
        super().__init__(uow, MatchingSettings(plan_debounce_seconds=0.1, plan_poll_seconds=0.1,
                                               solver_time_limit_seconds=1,
                                               expiry_sweep_seconds=0.5))
        self.name = name
        self.leases = Leases(["heze"], name, won=self.lead, lost=self.step_down)
        self.written: list[Plan] = []
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self, url: str, identities: Path) -> None:
        self.connection = await connect(bus(url, identities, "matching"), "matching")
        store, ttl = await open_lease_store(self.connection, lease_bucket("matching"))
        self._tasks = [asyncio.create_task(self.leases.keep(store, ttl)),
                       asyncio.create_task(self.run()), asyncio.create_task(self.sweep())]

    def solving(self) -> bool:
        return "heze" in self._solving

    async def cut_off(self) -> None:
        """The replica loses NATS (its renewals fail from now on), and goes on running."""
        await self.connection.close()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if not self.connection.is_closed:
            await self.connection.close()

    def _decide(self, inputs, taxonomy, policy, time_limit, progress):
        while self.holding_on and not progress.stop.is_set():
            time.sleep(0.01)
        return super()._decide(inputs, taxonomy, policy, time_limit, progress)

    def _overdue(self, tenant_id):
        return not self.holding_on and super()._overdue(tenant_id)

    def _write(self, solved, term, requests):
        plan = super()._write(solved, term, requests)
        self.written.append(plan)
        return plan


def city(uow: Callable[[], MatchingUnitOfWork], *events: Event) -> None:
    """Events as a replica's consumer handles them: each change with its plan request."""
    for event in events:
        handle = (handlers.record_park if isinstance(event, ParkRegistered)
                  else handlers.record_project)
        with uow() as unit:
            asking_for_a_plan(handle, type(event).__name__, lambda e: str(e.event_id))(event, unit)
            unit.commit()


def park_registered(index: int) -> ParkRegistered:
    park = Park(**parks("heze", index + 1)[index], tenant_id="heze", created_at=utc_now())
    return ParkRegistered(producer="registry", tenant_id="heze", park=park)


def submitted(index: int) -> ProjectSubmitted:
    body = projects("heze", index + 1)[index]
    return ProjectSubmitted(producer="registry", tenant_id="heze", project=Project(
        **body, tenant_id="heze", submitted_by="staff", submitted_at=utc_now()))


def planned(replica: Replica, *events: Event) -> bool:
    """Whether plans the replica wrote were asked for by each of `events`."""
    refs = {trigger.ref for plan in replica.written for trigger in plan.triggers}
    return {str(event.event_id) for event in events} <= refs


@pytest.fixture
def matching_store(tmp_path: Path) -> Iterator[Callable[[], MatchingUnitOfWork]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'matching.db'}")
    Tables(TABLES).prepare(engine)
    yield lambda: MatchingUnitOfWork(engine)
    engine.dispose()


async def test_one_replica_plans_the_city_and_the_standby_takes_over_losing_nothing(
        tmp_path: Path, identities: tuple[Path, str], matching_store) -> None:
    seeds, authorized = identities
    port = free_port()
    server = start_nats_server(tmp_path / "nats", port, free_port(), authorization=authorized)
    url = f"nats://127.0.0.1:{port}"
    uow = matching_store
    first, second = Replica("matching-a", uow), Replica("matching-b", uow)
    try:
        await declared(bus(url, seeds, OPS), replicas=1)
        opening = [*(park_registered(i) for i in range(12)), submitted(0)]
        city(uow, *opening)
        await first.start(url, seeds)
        await eventually(lambda: planned(first, *opening), 20,
                         "the first replica to start plans the city")
        await second.start(url, seeds)
        later = submitted(1)
        city(uow, later)
        await eventually(lambda: planned(first, later), 20, "the leader plans each change")
        await asyncio.sleep(LEASE_SECONDS)  # rounds of both keepers
        assert second.leases.held() == {} and second.written == []
        assert "heze" in first.leases.held()

        first.holding_on = True  # the leader's next solve runs long
        third, fourth = submitted(2), submitted(3)
        city(uow, third)
        await eventually(first.solving, 10, "the leader solves")
        city(uow, fourth)  # recorded while the leader is dying
        await first.cut_off()
        await eventually(lambda: not first.solving(), LEASE_SECONDS,
                         "the leader stops its solve before its lease can lapse")
        written_by_first = len(first.written)
        await eventually(lambda: planned(second, third, fourth), 6 * LEASE_SECONDS,
                         "the standby takes the lapsed lease and plans what waited")
        assert len(first.written) == written_by_first  # the cut-off leader wrote nothing more
        assert not planned(first, third) and not planned(first, fourth)
        with uow() as unit:
            assert unit.plan_queue.waiting(["heze"]) == []  # each request deleted with its plan
            assert (unit.city_planning.term("heze") or "").startswith("matching-b#")
    finally:
        for replica in (first, second):
            with contextlib.suppress(Exception):
                await replica.stop()
        stop(server)


# --- a 3-node cluster ------------------------------------------------------------------------

class Burst(Event):
    """A stand-in event on the registry stream."""

    SUBJECT: ClassVar[str] = "guiyan.registry.scale_out.burst.v1"
    n: int


class Heard(SQLModel, table=True):
    __tablename__ = "test_scale_out_heard"
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=36)


EVENTS, PER_COMMIT = 600, 20


async def test_a_node_of_three_killed_during_a_burst_loses_and_doubles_no_event(
        tmp_path: Path, identities: tuple[Path, str]) -> None:
    seeds, authorized = identities
    ports, routes = [free_port() for _ in range(3)], [free_port() for _ in range(3)]
    nodes = [start_nats_server(tmp_path / f"n{i}", ports[i], free_port(),
                               authorization=authorized,
                               cluster=cluster_block(f"n{i}", "guiyan", routes[i], routes))
             for i in range(3)]
    url = ",".join(f"nats://127.0.0.1:{port}" for port in ports)
    producer = Service("registry", ServiceSettings(
        **bus(url, seeds, HARNESS).model_dump(), database_url=f"sqlite:///{tmp_path / 'r.db'}",
        outbox_ack_timeout_seconds=2), Tables([]), SqlUnitOfWork)
    listener = Service("listener", ServiceSettings(
        **bus(url, seeds, HARNESS).model_dump(), database_url=f"sqlite:///{tmp_path / 'l.db'}",
        ack_wait_seconds=5), Tables([Heard]), SqlUnitOfWork)
    listener.on_event(Burst, lambda event, uow: uow.session.add(Heard(event_id=str(event.event_id))))
    emitted: list[str] = []

    def heard() -> int:
        with listener.uow() as uow:
            return uow.session.exec(select(func.count()).select_from(Heard)).one()

    try:
        await declared(bus(url, seeds, OPS), replicas=3)
        async with producer.app(), listener.app():
            for commit in range(EVENTS // PER_COMMIT):
                if commit == EVENTS // PER_COMMIT // 3:
                    nodes[0].kill()  # the node both services first connected to
                with producer.uow() as uow:
                    batch = [Burst(producer="registry", tenant_id="heze", n=commit * PER_COMMIT + i)
                             for i in range(PER_COMMIT)]
                    uow.emit_all(batch)
                    uow.commit()
                emitted += [str(event.event_id) for event in batch]
                await asyncio.sleep(0.05)
            await eventually(lambda: heard() >= EVENTS, 90, "every event handled")
            await asyncio.sleep(1.0)  # a second handling would have come by now
            connection = await connect(bus(url, seeds, HARNESS), HARNESS)
            try:
                info = await connection.jetstream().stream_info(STREAM,
                                                                subjects_filter=Burst.SUBJECT)
            finally:
                await connection.close()
        with listener.uow() as uow:
            handled = list(uow.session.exec(select(Heard.event_id)))
        assert sorted(handled) == sorted(emitted)  # each once, none lost
        assert info.config.num_replicas == 3
        assert info.state.subjects == {Burst.SUBJECT: EVENTS}  # each stored once
    finally:
        stop(*nodes)
