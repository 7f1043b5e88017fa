"""What happens to proposals when time passes or the world changes under them: reminders and
expiry, and withdrawal when the project or the park changes. The transitions themselves, and
the capacity rules, are the domain's (`domain/proposal.py`).

A park's capacity is registry's, and matching hears of a change only after registry commits it.
So that no accept can slip in between, the portal first has registry check the update, then asks
matching to limit the park to its new capacities (refused while accepted placements use more),
then asks registry to update it; matching promises nothing beyond the limit until that update
arrives. If registry refuses the update after all, the portal releases the limit. Limits are
kept beside registry's own record of the park, never written into it, and the park is held
within all of them while their updates are on their way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.matching import (
    CapacityLimit,
    LimitParkCapacity,
    ParkCommitments,
    ReleaseParkLimit,
)
from guiyan_contracts.models import Bilingual, HistoryEntry, Park, ProposalStatus, budget_year
from guiyan_contracts.refusals import Conflict, UnreadableRecord
from guiyan_contracts.registry import ParkUpdated, ProjectUpdated, ProjectWithdrawn

from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.city_time import city_day
from ..domain.proposal import excess, held, offers_beyond
from ..domain.rules import capacity
from ..domain.wording import resource_names
from .proposals import record
from .records import in_its_city


@dataclass(frozen=True)
class Sweep:
    reminded: int
    expired_tenants: set[str]


def sweep(uow: MatchingUnitOfWork, remind_before: timedelta, tenants: list[str]) -> Sweep:
    """In the cities `tenants`: remind the managers of offers that lapse within `remind_before`,
    once; expire the lapsed. The caller plans the cities whose offers expired, so their projects
    get another park."""
    now = utc_now()
    reminded, expired = 0, set()
    for proposal in uow.matching.offers_due(now, remind_by=now + remind_before, tenants=tenants):
        if proposal.lapsed(now):
            proposal.expire(now)
            expired.add(proposal.tenant_id)
        elif proposal.reminded_at is None:
            proposal.remind(now)
            reminded += 1
        else:
            continue
        record(uow, proposal)
    return Sweep(reminded, expired)


def limited_room(park: Park | None, limit: CapacityLimit, year: int,
                 held: Mapping[str, float]) -> dict[str, float]:
    """What a park has under an update's limit for this `year` on; from the limit alone where
    the park's record cannot be read (slots are then counted whatever its kind: only incubators'
    offers use any, and the budget of each year from `year` that `held` charges)."""
    if park is not None:
        return capacity(park.model_copy(update=limit.model_dump()), year)
    room = {"floor_m2": limit.floor_m2, "land_mu": limit.land_mu,
            "slots": float(limit.incubator_slots)}
    if limit.annual_subsidy_budget_yuan == 0:
        return room
    return room | {resource: limit.annual_subsidy_budget_yuan for resource in held
                   if (charged := budget_year(resource)) is not None and charged >= year}


def withdraw_beyond(uow: MatchingUnitOfWork, park: Park, actor: str) -> None:
    """Withdraw pending offers, lowest score first, until what the park holds fits."""
    live = uow.matching.live_proposals(park.tenant_id, park.id)
    now = utc_now()
    for proposal, short in offers_beyond(capacity(park, city_day(now).year), live):
        names_zh, names_en = resource_names(short)
        proposal.withdraw(Bilingual(zh=f"园区「{park.name}」的可用资源已减少（{names_zh}），不再容纳该项目",
                                    en=f"{park.name} now has less room ({names_en}) than its offers hold"),
                          actor, now)
        record(uow, proposal)


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
    accepted = uow.matching.live_proposals(command.tenant_id, command.park_id,
                                           (ProposalStatus.accepted,))
    use = held(accepted)
    if over := excess(limited_room(park, command.limit, city_day(utc_now()).year, use), use):
        name = park.name if park else command.park_id
        short = ", ".join(f"{r} {use[r]:g} (by {amount:g})" for r, amount in over.items())
        raise Conflict(f"accepted placements at {name} already use more than the new "
                       f"capacity: {short}; withdraw projects before shrinking the park")
    uow.matching.add_capacity_limit(command.park_id, command.limit)
    if park is not None:
        withdraw_beyond(uow, uow.matching.park(command.park_id), command.limited_by)
    return ParkCommitments(park_id=command.park_id, accepted=use)


def release_park_limit(command: ReleaseParkLimit, uow: MatchingUnitOfWork) -> ParkCommitments:
    """Registry refused the update: drop its limit; those of other updates on their way stay."""
    if uow.matching.city_of("park", command.park_id) == command.tenant_id:
        uow.matching.drop_capacity_limit(command.park_id, command.limit)
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
    proposal = uow.matching.live_proposal(project.id)
    if proposal is not None and proposal.status == ProposalStatus.offered:
        proposal.withdraw(Bilingual(zh="项目信息已修改，将重新匹配",
                                    en="the project changed; it will be matched again"),
                          event.updated_by, utc_now())
        record(uow, proposal)


def project_withdrawn(event: ProjectWithdrawn, uow: MatchingUnitOfWork) -> None:
    """The project leaves: its offer or placement is withdrawn and the park's room comes back."""
    project = event.project
    in_its_city(uow, "project", project, event)
    uow.matching.save_project(project)
    uow.matching.add_history(project.tenant_id, project.id, HistoryEntry(
        at=project.withdrawn_at or utc_now(), kind="project_withdrawn", actor=event.withdrawn_by,
        detail=project.withdrawn_reason))
    if (proposal := uow.matching.live_proposal(project.id)) is not None:
        proposal.withdraw(Bilingual(zh=f"项目已撤回：{project.withdrawn_reason}",
                                    en=f"the project was withdrawn: {project.withdrawn_reason}"),
                          event.withdrawn_by, utc_now())
        record(uow, proposal)
