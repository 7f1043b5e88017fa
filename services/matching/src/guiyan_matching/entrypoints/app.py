"""matching's process: keeps its read model, plans continuously and takes decisions."""

from guiyan_contracts.matching import (
    AcceptProposal,
    GetPlacements,
    GetProposal,
    ListProposals,
    RejectProposal,
)
from guiyan_contracts.registry import ParkRegistered, ProjectSubmitted
from guiyan_eventing.runtime import Service

from ..adapters.orm import TABLES
from ..adapters.unit_of_work import MatchingUnitOfWork
from ..config import MatchingSettings
from ..service_layer import handlers
from ..service_layer.planner import Planner


def build(settings: MatchingSettings | None = None) -> Service[MatchingUnitOfWork]:
    settings = settings or MatchingSettings()
    service = Service("matching", settings, TABLES, MatchingUnitOfWork)
    planner = Planner(service.uow, settings)
    replan = lambda message: planner.request(message.tenant_id)  # noqa: E731
    service.on_event(ParkRegistered, handlers.record_park, then=replan)
    service.on_event(ProjectSubmitted, handlers.record_project, then=replan)
    service.on_request(AcceptProposal, handlers.accept_proposal)
    service.on_request(RejectProposal, handlers.reject_proposal, then=replan)
    service.on_request(GetProposal, handlers.get_proposal)
    service.on_request(ListProposals, handlers.list_proposals)
    service.on_request(GetPlacements, handlers.get_placements)
    service.background(planner.run)
    return service


def main() -> None:
    build().run()
