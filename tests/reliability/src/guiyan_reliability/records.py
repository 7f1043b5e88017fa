"""What the services' databases and the streams hold, read directly: the ground truth the
invariants judge, not any service's answer about it.

The same SQL reads SQLite and PostgreSQL. The tables are each service's own; the suite reads them
as an auditor would, and writes nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, text

from guiyan_contracts.models import Park, ParkFields
from guiyan_contracts.system import DLQ_STREAM

from . import bus
from .bus import Backlog, Durable, Stored
from .system import CITY, STORED_SERVICES, System

CONSUMING_SERVICES = ("matching", "notification")


@dataclass(frozen=True)
class ProposalRecord:
    id: str
    tenant_id: str
    project_id: str
    park_id: str
    status: str
    decided_by: str | None
    # what it holds of its park: floor_m2, land_mu, slots, subsidy_yuan and each budget year's
    use: dict[str, float]


@dataclass(frozen=True)
class Stores:
    registry_projects: dict[str, tuple[str, str]]  # id → (city, name)
    registry_parks: dict[str, Park]
    registry_users: set[str]
    matching_projects: dict[str, tuple[str, bool]]  # id → (city, has an unplaced reason)
    matching_parks: dict[str, Park]
    proposals: list[ProposalRecord]
    inbox: Counter[tuple[str, str]]  # (source event id, user id) → items
    recipients: set[str]  # the users notification knows
    unpublished: dict[str, int]  # service → outbox rows not yet published
    claims: dict[str, set[str]]  # service → event ids its consumers claimed


@dataclass(frozen=True)
class Streams:
    events: list[Stored]  # GUIYAN_REGISTRY, then GUIYAN_MATCHING
    dead_letters: list[Stored]
    readers: dict[str, list[Durable]]  # subject → the durables that read it
    backlogs: dict[str, Backlog]


def rows(engine: Engine, query: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(text(query)))


def unpublished(engine: Engine) -> int:
    return rows(engine, "SELECT count(*) FROM outbox WHERE published_at IS NULL")[0][0]


def registry_park(row: Any) -> Park:
    fields = ParkFields.model_validate_json(row.fields_json).model_dump()
    return Park(id=row.id, tenant_id=row.tenant_id, created_at=row.created_at, **fields)


def read_stores(system: System) -> Stores:
    registry, matching, notification = (system.engines[s] for s in STORED_SERVICES)
    return Stores(
        registry_projects={r.id: (r.tenant_id, json.loads(r.fields_json)["name"]) for r in rows(
            registry, "SELECT id, tenant_id, fields_json FROM registry_projects")},
        registry_parks={r.id: registry_park(r) for r in rows(
            registry, "SELECT id, tenant_id, created_at, fields_json FROM registry_parks")},
        registry_users={r.id for r in rows(registry, "SELECT id FROM registry_users")},
        matching_projects={r.id: (r.tenant_id, r.unplaced_reason_en is not None) for r in rows(
            matching, "SELECT id, tenant_id, unplaced_reason_en FROM matching_projects")},
        matching_parks={r.id: Park.model_validate_json(r.snapshot_json) for r in rows(
            matching, "SELECT id, snapshot_json FROM matching_parks")},
        proposals=[ProposalRecord(r.id, r.tenant_id, r.project_id, r.park_id, r.status,
                                  r.decided_by, {"floor_m2": r.floor_m2, "land_mu": r.land_mu,
                                                 "slots": r.slots, "subsidy_yuan": r.subsidy_yuan}
                                  | json.loads(r.subsidy_by_year_json or "{}"))
                   for r in rows(matching, "SELECT id, tenant_id, project_id, park_id, status, "
                                           "decided_by, floor_m2, land_mu, slots, subsidy_yuan, "
                                           "subsidy_by_year_json FROM matching_proposals")],
        inbox=Counter((r.source_event_id, r.user_id) for r in rows(
            notification, "SELECT source_event_id, user_id FROM notification_notices"
            " WHERE user_id IS NOT NULL")),
        recipients={r.id for r in rows(notification, "SELECT id FROM notification_recipients")},
        unpublished=outbox_backlog(system),
        claims={service: {r.event_id for r in rows(system.engines[service],
                                                   "SELECT event_id FROM processed_messages")}
                for service in CONSUMING_SERVICES},
    )


async def read_streams(system: System) -> Streams:
    events = [message for stream in bus.EVENT_STREAMS
              for message in await bus.stored(system.bus, stream)]
    return Streams(events=events, dead_letters=await bus.stored(system.bus, DLQ_STREAM),
                   readers=await bus.consumed_subjects(system.bus),
                   backlogs=await bus.backlogs(system.bus))


def projects_waiting(system: System) -> int:
    """The city's projects that matching has not yet given a current state (a live proposal or a
    reason it is unplaced): those still `submitted`, as far as anyone can see."""
    registered = {r.id for r in rows(system.engines["registry"],
                                     f"SELECT id FROM registry_projects WHERE tenant_id = '{CITY}'")}
    with_state = {r.id for r in rows(system.engines["matching"], (
        "SELECT id FROM matching_projects WHERE unplaced_reason_en IS NOT NULL UNION "
        "SELECT project_id FROM matching_proposals WHERE status IN ('offered', 'accepted')"))}
    return len(registered - with_state)


def outbox_backlog(system: System) -> dict[str, int]:
    return {service: unpublished(engine) for service, engine in system.engines.items()}


def stream_sequences(system: System) -> dict[str, int]:
    return asyncio.run(bus.last_sequences(system.bus))
