from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guiyan_contracts import api, matching
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
from ..paging import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["proposals"])


@router.get("/proposals", response_model=api.Page[Proposal],
            responses=answers(401, 403, 422, 502, 503))
async def list_proposals(caller: Caller, services: Services, parks: ProposalParks,
                         status: ProposalStatus | None = None, limit: Limit(500) = 100,
                         offset: Offset = 0) -> Any:
    """Proposals newest first; a manager sees only their parks'."""
    found = await services.ask(matching.ListProposals(
        tenant_id=caller.tenant_id, park_ids=parks, status=status, limit=limit, offset=offset),
        matching.ProposalList)
    return api.Page[Proposal](items=found.proposals, total=found.total, limit=limit,
                              offset=offset)


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
