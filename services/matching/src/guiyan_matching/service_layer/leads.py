"""Chain-gap leads, kept current: a park's leads are computed again when the park changes, when
a placement there is accepted or ends, and when a person on one of its missing or extending links
changes; `LeadsComputed` goes out only when what it would say changed. A query answers from the
store, computing first if the park's leads were never computed or not yet on the city's day."""

from __future__ import annotations

from collections.abc import Iterable

from guiyan_contracts import models as contract
from guiyan_contracts.envelope import utc_now
from guiyan_contracts.matching import AcceptProposal, GetParkLeads, LeadsComputed, ParkLeads
from guiyan_contracts.models import Park, ProposalStatus
from guiyan_contracts.refusals import NotFound, UnreadableRecord
from guiyan_contracts.registry import ParkRegistered, ParkUpdated, ProjectUpdated, ProjectWithdrawn
from guiyan_contracts.taxonomy import load_taxonomy

from ..adapters.policies import load_policy
from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.chains import placed_links
from ..domain.city_time import city_day
from ..domain.leads import (
    PUBLISHED_PER_LINK,
    LeadContext,
    best,
    fingerprint,
    gap_links,
    park_leads,
)
from . import PRODUCER, handlers, lifecycle


def compute(uow: MatchingUnitOfWork, park: Park) -> ParkLeads:
    """The park's leads now, stored; announced if they differ from those last announced."""
    tenant_id = park.tenant_id
    taxonomy = load_taxonomy(tenant_id)
    accepted = uow.matching.link_proposals(tenant_id, (ProposalStatus.accepted,), park.id)
    placed = placed_links(accepted).get(park.id, frozenset())
    gaps = gap_links(park, taxonomy, placed)
    now = utc_now()
    leads = park_leads(park, gaps, uow.people.on_links(tenant_id, [gap.key for gap in gaps]),
                       LeadContext(load_policy(tenant_id).leads, taxonomy, city_day(now)), now)
    found = fingerprint(leads)
    if uow.leads.published_fingerprint(park.id) != found:
        uow.emit(LeadsComputed(producer=PRODUCER, tenant_id=tenant_id,
                               leads=best(leads, PUBLISHED_PER_LINK)))
    uow.leads.save(tenant_id, leads, gaps, found)
    return leads


def refresh(uow: MatchingUnitOfWork, tenant_id: str, park_ids: Iterable[str]) -> None:
    """Compute the leads of these parks of the city again as the transaction commits: once per
    park, however many of a batch's events concern it."""
    uow.leads_due.update((tenant_id, park_id) for park_id in park_ids)
    uow.before_commit("leads", lambda: _compute_due(uow))


def _compute_due(uow: MatchingUnitOfWork) -> None:
    """A park whose record cannot be read keeps its last leads until registry sends it again
    (and that computes them)."""
    due = sorted(uow.leads_due)
    uow.leads_due.clear()
    for tenant_id, park_id in due:
        try:
            park = uow.matching.park(park_id)
        except UnreadableRecord:
            continue
        if park is not None and park.tenant_id == tenant_id:
            compute(uow, park)


def get_park_leads(query: GetParkLeads, uow: MatchingUnitOfWork) -> ParkLeads:
    park = uow.matching.park(query.park_id)
    if park is None or park.tenant_id != query.tenant_id:
        raise NotFound(f"no park {query.park_id!r} in this city")
    stored = uow.leads.stored(park.id)
    if stored is None or city_day(stored.leads.computed_at) < city_day(utc_now()):
        return best(compute(uow, park), query.per_link)  # contacts age with the days
    return best(stored.leads, query.per_link)


# --- what changes a park's chain: the park, and placements there --------------------------------

def park_registered(event: ParkRegistered, uow: MatchingUnitOfWork) -> None:
    handlers.record_park(event, uow)
    refresh(uow, event.tenant_id, [event.park.id])


def park_updated(event: ParkUpdated, uow: MatchingUnitOfWork) -> None:
    lifecycle.park_updated(event, uow)
    refresh(uow, event.tenant_id, [event.park.id])


def accept_proposal(command: AcceptProposal, uow: MatchingUnitOfWork) -> contract.Proposal:
    """An accepted placement brings its link to the park."""
    proposal = handlers.accept_proposal(command, uow)
    if proposal.status is ProposalStatus.accepted:
        refresh(uow, command.tenant_id, [proposal.park_id])
    return proposal


def _placed_in(uow: MatchingUnitOfWork, project_id: str) -> list[str]:
    """The park the project is placed in, if it is."""
    live = uow.matching.live_proposal(project_id)
    return [live.park_id] if live and live.status is ProposalStatus.accepted else []


def project_updated(event: ProjectUpdated, uow: MatchingUnitOfWork) -> None:
    """A placement stands, but the project may have moved to another link."""
    placed_in = _placed_in(uow, event.project.id)
    lifecycle.project_updated(event, uow)
    refresh(uow, event.tenant_id, placed_in)


def project_withdrawn(event: ProjectWithdrawn, uow: MatchingUnitOfWork) -> None:
    """A placement withdrawn takes its link from the park."""
    placed_in = _placed_in(uow, event.project.id)
    lifecycle.project_withdrawn(event, uow)
    refresh(uow, event.tenant_id, placed_in)
