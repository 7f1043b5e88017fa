"""The invariants checked after every scenario, each a plain function of what the client was told
(the burst), what the faults injected, and what the stores and streams hold. Each returns a
`Check`: how many things it found lost, doubled and phantom, with a few examples.

- lost: something the system acknowledged, or owed in consequence, is missing (an accepted
  submission without its project, an acknowledged decision not recorded, an event without its
  inbox item, an outbox row never published, a genuine message set aside as a dead letter).
- doubled: something that must exist once exists more often (a submission stored twice, two
  current states or two live proposals for one project, two inbox items for one event and
  recipient, one step of a proposal published twice), or a park holds more than it has: a
  place promised twice over.
- phantom: a record no acknowledged request accounts for (a project nobody was told was
  accepted, a decision nobody was told was taken, a withdrawal nobody asked for, any change made
  by a forged or poison message).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from guiyan_contracts import matching, people, registry
from guiyan_contracts.models import Park, ParkFields, budget_year
from guiyan_matching.domain.rules import capacity

from .faults import Injected
from .load import Burst
from .records import Stores, Streams

EXAMPLES_KEPT = 5
LIVE = ("offered", "accepted")
# A proposal's status, and the event that says it came to be so.
STEP_EVENTS = {"accepted": matching.ProposalAccepted.SUBJECT,
               "rejected": matching.ProposalRejected.SUBJECT,
               "expired": matching.ProposalExpired.SUBJECT,
               "withdrawn": matching.ProposalWithdrawn.SUBJECT}
# Whom notification tells of each event it consumes (each person once).
RECIPIENTS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    matching.ProposalOffered.SUBJECT: lambda e: e["manager_ids"],
    matching.ProposalAccepted.SUBJECT: lambda e: [e["submitted_by"]],
    matching.ProposalRejected.SUBJECT: lambda e: [e["submitted_by"]],
    matching.ProjectUnplaced.SUBJECT: lambda e: [e["submitted_by"]],
    matching.ProposalReminded.SUBJECT: lambda e: e["manager_ids"],
    matching.ProposalExpired.SUBJECT: lambda e: [*e["manager_ids"], e["submitted_by"]],
    matching.ProposalWithdrawn.SUBJECT: lambda e: [*e["manager_ids"], e["submitted_by"]],
    people.TaskAssigned.SUBJECT: lambda e: [e["assignee_id"]],
}
CAPACITY_TOLERANCE = 1e-6


@dataclass
class Check:
    name: str
    examined: int = 0  # how many things it judged: a check of nothing passes vacuously
    lost: int = 0
    doubled: int = 0
    phantom: int = 0
    examples: list[str] = field(default_factory=list)

    def found(self, column: str, example: str, count: int = 1) -> None:
        setattr(self, column, getattr(self, column) + count)
        if len(self.examples) < EXAMPLES_KEPT:
            self.examples.append(f"{column}: {example}")

    @property
    def passed(self) -> bool:
        return self.lost == self.doubled == self.phantom == 0


@dataclass(frozen=True)
class Event:
    """A genuine event from a stream, parsed."""

    subject: str
    body: dict[str, Any]


@dataclass(frozen=True)
class Evidence:
    burst: Burst
    injected: list[Injected]
    stores: Stores
    streams: Streams

    @cached_property
    def events(self) -> list[Event]:
        """The streams' events, less those the faults injected."""
        injected = {(i.stream, i.sequence) for i in self.injected}
        return [Event(m.subject, json.loads(m.data)) for m in self.streams.events
                if (m.stream, m.sequence) not in injected]

    def events_on(self, subject: str) -> list[dict[str, Any]]:
        return [e.body for e in self.events if e.subject == subject]


