"""A proposal's life after the offer: expiry with a reminder, withdrawal when the project or the
park changes under it, and the history of every step.

offered → accepted | rejected | expired | withdrawn, and accepted → withdrawn when the project
itself is withdrawn. Each step is one transaction with its event and its history entry.

A park's capacity is registry's, and matching hears of a change only after registry commits it.
So that no accept can slip in between, the portal first has registry check the update, then asks
matching to limit the park to its new capacities (refused while accepted placements use more),
then asks registry to update it; matching promises nothing beyond the limit until that update
arrives. If registry refuses the update after all, the portal releases the limit. Limits are
kept beside registry's own record of the park, never written into it, and the park is held
within all of them while their updates are on their way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from guiyan_contracts.envelope import as_utc, utc_now
from guiyan_contracts.matching import (
    CapacityLimit,
    LimitParkCapacity,
    ParkCommitments,
    ProposalExpired,
    ProposalReminded,
    ProposalWithdrawn,
    ReleaseParkLimit,
)
from guiyan_contracts.models import HistoryEntry, Park, Proposal, ProposalStatus
from guiyan_contracts.refusals import Conflict, UnreadableRecord
from guiyan_contracts.registry import ParkUpdated, ProjectUpdated, ProjectWithdrawn

from ..adapters.orm import ProposalRow
from ..adapters.repository import RESOURCES, to_contract
from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.rules import capacity
from . import PRODUCER
from .records import in_its_city

PLANNER = PRODUCER  # the actor of what the planner does on its own


def note(uow: MatchingUnitOfWork, row: ProposalRow, kind: str, actor: str,
         detail: str | None = None, at: datetime | None = None) -> None:
    """Append one step of a proposal to its project's history."""
    uow.matching.add_history(row.tenant_id, row.project_id, step(row, kind, actor, detail, at))


def step(proposal: ProposalRow | Proposal, kind: str, actor: str, detail: str | None = None,
         at: datetime | None = None) -> HistoryEntry:
    """One step of a proposal, as its project's history shows it."""
    return HistoryEntry(at=at or utc_now(), kind=kind, actor=actor, proposal_id=proposal.id,
                        park_id=proposal.park_id, park_name=proposal.park_name,
                        plan_id=proposal.plan_id, detail=detail)


def _audience(uow: MatchingUnitOfWork, row: ProposalRow) -> tuple[list[str], str]:
    return uow.matching.manager_ids(row.park_id), uow.matching.submitted_by(row.project_id)


def withdraw(uow: MatchingUnitOfWork, row: ProposalRow, reason_zh: str, reason_en: str,
             actor: str = PLANNER) -> None:
    row.status, row.decided_at, row.decided_by = ProposalStatus.withdrawn, utc_now(), actor
    row.withdraw_reason = f"{reason_zh} / {reason_en}"
    managers, submitted_by = _audience(uow, row)
    uow.emit(ProposalWithdrawn(producer=PRODUCER, tenant_id=row.tenant_id, proposal=to_contract(row),
                               manager_ids=managers, submitted_by=submitted_by))
    note(uow, row, "withdrawn", actor, row.withdraw_reason)


def expired(row: ProposalRow, now: datetime) -> bool:
    return row.status == ProposalStatus.offered and row.expires_at is not None \
        and as_utc(row.expires_at) <= now


def expire(uow: MatchingUnitOfWork, row: ProposalRow) -> None:
    row.status, row.decided_at, row.decided_by = ProposalStatus.expired, utc_now(), PLANNER
    managers, submitted_by = _audience(uow, row)
    uow.emit(ProposalExpired(producer=PRODUCER, tenant_id=row.tenant_id, proposal=to_contract(row),
                             manager_ids=managers, submitted_by=submitted_by))
    note(uow, row, "expired", PLANNER)


@dataclass(frozen=True)
class Sweep:
    reminded: int
    expired_tenants: set[str]


def sweep(uow: MatchingUnitOfWork, remind_before: timedelta) -> Sweep:
    """Remind the managers of offers that lapse within `remind_before`, once; expire the lapsed.
    The caller plans the cities whose offers expired, so their projects get another park."""
    now = utc_now()
    reminded, tenants = 0, set()
    for row in uow.matching.offers_due(now, remind_by=now + remind_before):
        if expired(row, now):
            expire(uow, row)
            tenants.add(row.tenant_id)
        elif row.reminded_at is None:
            row.reminded_at = now
            managers, _ = _audience(uow, row)
            uow.emit(ProposalReminded(producer=PRODUCER, tenant_id=row.tenant_id,
                                      proposal=to_contract(row), manager_ids=managers))
            note(uow, row, "reminded", PLANNER, f"expires at {row.expires_at}")
            reminded += 1
    uow.commit()
    return Sweep(reminded, tenants)


def held(rows: list[ProposalRow]) -> dict[str, float]:
    return {r: sum(getattr(row, r) for row in rows) for r in RESOURCES}


def overbooked(room: dict[str, float], rows: list[ProposalRow]) -> dict[str, float]:
    """Per resource, how far what `rows` hold exceeds `room` (`rules.capacity` of a park)."""
    use = held(rows)
    return {r: use[r] - total for r, total in room.items() if use[r] > total + 1e-9}


