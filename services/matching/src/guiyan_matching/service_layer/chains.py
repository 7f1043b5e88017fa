"""The city's chain map (产业链图谱): for staff, admins and park managers."""

from __future__ import annotations

from guiyan_contracts.matching import ChainMap, GetChainCoverage
from guiyan_contracts.refusals import NotFound
from guiyan_contracts.taxonomy import load_taxonomy

from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.chains import coverage


def chain_coverage(query: GetChainCoverage, uow: MatchingUnitOfWork) -> ChainMap:
    """Over the city's parks as matching reads them (one that cannot be read is left out), and
    its offered and accepted proposals."""
    parks = uow.matching.parks(query.tenant_id)
    if query.park_ids is not None and (
            unknown := sorted(set(query.park_ids) - {park.id for park in parks})):
        raise NotFound(f"no park {', '.join(unknown)} in this city")
    return coverage(load_taxonomy(query.tenant_id), parks,
                    uow.matching.link_proposals(query.tenant_id), query.park_ids)
