"""The faults, one function per scenario. Each runs in a thread of its own beside the burst, on a
schedule drawn from the scenario's seeded random generator, and returns how many faults it
injected (a scenario's runs).

The burst is spread over the schedule (`FaultContext.progress`): each fault gets a slice of the
submissions, sent in the second before it strikes and the moments after, so that every fault
finds requests on their way (the more at once, the likelier one is caught between a commit and
its reply) and more arrive while it lasts. A process fault ends when the system answers its
health check again; the next strikes 0.5-4 s later, once the restarted service has taken up its
work.
"""

from __future__ import annotations

import asyncio
import json
import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from guiyan_contracts import matching, registry
from guiyan_contracts.matching import ProposalOffered
from guiyan_contracts.models import Park, Project, User

from . import bus, forge
from .load import Burst
from .system import System

RECOVERY_SECONDS = 120.0  # a restarted process has this long to be healthy again
MAX_DOWN_SECONDS = 3.0  # a killed process stays down between 0 and this long
# Long enough for a restarted service to take up its work (matching plans the city on start,
# and managers decide the offers it makes), so that the next kill interrupts some of it.
KILL_AFTER_HEALTHY_SECONDS = (0.5, 4.0)
# A fault's slice of the submissions goes out from this long before it strikes to this long after.
SLICE_BEFORE_STRIKE_SECONDS, SLICE_AFTER_STRIKE_SECONDS = 1.0, MAX_DOWN_SECONDS / 2
GENUINE_RECORDS_SECONDS = 60.0


@dataclass(frozen=True)
class Injected:
    """A message a fault published itself, and where the stream stored it."""

    stream: str
    sequence: int
    subject: str
    kind: str
    event_id: str | None


@dataclass
class FaultContext:
    system: System
    rng: random.Random
    burst_seconds: float  # the burst's planned length: one-off faults are spread over it
    # What the client was told. A scenario that writes through the API itself (a fuzzer, say)
    # adds what it was acknowledged, so that the invariants account for its writes.
    burst: Burst = field(default_factory=Burst)
    injected: list[Injected] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)  # what was done, when, for the report
    started: float = field(default_factory=time.monotonic)
    planned: int = 0  # faults the scenario will inject, once it knows
    done: int = 0
    interval_started: float = field(default_factory=time.monotonic)  # since the last fault ended
    strike_at: float | None = None  # when the next fault strikes, once drawn

    def plan(self, faults: int) -> None:
        self.planned = faults

    def progress(self) -> float | None:
        """The share of the burst that should have gone out by now (None until the scenario
        says how many faults it plans): one slice per fault, spread around its strike, and a
        last slice after the last fault."""
        if not self.planned:
            return None
        within = 0.0
        if self.strike_at is not None:
            opens = max(self.interval_started, self.strike_at - SLICE_BEFORE_STRIKE_SECONDS)
            closes = self.strike_at + SLICE_AFTER_STRIKE_SECONDS
            within = min(1.0, max(0.0, (time.monotonic() - opens) / (closes - opens)))
        return (self.done + within) / (self.planned + 1)

    def note(self, what: str) -> None:
        self.timeline.append(f"{time.monotonic() - self.started:7.2f}s {what}")

    def strike_in(self, seconds: float) -> None:
        """Wait until the next fault strikes."""
        self.strike_at = time.monotonic() + seconds
        time.sleep(seconds)

    def spread_over_burst(self, faults: int) -> None:
        """Wait until the next of `faults` one-off faults, spreading them over the burst."""
        self.strike_in(self.rng.uniform(0.5, 1.5) * self.burst_seconds / (faults + 1))

    def fault_over(self) -> None:
        self.done += 1
        self.interval_started, self.strike_at = time.monotonic(), None

    def recover(self) -> None:
        """Wait for the system to be healthy again: the fault is over."""
        self.system.stack.wait_healthy(RECOVERY_SECONDS)
        self.note("healthy")
        self.fault_over()


def kill_service(context: FaultContext, service: str, kills: int) -> int:
    """SIGKILL the service `kills` times, each time restarted after 0-3 s."""
    stack = context.system.stack
    context.plan(kills)
    for _ in range(kills):
        context.strike_in(context.rng.uniform(*KILL_AFTER_HEALTHY_SECONDS))
        stack.kill_service(service, signal.SIGKILL)
        context.note(f"killed {service}")
        time.sleep(context.rng.uniform(0.0, MAX_DOWN_SECONDS))
        stack.start_service(service)
        context.note(f"started {service}")
        context.recover()
    return kills