def limited_room(park: Park | None, limit: CapacityLimit) -> dict[str, float]:
    """What a park has under an update's limit; from the limit alone where the park's record
    cannot be read (slots are then counted whatever its kind: only incubators' offers use any)."""
    if park is not None:
        return capacity(park.model_copy(update=limit.model_dump()))
    room = {"floor_m2": limit.floor_m2, "land_mu": limit.land_mu,
            "slots": float(limit.incubator_slots)}
    return room | ({"subsidy_yuan": limit.annual_subsidy_budget_yuan}
                   if limit.annual_subsidy_budget_yuan > 0 else {})


def withdraw_beyond(uow: MatchingUnitOfWork, park: Park, actor: str) -> None:
    """Withdraw pending offers, lowest score first, until what the park holds fits. Accepted
    placements are agreements and are never withdrawn here."""
    live = uow.matching.live_rows(park.tenant_id, park.id)
    offered = sorted((r for r in live if r.status == ProposalStatus.offered), key=lambda r: r.score)
    while offered and (over := overbooked(capacity(park), live)):
        row = offered.pop(0)
        short = ", ".join(over)
        withdraw(uow, row, f"园区「{park.name}」的可用资源已减少（{short}），不再容纳该项目",
                 f"{park.name} now has less room ({short}) than its offers hold", actor)
        live.remove(row)


def limit_park_capacity(command: LimitParkCapacity, uow: MatchingUnitOfWork) -> ParkCommitments:
    """Ahead of registry's update: refuse a capacity below what accepted placements use;
    otherwise hold the park within the new capacities and withdraw the offers that no longer fit.
    A park whose record cannot be read is limited all the same: the update will repair it."""
    try:
        park = uow.matching.park(command.park_id, for_update=True)  # queues behind accepts
    except UnreadableRecord:
        park = None
    if uow.matching.city_of("park", command.park_id) != command.tenant_id:
        return ParkCommitments(park_id=command.park_id, accepted={})  # nothing promised there yet
    accepted = uow.matching.live_rows(command.tenant_id, command.park_id,
                                      (ProposalStatus.accepted.value,))
    use = held(accepted)
    if over := overbooked(limited_room(park, command.limit), accepted):
        name = park.name if park else command.park_id
        short = ", ".join(f"{r} {use[r]:g} (by {amount:g})" for r, amount in over.items())
        raise Conflict(f"accepted placements at {name} already use more than the new "
                       f"capacity: {short}; withdraw projects before shrinking the park")
    uow.matching.add_capacity_limit(command.park_id, command.limit)
    if park is not None:
        withdraw_beyond(uow, uow.matching.park(command.park_id), command.limited_by)
    uow.commit()
    return ParkCommitments(park_id=command.park_id, accepted=use)


def release_park_limit(command: ReleaseParkLimit, uow: MatchingUnitOfWork) -> ParkCommitments:
    """Registry refused the update: drop its limit; those of other updates on their way stay."""
    if (uow.matching.city_of("park", command.park_id) == command.tenant_id
            and uow.matching.drop_capacity_limit(command.park_id, command.limit)):
        uow.commit()
    return ParkCommitments(park_id=command.park_id, accepted={})


def park_updated(event: ParkUpdated, uow: MatchingUnitOfWork) -> None:
    """The new state, within the limits of updates still on their way; offers that no longer fit
    are withdrawn. The limit set for this update, if any, is done."""
    in_its_city(uow, "park", event.park, event)
    uow.matching.save_park(event.park)
    uow.matching.drop_capacity_limit(
        event.park.id, CapacityLimit.model_validate(event.park, from_attributes=True))
    park = uow.matching.park(event.park.id)
    assert park is not None
    withdraw_beyond(uow, park, event.updated_by)


def project_updated(event: ProjectUpdated, uow: MatchingUnitOfWork) -> None:
    """A pending offer was made for the old project: it is withdrawn and the project re-planned.
    An accepted placement stands."""
    project = event.project
    in_its_city(uow, "project", project, event)
    uow.matching.save_project(project)
    uow.matching.add_history(project.tenant_id, project.id, HistoryEntry(
        at=project.updated_at or utc_now(), kind="updated", actor=event.updated_by))
    row = uow.matching.live_row(project.id)
    if row is not None and row.status == ProposalStatus.offered:
        withdraw(uow, row, "项目信息已修改，将重新匹配", "the project changed; it will be matched again",
                 event.updated_by)


def project_withdrawn(event: ProjectWithdrawn, uow: MatchingUnitOfWork) -> None:
    """The project leaves: its offer or placement is withdrawn and the park's room comes back."""
    project = event.project
    in_its_city(uow, "project", project, event)
    uow.matching.save_project(project)
    uow.matching.add_history(project.tenant_id, project.id, HistoryEntry(
        at=project.withdrawn_at or utc_now(), kind="project_withdrawn", actor=event.withdrawn_by,
        detail=project.withdrawn_reason))
    if (row := uow.matching.live_row(project.id)) is not None:
        withdraw(uow, row, f"项目已撤回：{project.withdrawn_reason}",
                 f"the project was withdrawn: {project.withdrawn_reason}", event.withdrawn_by)
