"""How much of a park's room and budget is taken, and by what: the park manager's view of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from guiyan_contracts.matching import ParkOccupancy, ResourceOccupancy
from guiyan_contracts.models import Park, ProposalStatus

from .proposal import EPSILON, Proposal, held
from .rules import capacity


def occupancy(park: Park, live: Iterable[Proposal], year: int) -> ParkOccupancy:
    """Per resource of `capacity(park, year)`, what the park's live proposals hold: accepted
    placements apart from pending offers; the budget of each year from `year` (this year) that
    a new commitment may charge. A resource the park has none of is shown only while something
    still holds some of it, so that a park shrunk to nothing shows what it is over."""
    live = list(live)
    return occupancy_of(park, held(p for p in live if p.status == ProposalStatus.accepted),
                        held(p for p in live if p.status == ProposalStatus.offered), year)


def occupancy_of(park: Park, accepted: Mapping[str, float], offered: Mapping[str, float],
                 year: int) -> ParkOccupancy:
    """The same, from what the park's accepted placements and pending offers hold per resource
    (a resource none of them holds may be missing)."""
    resources = []
    for resource, total in capacity(park, year).items():
        placed, pending = accepted.get(resource, 0.0), offered.get(resource, 0.0)
        if total > 0 or placed + pending > EPSILON:
            free = total - placed - pending
            resources.append(ResourceOccupancy(
                resource=resource, capacity=total, accepted=placed,
                offered=pending, free=free if free > EPSILON else 0.0))
    return ParkOccupancy(park_id=park.id, resources=resources)