def accepted_submissions_stored_once(evidence: Evidence) -> Check:
    """Each submission answered 202 is stored once, under the id it was answered with; every
    stored project is one of them."""
    check = Check("each accepted submission is stored exactly once")
    stored_by_name: dict[str, list[str]] = defaultdict(list)
    for project_id, (_, name) in evidence.stores.registry_projects.items():
        stored_by_name[name].append(project_id)
    for submission in evidence.burst.submissions:
        if not submission.acknowledged:
            continue
        check.examined += 1
        stored = stored_by_name.pop(submission.name, [])
        if submission.project_id in stored:
            if len(stored) > 1:
                check.found("doubled", f"{submission.name} stored {len(stored)} times",
                            len(stored) - 1)
        else:
            check.found("lost", f"{submission.name} answered {submission.project_id}, "
                                f"stored as {stored or 'nothing'}")
            if stored:
                check.found("phantom", f"{submission.name} stored under {stored}", len(stored))
    for name, stored in stored_by_name.items():
        check.found("phantom", f"{name} stored ({stored}) but never acknowledged", len(stored))
    return check


def projects_reach_matching_once(evidence: Evidence) -> Check:
    """Each stored project is announced once and is in matching's picture, in its city."""
    check = Check("each project is announced once and reaches matching")
    announced = Counter(e["project"]["id"]
                        for e in evidence.events_on(registry.ProjectSubmitted.SUBJECT))
    stores = evidence.stores
    check.examined = len(stores.registry_projects)
    for project_id in stores.registry_projects:
        if announced[project_id] > 1:
            check.found("doubled", f"{project_id} announced {announced[project_id]} times",
                        announced[project_id] - 1)
        if not announced[project_id] or project_id not in stores.matching_projects:
            check.found("lost", f"{project_id}: {announced[project_id]} ProjectSubmitted, "
                                f"{'in' if project_id in stores.matching_projects else 'not in'}"
                                " matching")
    for project_id in announced.keys() - stores.registry_projects.keys():
        check.found("phantom", f"ProjectSubmitted for {project_id}, which registry lacks")
    for project_id, (city, _) in stores.matching_projects.items():
        if stores.registry_projects.get(project_id, (None,))[0] != city:
            check.found("phantom", f"matching holds {project_id} in {city}; registry does not")
    return check


def one_current_state_per_project(evidence: Evidence) -> Check:
    """Each project is proposed, placed or unplaced: exactly one of a live proposal and a
    reason it is unplaced, and never two live proposals."""
    check = Check("each project has exactly one current state")
    live = Counter(p.project_id for p in evidence.stores.proposals if p.status in LIVE)
    check.examined = len(evidence.stores.registry_projects)
    for project_id, (city, _) in evidence.stores.registry_projects.items():
        unplaced = evidence.stores.matching_projects.get(project_id, (city, False))[1]
        states = live[project_id] + int(unplaced)
        if states == 0:
            check.found("lost", f"{project_id} is still submitted")
        elif states > 1:
            check.found("doubled", f"{project_id}: {live[project_id]} live proposals"
                                   f"{' and unplaced' if unplaced else ''}", states - 1)
    for proposal in evidence.stores.proposals:
        if proposal.project_id not in evidence.stores.registry_projects:
            check.found("phantom", f"proposal {proposal.id} for {proposal.project_id}, "
                                   "which registry lacks")
    return check


def proposal_steps_published_once(evidence: Evidence) -> Check:
    """Each stored proposal's offer, and the step that ended it (accepted, rejected, expired,
    withdrawn), are published exactly once; no event tells of a step not stored."""
    check = Check("each step of a proposal is published exactly once")
    stored = {p.id: p.status for p in evidence.stores.proposals}
    subjects = {"offered": matching.ProposalOffered.SUBJECT, **STEP_EVENTS}
    steps = Counter((e["proposal"]["id"], step) for step, subject in subjects.items()
                    for e in evidence.events_on(subject))
    check.examined = len(stored)
    for proposal_id, status in stored.items():
        for step in ("offered", status) if status in STEP_EVENTS else ("offered",):
            if steps[(proposal_id, step)] == 0:
                check.found("lost", f"proposal {proposal_id} {step} was never published")
            elif steps[(proposal_id, step)] > 1:
                check.found("doubled", f"proposal {proposal_id} {step} published "
                                       f"{steps[(proposal_id, step)]} times",
                            steps[(proposal_id, step)] - 1)
    for (proposal_id, step), count in steps.items():
        if proposal_id not in stored or (step != "offered" and stored[proposal_id] != step):
            check.found("phantom", f"{step} published for proposal {proposal_id}, stored as "
                                   f"{stored.get(proposal_id, 'nothing')}", count)
    return check


