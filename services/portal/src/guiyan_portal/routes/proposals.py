from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guiyan_contracts import api, matching
from guiyan_contracts.matching import ProposalSort
from guiyan_contracts.models import Proposal, ProposalStatus

from ..access import (
    Caller,
    DecidableProposal,
    IdempotencyKey,
    ProposalParks,
    Services,
    VisibleProposal,
)
from ..errors import answers
from ..filters import Code, Search, Statuses, given, one_of
from ..paging import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["proposals"])


@router.get("/proposals", response_model=api.ProposalPage,
            responses=answers(401, 403, 422, 502, 503))
async def list_proposals(caller: Caller, services: Services, parks: ProposalParks,
                         q: Search = None,
                         status: Statuses(ProposalStatus) = [],  # noqa: B006 (FastAPI copies it)
                         sector: Code = None, chain: Code = None, county: Code = None,
                         sort: ProposalSort = ProposalSort.newest, limit: Limit(500) = 100,
                         offset: Offset = 0) -> Any:
    """Proposals newest first; a manager sees only their parks'. `q` looks in the project's
    name and the park's; `sector`, `chain` and `county` (hometown) are the project's. `counts`
    gives how many match each status under the other filters: `counts.offered` is how many
    await a decision."""
    found = await services.ask(matching.ListProposals(
        tenant_id=caller.tenant_id, q=given(q), statuses=one_of(ProposalStatus, "status", status),
        park_ids=parks, sector=given(sector), chain=given(chain), county=given(county),
        sort=sort, limit=limit, offset=offset), matching.ProposalList)
    return api.ProposalPage(items=found.proposals, total=found.total, limit=limit, offset=offset,
                            counts=found.counts)


@router.get("/proposals/{proposal_id}", response_model=Proposal,
            responses=answers(401, 403, 404, 422, 502, 503))
async def get_proposal(proposal: VisibleProposal) -> Any:
    """One proposal with its explanation: score terms, subsidy, capacities and runners-up."""
    return proposal


@router.post("/proposals/{proposal_id}/accept", response_model=Proposal,
             responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def accept(proposal: DecidableProposal, caller: Caller, services: Services,
                 key: IdempotencyKey) -> Any:
    """Accept (the park's managers, admins). Accepting again answers as the first time."""
    return await services.ask(matching.AcceptProposal(
        tenant_id=caller.tenant_id, proposal_id=proposal.id, decided_by=caller.user_id,
        idempotency_key=key), Proposal)


@router.post("/proposals/{proposal_id}/reject", response_model=Proposal,
             responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def reject(proposal: DecidableProposal, body: api.Rejection, caller: Caller,
                 services: Services, key: IdempotencyKey) -> Any:
    """Reject with a reason (the park's managers, admins): the pair is never proposed again."""
    return await services.ask(matching.RejectProposal(
        tenant_id=caller.tenant_id, proposal_id=proposal.id, decided_by=caller.user_id,
        reason=body.reason, idempotency_key=key), Proposal)
