"""A park's occupancy, as matching promises its room: for the park's managers and the city's staff."""

from __future__ import annotations

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.matching import GetParkOccupancy, ParkOccupancy
from guiyan_contracts.refusals import NotFound

from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.city_time import city_day
from ..domain.occupancy import occupancy


def park_occupancy(query: GetParkOccupancy, uow: MatchingUnitOfWork) -> ParkOccupancy:
    """The park as it may be promised (within any update on its way) and its live proposals.
    Its city is checked before its record is read: another city's park is not found, even one
    whose record could not be read."""
    if uow.matching.city_of("park", query.park_id) != query.tenant_id:
        raise NotFound(f"no park {query.park_id!r}")
    park = uow.matching.park(query.park_id)
    assert park is not None, "a park of the city is recorded"
    return occupancy(park, uow.matching.live_proposals(query.tenant_id, park.id),
                     city_day(utc_now()).year)