def acknowledged_decisions_recorded(evidence: Evidence) -> Check:
    """Each decision answered 200 is recorded as taken, by its manager; every proposal that
    ended otherwise than by such a decision is unexplained (none of this burst's requests
    withdraws a proposal, and offers last days)."""
    check = Check("each acknowledged decision is recorded")
    decided = {d.proposal_id: d for d in evidence.burst.decisions if d.acknowledged}
    stored = {p.id: p for p in evidence.stores.proposals}
    check.examined = len(decided)
    for proposal_id, decision in decided.items():
        proposal = stored.get(proposal_id)
        if proposal is None or (proposal.status, proposal.decided_by) != (decision.outcome,
                                                                          decision.manager_id):
            check.found("lost", f"{proposal_id} {decision.outcome} by {decision.manager_id} "
                                f"acknowledged, stored as "
                                f"{(proposal.status, proposal.decided_by) if proposal else None}")
    for proposal in stored.values():
        if proposal.status not in LIVE and proposal.id not in decided:
            check.found("phantom", f"{proposal.id} {proposal.status} by {proposal.decided_by}, "
                                   "which no acknowledged request asked for")
    return check


def one_inbox_item_per_event_and_recipient(evidence: Evidence) -> Check:
    """Each event that tells someone something gives each of them exactly one inbox item, and
    no item comes from anything else."""
    check = Check("each event gives exactly one inbox item per recipient")
    expected = {(e.body["event_id"], user) for e in evidence.events if e.subject in RECIPIENTS
                for user in RECIPIENTS[e.subject](e.body)}
    inbox = evidence.stores.inbox
    check.examined = len(expected)
    for event_id, user in expected:
        if inbox[(event_id, user)] == 0:
            check.found("lost", f"no inbox item of {event_id} for {user}")
        elif inbox[(event_id, user)] > 1:
            check.found("doubled", f"{inbox[(event_id, user)]} items of {event_id} for {user}",
                        inbox[(event_id, user)] - 1)
    for (event_id, user), count in inbox.items():
        if (event_id, user) not in expected:
            check.found("phantom", f"an inbox item of {event_id} for {user}, from no event",
                        count)
    return check


def same_park(one: Park, other: Park) -> bool:
    fields = set(ParkFields.model_fields)
    return one.tenant_id == other.tenant_id and one.model_dump(include=fields) == \
        other.model_dump(include=fields)


def no_park_over_capacity(evidence: Evidence) -> Check:
    """What a park's accepted and offered proposals hold fits in what registry says it has;
    matching's picture of each park is registry's."""
    check = Check("no park is over capacity")
    held: dict[str, Counter[str]] = defaultdict(Counter)
    for proposal in evidence.stores.proposals:
        if proposal.status in LIVE:
            held[proposal.park_id].update(proposal.use)
    check.examined = len(evidence.stores.registry_parks)
    for park_id, park in evidence.stores.registry_parks.items():
        # each budget year held is judged against the park's annual budget
        room: dict[str, float] = {}
        for year in {budget_year(r) for r in held[park_id]} - {None} or {date.today().year}:
            room |= capacity(park, year)
        over = {resource: held[park_id][resource] for resource, total in room.items()
                if held[park_id][resource] > total * (1 + CAPACITY_TOLERANCE) + CAPACITY_TOLERANCE}
        if over:
            check.found("doubled", f"{park_id} holds {over} of {room}")
    for park_id, park in evidence.stores.matching_parks.items():
        truth = evidence.stores.registry_parks.get(park_id)
        if truth is None or not same_park(park, truth):
            check.found("phantom", f"matching's {park_id} ({park.tenant_id}, floor "
                                   f"{park.floor_m2}) is not registry's")
    return check


