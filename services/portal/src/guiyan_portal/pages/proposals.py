"""Park managers' pages: the proposals inbox, one proposal with why, and the decision on it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse

from guiyan_contracts import api, matching, registry
from guiyan_contracts.models import Proposal, ProposalStatus, Role

from ..access import Caller, DecidableProposal, Services, VisibleProposal, visible_proposal
from ..auth import Principal
from ..gateway import Gateway
from ..stations import city_stations
from .actions import done, form_key, new_key
from .forms import first, validated
from .rendering import Flash, render, translator

router = APIRouter(include_in_schema=False)


async def proposal_context(caller: Principal, services: Gateway, proposal: Proposal
                           ) -> dict[str, Any]:
    try:
        project = await services.ask(registry.GetProject(
            tenant_id=caller.tenant_id, project_id=proposal.project_id), registry.Project)
    except HTTPException:  # the project's record cannot be read: the proposal still can
        project = None
    stations = {s.id: s.name for s in await city_stations(services, caller.tenant_id)}
    return {"proposal": proposal, "project": project, "values": {}, "errors": {},
            "station_names": stations,
            "idempotency_key": new_key(),
            "can_decide": caller.role in (Role.park_manager, Role.admin)}


@router.get("/proposals/{proposal_id}", response_class=HTMLResponse)
async def proposal_page(request: Request, proposal: VisibleProposal, caller: Caller,
                        services: Services) -> HTMLResponse:
    return await render(request, "proposals/detail.html", caller,
                        **await proposal_context(caller, services, proposal))


def why_not(words: dict[str, Any], proposal: Proposal) -> str:
    """Why a decision came too late, said from the proposal as it now stands."""
    _ = words["_"]
    if proposal.status is ProposalStatus.withdrawn:
        reason = words["said"](proposal.withdraw_reason) if proposal.withdraw_reason else ""
        return _("This offer was withdrawn meanwhile, so it can no longer be decided. %(reason)s",
                 reason=reason).strip()
    if proposal.status is ProposalStatus.expired and proposal.expires_at:
        return _("This offer lapsed on %(when)s, before it was decided.",
                 when=words["datetime"](proposal.expires_at))
    return _("This proposal has already been decided: it is %(status)s.",
             status=words["name"]("proposal_status", proposal.status.value))


async def decided(request: Request, caller: Principal, services: Gateway, proposal: Proposal,
                  decision: matching.AcceptProposal | matching.RejectProposal,
                  notice: str) -> Response:
    """The decision sent; a refusal because the offer changed meanwhile is said in a sentence."""
    try:
        await services.ask(decision, Proposal)
        return done(f"/proposals/{proposal.id}", notice)
    except HTTPException as refusal:
        if refusal.status_code != 409:
            raise
    now = await visible_proposal(proposal.id, caller, services)
    return await render(request, "proposals/detail.html", caller, status=409,
                        flashes=[Flash("error", why_not(translator(request, caller), now))],
                        **await proposal_context(caller, services, now))


@router.post("/proposals/{proposal_id}/accept", response_class=HTMLResponse)
async def accept(request: Request, proposal: DecidableProposal, caller: Caller,
                 services: Services) -> Response:
    form = await request.form()
    return await decided(request, caller, services, proposal, matching.AcceptProposal(
        tenant_id=caller.tenant_id, proposal_id=proposal.id, decided_by=caller.user_id,
        idempotency_key=form_key(caller, form)), "accepted")


@router.post("/proposals/{proposal_id}/reject", response_class=HTMLResponse)
async def reject(request: Request, proposal: DecidableProposal, caller: Caller,
                 services: Services) -> Response:
    form = await request.form()
    reason = first(form, "reason").strip()
    rejection, _errors = validated(api.Rejection, {"reason": reason})
    if rejection is None:
        words = translator(request, caller)
        _ = words["_"]
        context = await proposal_context(caller, services, proposal)
        context.update(values={"reason": reason},
                       errors={"reason": _("Say why, so that matching and the "
                                                    "project's staff know.")})
        return await render(request, "proposals/detail.html", caller, status=422, **context)
    return await decided(request, caller, services, proposal, matching.RejectProposal(
        tenant_id=caller.tenant_id, proposal_id=proposal.id, decided_by=caller.user_id,
        reason=rejection.reason, idempotency_key=form_key(caller, form)), "rejected")

