"""The city's chains as its parks host them (产业链图谱): the links staff registered for each
park, the links its accepted placements brought, and the parks where a link is missing.

Registry keeps what staff registered; the links placements bring are matching's own finding,
derived from its proposals and never written back to the park."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from guiyan_contracts.matching import ChainCoverage, ChainMap, LinkCoverage, LinkProject, ParkRef
from guiyan_contracts.models import Park, ProposalStatus
from guiyan_contracts.taxonomy import Taxonomy

Link = tuple[str, str]  # (chain, link), as a park's hosted links name them
PlacedLinks = dict[str, frozenset[Link]]  # park → the links its placements brought


@dataclass(frozen=True)
class LinkProposal:
    """A live proposal, with the link its project is on."""

    project_id: str
    project_name: str
    park_id: str
    status: ProposalStatus
    sector: str
    chain: str
    link: str


def placed_links(proposals: Iterable[LinkProposal]) -> PlacedLinks:
    """Per park, the links of the projects it accepted: it hosts them from then on."""
    placed: dict[str, set[Link]] = {}
    for proposal in proposals:
        if proposal.status is ProposalStatus.accepted:
            placed.setdefault(proposal.park_id, set()).add((proposal.chain, proposal.link))
    return {park_id: frozenset(links) for park_id, links in placed.items()}


def coverage(taxonomy: Taxonomy, parks: list[Park], proposals: Iterable[LinkProposal],
             park_ids: list[str] | None = None) -> ChainMap:
    """Every chain of the taxonomy, link by link, over `parks` (narrowed to `park_ids`): who hosts
    each link (registered, else placed), who misses it, and the projects placed on or offered
    for it there."""
    weighed = [park for park in parks if park_ids is None or park.id in park_ids]
    names = {park.id: park.name for park in weighed}
    live = [p for p in proposals if p.park_id in names]
    placed = placed_links(live)
    registered_links = {park.id: {(h.chain, h.link) for h in park.hosted_links} for park in weighed}
    chains = []
    for sector in taxonomy.sectors:
        takers = [park for park in weighed if sector.code in park.sectors]
        for chain in sector.chains:
            on_chain = [p for p in live if (p.sector, p.chain) == (sector.code, chain.code)]
            links = []
            for link, *_names in chain.links:
                here = (chain.code, link)
                registered = [park for park in weighed if here in registered_links[park.id]]
                by_placement = [park for park in weighed if park not in registered
                                and here in placed.get(park.id, frozenset())]
                hosting = {park.id for park in registered + by_placement}
                projects = [p for p in on_chain if p.link == link]
                links.append(LinkCoverage(
                    link=link, registered=_refs(registered), placed=_refs(by_placement),
                    missing=_refs(park for park in takers if park.id not in hosting),
                    placed_projects=_projects(projects, ProposalStatus.accepted, names),
                    offered_projects=_projects(projects, ProposalStatus.offered, names)))
            chains.append(ChainCoverage(sector=sector.code, chain=chain.code, links=links))
    return ChainMap(park_ids=park_ids, chains=chains)


def _refs(parks: Iterable[Park]) -> list[ParkRef]:
    return [ParkRef(park_id=park.id, park_name=park.name) for park in parks]


def _projects(proposals: list[LinkProposal], status: ProposalStatus,
              park_names: dict[str, str]) -> list[LinkProject]:
    return [LinkProject(project_id=p.project_id, project_name=p.project_name, park_id=p.park_id,
                        park_name=park_names[p.park_id]) for p in proposals if p.status is status]
