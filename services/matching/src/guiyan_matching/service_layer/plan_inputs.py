"""What one plan reads: the city's parks and open projects as the domain plans them, the offers
the plan may move, and the records it had to leave out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from guiyan_contracts.models import ProposalStatus

from ..adapters.repository import SetAside
from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.chains import placed_links
from ..domain.planning import PlanInputs
from ..domain.proposal import LIVE

ACCEPTED_ONLY = (ProposalStatus.accepted,)


@dataclass(frozen=True)
class Pending:
    proposal_id: str
    park_id: str


@dataclass
class Inputs:
    plan: PlanInputs
    movable: dict[str, Pending] = field(default_factory=dict)  # project → its pending offer
    set_aside: list[SetAside] = field(default_factory=list)


def load_inputs(uow: MatchingUnitOfWork, tenant_id: str, today: date, mode: str) -> Inputs:
    """In one transaction. By default pending offers hold their room and their projects are not
    planned; in `reoptimise` mode they may move."""
    parks = uow.matching.parks(tenant_id)
    projects = uow.matching.open_projects(tenant_id, LIVE if mode == "hold" else ACCEPTED_ONLY)
    movable: dict[str, Pending] = {}
    if mode != "hold":
        # A pending offer moves only where the plan can weigh both its project and its park: one
        # whose park or project was set aside stays as it is, and its project is not planned.
        offered = uow.matching.live_proposals(tenant_id, statuses=(ProposalStatus.offered,))
        weighed_parks, weighed_projects = {p.id for p in parks}, {p.id for p in projects}
        movable = {p.project_id: Pending(p.id, p.park_id) for p in offered
                   if p.park_id in weighed_parks and p.project_id in weighed_projects}
        staying = {p.project_id for p in offered} - movable.keys()
        projects = [project for project in projects if project.id not in staying]
    return Inputs(PlanInputs(
        parks=parks,
        open_projects=projects,
        held=uow.matching.held(tenant_id, moving=frozenset(movable)),
        forbidden=uow.matching.rejected_pairs(tenant_id),
        today=today,
        previous=frozenset((p, pending.park_id) for p, pending in movable.items()),
        placed=placed_links(uow.matching.link_proposals(tenant_id, ACCEPTED_ONLY)),
    ), movable, uow.matching.set_aside)