def injected_messages_parked_once(evidence: Evidence) -> Check:
    """Each injected message is parked once by every durable consumer that reads its subject,
    and changes nothing; no genuine message is parked."""
    check = Check("each poison or forged message is parked and changes nothing")
    readers = evidence.streams.readers
    expected = {(i.stream, i.sequence, durable.name): i for i in evidence.injected
                for durable in readers.get(i.subject, [])}
    check.examined = len(expected)
    parked: Counter[tuple[str, int, str]] = Counter()
    for letter in evidence.streams.dead_letters:
        _, stream, sequence, durable = letter.headers.get("Nats-Msg-Id", "dlq:?:0:?").split(":", 3)
        key = (stream, int(sequence), durable)
        if key in expected:
            parked[key] += 1
        else:
            check.found("lost", f"a genuine {letter.headers.get('Guiyan-Original-Subject')} "
                                f"parked by {durable}: {letter.headers.get('Guiyan-Reason')}")
    for key, injected in expected.items():
        if parked[key] != 1:
            column = "lost" if parked[key] == 0 else "doubled"
            check.found(column, f"{injected.kind} on {injected.subject} parked {parked[key]} "
                                f"times by {key[2]}", max(1, parked[key] - 1))
    forged = {i.event_id for i in evidence.injected if i.event_id}
    for service, claims in evidence.stores.claims.items():
        if taken := claims & forged:
            check.found("phantom", f"{service} handled forged events {sorted(taken)}", len(taken))
    if strangers := evidence.stores.recipients - evidence.stores.registry_users:
        check.found("phantom", f"notification knows users registry does not: {sorted(strangers)}",
                    len(strangers))
    return check


def events_stored_once(evidence: Evidence) -> Check:
    """An event id appears once in its stream: a republish is dropped by the duplicate window."""
    check = Check("each event is stored once in its stream", examined=len(evidence.events))
    for event_id, count in Counter(e.body["event_id"] for e in evidence.events).items():
        if count > 1:
            check.found("doubled", f"event {event_id} stored {count} times", count - 1)
    return check


def outboxes_and_consumers_drained(evidence: Evidence) -> Check:
    """Every outbox row is published and every durable consumer has handled everything: what is
    still waiting once the system should have settled has been lost on the way."""
    check = Check("outboxes and consumers drain to zero",
                  examined=len(evidence.stores.unpublished) + len(evidence.streams.backlogs))
    for service, count in evidence.stores.unpublished.items():
        if count:
            check.found("lost", f"{service} outbox: {count} rows unpublished", count)
    for durable, backlog in evidence.streams.backlogs.items():
        if backlog.pending or backlog.unacknowledged:
            check.found("lost", f"{durable}: {backlog.pending} pending, "
                                f"{backlog.unacknowledged} unacknowledged",
                        backlog.pending + backlog.unacknowledged)
    return check


INVARIANTS: tuple[Callable[[Evidence], Check], ...] = (
    accepted_submissions_stored_once,
    projects_reach_matching_once,
    one_current_state_per_project,
    proposal_steps_published_once,
    acknowledged_decisions_recorded,
    one_inbox_item_per_event_and_recipient,
    no_park_over_capacity,
    injected_messages_parked_once,
    events_stored_once,
    outboxes_and_consumers_drained,
)


def check_all(evidence: Evidence) -> list[Check]:
    return [invariant(evidence) for invariant in INVARIANTS]

