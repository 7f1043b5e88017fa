"""The invariants on evidence made by hand: each kind of damage lands in its column, so that a row
of zeros means the damage was looked for and not found."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from guiyan_contracts import matching
from guiyan_contracts.envelope import utc_now
from guiyan_contracts.models import Park
from guiyan_devstack.demo import PARKS
from guiyan_reliability.bus import Durable, Stored
from guiyan_reliability.faults import Injected
from guiyan_reliability.invariants import (
    Evidence,
    accepted_submissions_stored_once,
    acknowledged_decisions_recorded,
    injected_messages_parked_once,
    no_park_over_capacity,
    one_inbox_item_per_event_and_recipient,
)
from guiyan_reliability.load import Answer, Burst, Decision, Submission
from guiyan_reliability.records import ProposalRecord, Stores, Streams

PARK = Park(**PARKS[1], tenant_id="heze", created_at=utc_now())  # 60,000 m² of floor
MATCHING_READERS = [Durable("notification", matching.STREAM, "notification_from_matching")]


def stores(**changes: Any) -> Stores:
    nothing: dict[str, Any] = {
        "registry_projects": {}, "registry_parks": {PARK.id: PARK}, "registry_users": set(),
        "matching_projects": {}, "matching_parks": {PARK.id: PARK}, "proposals": [],
        "inbox": Counter(), "recipients": set(), "unpublished": {}, "claims": {}}
    return Stores(**(nothing | changes))


def streams(events: Sequence[Stored] = (), dead_letters: Sequence[Stored] = ()) -> Streams:
    return Streams(events=list(events), dead_letters=list(dead_letters),
                   readers={matching.ProposalOffered.SUBJECT: MATCHING_READERS}, backlogs={})


def evidence(burst: Burst | None = None, injected: Sequence[Injected] = (),
             **parts: Any) -> Evidence:
    return Evidence(burst or Burst(), list(injected), parts.get("stores") or stores(),
                    parts.get("streams") or streams())


def submitted(name: str, project_id: str) -> Submission:
    return Submission(name, Answer(202, {"id": project_id}, ["503", "202"]))


def offered(sequence: int, managers: list[str]) -> tuple[str, Stored]:
    event_id = str(uuid.uuid4())
    body = {"event_id": event_id, "manager_ids": managers, "proposal": {"id": "p1"}}
    return event_id, Stored(matching.STREAM, sequence, matching.ProposalOffered.SUBJECT,
                            json.dumps(body).encode(), {})


def proposal(status: str, floor_m2: float = 100, decided_by: str | None = None) -> ProposalRecord:
    return ProposalRecord(str(uuid.uuid4()), "heze", str(uuid.uuid4()), PARK.id, status,
                          decided_by, {"floor_m2": floor_m2, "land_mu": 0, "slots": 0,
                                       "subsidy_yuan": 0})


def test_an_accepted_submission_missing_is_lost_twice_stored_doubled_unanswered_phantom():
    burst = Burst(submissions=[submitted("甲", "a"), submitted("乙", "b"),
                               Submission("丙", Answer(None, "ClientConnectorError", ["x"]))])
    held = stores(registry_projects={"b": ("heze", "乙"), "b2": ("heze", "乙"), "c": ("heze", "丙")})
    check = accepted_submissions_stored_once(evidence(burst, stores=held))
    assert (check.examined, check.lost, check.doubled, check.phantom) == (2, 1, 1, 1)


def test_an_event_owes_each_recipient_one_inbox_item_and_nothing_else_gives_one():
    event_id, message = offered(1, ["mgr-a", "mgr-b"])
    inbox = Counter({(event_id, "mgr-a"): 2, ("no-such-event", "mgr-a"): 1})
    check = one_inbox_item_per_event_and_recipient(
        evidence(stores=stores(inbox=inbox), streams=streams([message])))
    assert (check.examined, check.lost, check.doubled, check.phantom) == (2, 1, 1, 1)


def test_an_injected_event_is_not_owed_an_inbox_item():
    event_id, message = offered(7, ["mgr-a"])
    check = one_inbox_item_per_event_and_recipient(evidence(
        injected=[Injected(matching.STREAM, 7, message.subject, "forged", event_id)],
        streams=streams([message])))
    assert (check.examined, check.lost) == (0, 0)


def test_a_park_holding_more_than_its_floor_counts_as_doubled():
    held = stores(proposals=[proposal("accepted", 40_000), proposal("offered", 30_000)])
    assert no_park_over_capacity(evidence(stores=held)).doubled == 1
    fits = stores(proposals=[proposal("accepted", 40_000), proposal("rejected", 30_000)])
    assert no_park_over_capacity(evidence(stores=fits)).passed


def test_matching_seeing_a_park_otherwise_than_registry_is_phantom():
    moved = PARK.model_copy(update={"tenant_id": "jining", "floor_m2": 1.0})
    check = no_park_over_capacity(evidence(stores=stores(matching_parks={PARK.id: moved})))
    assert check.phantom == 1


def test_an_acknowledged_decision_not_recorded_is_lost_and_one_nobody_took_phantom():
    taken, missing, unasked = (proposal("accepted", decided_by="mgr-x"), proposal("offered"),
                               proposal("withdrawn", decided_by="matching"))
    burst = Burst(decisions=[Decision(p.id, PARK.id, "mgr-x", "accepted", Answer(200, {}, ["200"]))
                             for p in (taken, missing)])
    check = acknowledged_decisions_recorded(
        evidence(burst, stores=stores(proposals=[taken, missing, unasked])))
    assert (check.examined, check.lost, check.phantom) == (2, 1, 1)


def test_poison_must_be_parked_by_each_reader_and_a_genuine_message_never():
    poison = Injected(matching.STREAM, 5, matching.ProposalOffered.SUBJECT, "poison", None)
    forged = Injected(matching.STREAM, 6, matching.ProposalOffered.SUBJECT, "forged", "e6")

    def letter(sequence: int) -> Stored:
        return Stored("GUIYAN_DLQ", sequence, "guiyan.dlq.notification.x.heze", b"", {
            "Nats-Msg-Id": f"dlq:{matching.STREAM}:{sequence}:notification_from_matching"})

    check = injected_messages_parked_once(evidence(
        injected=[poison, forged], stores=stores(claims={"notification": {"e6"}}),
        streams=streams(dead_letters=[letter(5), letter(9)])))
    # seq 6 never parked (lost), seq 9 genuine and parked (lost), e6 handled (phantom)
    assert (check.examined, check.lost, check.doubled, check.phantom) == (2, 2, 0, 1)

