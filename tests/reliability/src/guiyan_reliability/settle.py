"""Waiting for the system to settle after a scenario, within a deadline: a system that does not
settle is a failure to report, never a reason to wait for ever.

Settled means, twice in a row a second apart, with no stream growing in between:
- the portal's health check answers 200;
- no plan is being solved and no change waits to be planned;
- every project has left `submitted` (it has a live proposal or a reason it is unplaced);
- every outbox is published and every durable consumer has nothing pending or unacknowledged.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx

from . import bus, records
from .system import System

CHECK_EVERY_SECONDS = 1.0


@dataclass(frozen=True)
class Settled:
    ok: bool
    seconds: float
    outstanding: list[str]  # what was still under way when the wait ended (nothing if ok)


def outstanding(system: System) -> list[str]:
    """What the system is still doing, in words; empty when it is done."""
    staff = {"Authorization": f"Bearer {system.tokens['staff']}"}
    try:
        health = httpx.get(f"{system.portal_url}/healthz/system", timeout=10)
        if health.status_code != 200:
            return [f"healthz/system {health.status_code}: {health.text[:200]}"]
        status = httpx.get(f"{system.portal_url}/api/v1/plans/current", headers=staff,
                           timeout=10)
        status.raise_for_status()
        planning = status.json()
        waiting = records.projects_waiting(system)
        outboxes = records.outbox_backlog(system)
        backlogs = asyncio.run(bus.backlogs(system.bus))
    except Exception as error:  # a database or the bus not answering yet: not settled
        return [f"could not look: {error!r}"[:300]]
    found = []
    if planning["solving"] is not None:
        found.append("a plan is being solved")
    if planning["queued_triggers"]:
        found.append(f"{planning['queued_triggers']} changes wait to be planned")
    if waiting:
        found.append(f"{waiting} projects still submitted")
    found += [f"{service} outbox: {count} unpublished" for service, count in outboxes.items()
              if count]
    found += [f"{durable}: {b.pending} pending, {b.unacknowledged} unacknowledged"
              for durable, b in backlogs.items() if b.pending or b.unacknowledged]
    return found


def settle(system: System, timeout: float) -> Settled:
    started = time.monotonic()
    quiet_since: dict[str, int] | None = None  # the streams' sequences when last found done
    while True:
        left = outstanding(system)
        try:
            sequences = records.stream_sequences(system)
        except Exception as error:
            left, sequences = [*left, f"could not read the streams: {error!r}"], {}
        if not left and sequences == quiet_since:
            return Settled(True, time.monotonic() - started, [])
        quiet_since = None if left else sequences
        if time.monotonic() - started > timeout:
            return Settled(False, time.monotonic() - started,
                           left or ["the streams were still growing"])
        time.sleep(CHECK_EVERY_SECONDS)