def restart_nats(context: FaultContext, restarts: int) -> int:
    """SIGKILL the nats-server, and start it again after 0-3 s on the same port and store."""
    stack = context.system.stack

    def kill() -> None:
        assert stack.nats is not None
        stack.nats.send_signal(signal.SIGKILL)
        stack.nats.wait(30)

    return _down_and_up(context, restarts, "nats-server (SIGKILL)", kill, stack.start_nats)


def restart_postgres(context: FaultContext, restarts: int) -> int:
    """Stop PostgreSQL with `-m immediate` (a crash, to the data), and start it after 0-3 s."""
    cluster = context.system.cluster
    if cluster is None:
        raise ValueError("this scenario needs the PostgreSQL store")
    return _down_and_up(context, restarts, "PostgreSQL (-m immediate)", cluster.crash,
                        cluster.start)


def _down_and_up(context: FaultContext, times: int, what: str, stop: Callable[[], None],
                 start: Callable[[], None]) -> int:
    """`times` outages of one server, each with its slice of the burst around it."""
    context.plan(times)
    for _ in range(times):
        context.spread_over_burst(times)
        stop()
        context.note(f"stopped {what}")
        time.sleep(context.rng.uniform(0.0, MAX_DOWN_SECONDS))
        start()
        context.note(f"started {what}")
        context.recover()
    return times


def publish_poison(context: FaultContext) -> int:
    """Poison on every subject a durable consumer reads, spread over the burst."""
    consumed = asyncio.run(bus.consumed_subjects(context.system.bus))
    messages = [message for subject in sorted(consumed) for message in forge.poison(subject)]
    return inject(context, messages)


def publish_forged(context: FaultContext) -> int:
    """The forged park updates and unconfigured-city events, once the system has published the
    genuine records they are made from."""
    genuine = wait_for_genuine_records(context)
    consumed = asyncio.run(bus.consumed_subjects(context.system.bus))
    return inject(context, forge.forged_messages(genuine, sorted(consumed)))


def inject(context: FaultContext, messages: list[forge.Message]) -> int:
    context.plan(len(messages))
    for message in messages:
        context.spread_over_burst(len(messages))
        stream, sequence = asyncio.run(bus.publish(context.system.bus, message.subject,
                                                   message.data))
        context.injected.append(Injected(stream, sequence, message.subject, message.kind,
                                         message.event_id))
        context.note(f"published {message.kind} on {message.subject}")
        context.fault_over()
    return len(messages)


def wait_for_genuine_records(context: FaultContext) -> forge.Genuine:
    """A project, a user and an offer as the system published them, and the offer's park as
    registry has it: a park with offers, so that a forged update taken would show."""
    wanted = {"project": (registry.STREAM, registry.ProjectSubmitted),
              "user": (registry.STREAM, registry.UserRegistered),
              "offer": (matching.STREAM, ProposalOffered)}
    deadline = time.monotonic() + GENUINE_RECORDS_SECONDS
    while True:
        found = {name: asyncio.run(bus.last_message(context.system.bus, stream, kind.SUBJECT))
                 for name, (stream, kind) in wanted.items()}
        if all(found.values()):
            break
        if time.monotonic() > deadline:
            missing = ", ".join(name for name, data in found.items() if not data)
            raise TimeoutError(f"no genuine {missing} was published within "
                               f"{GENUINE_RECORDS_SECONDS:.0f} s")
        time.sleep(0.5)
    offer = ProposalOffered.model_validate_json(found["offer"])  # type: ignore[arg-type]
    park = httpx.get(f"{context.system.portal_url}/api/v1/parks/{offer.proposal.park_id}",
                     headers={"Authorization": f"Bearer {context.system.tokens['admin']}"},
                     timeout=30)
    park.raise_for_status()
    return forge.Genuine(
        park=Park.model_validate(park.json()),
        project=Project.model_validate(json.loads(found["project"])["project"]),  # type: ignore[arg-type]
        user=User.model_validate(json.loads(found["user"])["user"]),  # type: ignore[arg-type]
        offer=offer)
