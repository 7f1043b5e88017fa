"""Messages no service should act on: poison (not an event at all) and forged events (well-formed,
but naming the wrong city). They are built from records the system really published, so that a
forged event differs from a genuine one only in what it is forged to say.

- Poison: bytes that are not JSON, and JSON that is no event, on a subject a consumer reads.
- A forged `ParkUpdated` for an existing park, naming another configured city: as the event's
  city, and as the park's. It shrinks the park to almost nothing, so that if it were taken, the
  park's offers would be withdrawn for all to see.
- An event of every consumed kind for a city that is not configured here, about existing
  records (their ids kept): taken, it would overwrite them or tell their people.

Each must be parked in the dead-letter stream by every durable consumer that reads its subject,
and change nothing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from guiyan_contracts import matching, matching_v1
from guiyan_contracts.envelope import Event, utc_now
from guiyan_contracts.models import Bilingual, Park, Project, ProposalStatus, User
from guiyan_contracts.registry import (
    ParkRegistered,
    ParkUpdated,
    ProjectSubmitted,
    ProjectUpdated,
    ProjectWithdrawn,
    UserRegistered,
)

from .system import CITY, OTHER_CITY

UNCONFIGURED_CITY = "wuhan"  # a well-formed city id that no taxonomy here names
FORGER = "forger"


@dataclass(frozen=True)
class Message:
    """One message to inject, and what it is, for the report."""

    subject: str
    data: bytes
    kind: str
    event_id: str | None = None  # a forged event's; poison has none


@dataclass(frozen=True)
class Genuine:
    """Records taken from events the system published."""

    park: Park
    project: Project
    user: User
    offer: matching.ProposalOffered


def poison(subject: str) -> list[Message]:
    """Two messages no consumer can parse: not JSON, and JSON of no event's shape (in a city
    that exists, so the dead letter is filed under it)."""
    marker = uuid.uuid4().hex
    return [Message(subject, b"\x00\xff not json " + marker.encode(), "poison: not JSON"),
            Message(subject, json.dumps({"tenant_id": CITY, "poison": marker}).encode(),
                    "poison: JSON of no event's shape")]


def forged(event: Event, kind: str) -> Message:
    return Message(event.SUBJECT, event.model_dump_json().encode(), kind, str(event.event_id))


def park_moved_to_other_city(genuine: Genuine) -> list[Message]:
    """An existing park, updated as though it belonged to another city, shrunk to almost nothing."""
    shrunk = genuine.park.model_copy(update={
        "tenant_id": OTHER_CITY, "floor_m2": min(genuine.park.floor_m2, 1.0),
        "land_mu": min(genuine.park.land_mu, 1.0), "incubator_slots": 0})
    return [
        forged(ParkUpdated(producer="registry", tenant_id=OTHER_CITY, park=shrunk,
                           updated_by=FORGER),
               f"forged: ParkUpdated of a {CITY} park, for {OTHER_CITY}"),
        forged(ParkUpdated(producer="registry", tenant_id=CITY, park=shrunk, updated_by=FORGER),
               f"forged: ParkUpdated for {CITY}, of a park said to be {OTHER_CITY}'s"),
    ]


def unconfigured_city_events(genuine: Genuine) -> dict[str, Event]:
    """One event per kind any service consumes, about existing records, for a city not
    configured here; by subject."""
    city = {"tenant_id": UNCONFIGURED_CITY}
    park = genuine.park.model_copy(update=city)
    project = genuine.project.model_copy(update=city)
    proposal = genuine.offer.proposal.model_copy(update=city)
    managers, staff = genuine.offer.manager_ids, genuine.offer.submitted_by
    registry, matched = {"producer": "registry", **city}, {"producer": "matching", **city}
    decided = {"decided_at": utc_now(), "decided_by": FORGER}
    events: list[Event] = [
        ParkRegistered(**registry, park=park),
        ParkUpdated(**registry, park=park, updated_by=FORGER),
        ProjectSubmitted(**registry, project=project),
        ProjectUpdated(**registry, project=project.model_copy(update={"updated_at": utc_now()}),
                       updated_by=FORGER),
        ProjectWithdrawn(**registry, project=project.model_copy(update={
            "withdrawn_at": utc_now(), "withdrawn_reason": FORGER}), withdrawn_by=FORGER),
        UserRegistered(**registry, user=genuine.user.model_copy(update=city)),
        matching.ProposalOffered(**matched, proposal=proposal, manager_ids=managers,
                                 submitted_by=staff),
        matching.ProposalAccepted(**matched, proposal=proposal.model_copy(update={
            "status": ProposalStatus.accepted, **decided}), submitted_by=staff),
        matching.ProposalRejected(**matched, proposal=proposal.model_copy(update={
            "status": ProposalStatus.rejected, "reject_reason": FORGER, **decided}),
            submitted_by=staff),
        matching.ProposalReminded(**matched, proposal=proposal, manager_ids=managers),
        matching.ProposalExpired(**matched, proposal=proposal.model_copy(update={
            "status": ProposalStatus.expired, **decided}), manager_ids=managers,
            submitted_by=staff),
        matching.ProposalWithdrawn(**matched, proposal=proposal.model_copy(update={
            "status": ProposalStatus.withdrawn,
            "withdraw_reason": Bilingual(zh=FORGER, en=FORGER), **decided}),
            manager_ids=managers, submitted_by=staff),
        matching.ProjectUnplaced(**matched, project_id=project.id, project_name=project.name,
                        submitted_by=staff, reason_zh=FORGER, reason_en=FORGER),
    ]
    events += [version_1(older, next(e for e in events if type(e) is current))
               for older, current in matching_v1.CURRENT.items()]
    return {type(event).SUBJECT: event for event in events}


def version_1(older: type[Event], current: Event) -> Event:
    """`current` as the previous release published it (a reason joined into one string)."""
    fields = current.model_dump(mode="json") | {"schema_version": 1}
    if reason := fields["proposal"]["withdraw_reason"]:
        fields["proposal"]["withdraw_reason"] = matching_v1.JOINED.join(
            (reason["zh"], reason["en"]))
    return older.model_validate(fields)


def forged_messages(genuine: Genuine, consumed: list[str]) -> list[Message]:
    """The forged park updates, and an event for the unconfigured city on every consumed
    subject. A subject consumed that no forgery here covers is an error: the suite must learn
    of every new kind."""
    by_subject = unconfigured_city_events(genuine)
    if missing := sorted(set(consumed) - set(by_subject)):
        raise LookupError(f"no forged event for {', '.join(missing)}: add one to forge.py")
    return park_moved_to_other_city(genuine) + [
        forged(by_subject[subject], f"forged: {type(by_subject[subject]).__name__} for "
                                    f"{UNCONFIGURED_CITY}, a city not configured")
        for subject in sorted(consumed)]
