"""How much of a park's room and budget is taken, and by what: the park manager's view of it."""

from __future__ import annotations

from collections.abc import Iterable

from guiyan_contracts.matching import ParkOccupancy, ResourceOccupancy
from guiyan_contracts.models import Park, ProposalStatus

from .proposal import EPSILON, Proposal, held
from .rules import capacity


def occupancy(park: Park, live: Iterable[Proposal]) -> ParkOccupancy:
    """Per resource of `capacity(park)`, what the park's live proposals hold: accepted
    placements apart from pending offers. A resource the park has none of is shown only while
    something still holds some of it, so that a park shrunk to nothing shows what it is over."""
    live = list(live)
    accepted = held(p for p in live if p.status == ProposalStatus.accepted)
    offered = held(p for p in live if p.status == ProposalStatus.offered)
    resources = []
    for resource, total in capacity(park).items():
        taken = accepted[resource] + offered[resource]
        if total > 0 or taken > EPSILON:
            free = total - taken
            resources.append(ResourceOccupancy(
                resource=resource, capacity=total, accepted=accepted[resource],
                offered=offered[resource], free=free if free > EPSILON else 0.0))
    return ParkOccupancy(park_id=park.id, resources=resources)
