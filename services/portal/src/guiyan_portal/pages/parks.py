"""Parks as their managers and staff see them (room, budget, projects, a what-if), and the
park form for admins."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse

from guiyan_contracts import matching, registry
from guiyan_contracts.models import Id, Park, ParkFields, ProposalStatus, Role
from guiyan_contracts.taxonomy import load_taxonomy

from ..access import Admin, Caller, ManagedParks, ManagerOrAdmin, Services, visible_park
from ..auth import Principal
from ..gateway import Gateway
from ..routes import parks as park_api
from . import park_form
from .actions import done, field_errors, form_key, new_key
from .forms import by_field, count, first, money, number, validated
from .rendering import Flash, render, translator

router = APIRouter(include_in_schema=False)


@router.get("/parks", response_class=HTMLResponse)
async def park_list(request: Request, caller: Caller, services: Services,
                    managed: ManagedParks) -> HTMLResponse:
    found = await services.ask(registry.ListParks(tenant_id=caller.tenant_id, limit=1000),
                               registry.ParkList)
    parks = [p for p in found.parks if managed is None or p.id in managed]
    return await render(request, "parks/list.html", caller, parks=parks)


async def park_context(caller: Principal, services: Gateway, park: Park, managed: list[str] | None
                       ) -> dict[str, Any]:
    occupancy = await services.ask(matching.GetParkOccupancy(
        tenant_id=caller.tenant_id, park_id=park.id), matching.ParkOccupancy)
    live = await services.ask(matching.ListProposals(
        tenant_id=caller.tenant_id, park_ids=[park.id],
        statuses=[ProposalStatus.offered, ProposalStatus.accepted], limit=200),
        matching.ProposalList)
    return {"park": park, "occupancy": occupancy.resources, "proposals": live.proposals,
            "can_try": caller.role is Role.admin or (managed is not None and park.id in managed),
            "values": {}, "errors": {}, "preview": None}


@router.get("/parks/{park_id}", response_class=HTMLResponse)
async def park_page(request: Request, park_id: Id, caller: Caller,
                    services: Services) -> HTMLResponse:
    park, managed = await visible_park(park_id, caller, services)
    return await render(request, "parks/detail.html", caller,
                        **await park_context(caller, services, park, managed))


@router.post("/parks/{park_id}/what-if", response_class=HTMLResponse)
async def what_if(request: Request, park_id: Id, caller: ManagerOrAdmin,
                  services: Services) -> HTMLResponse:
    """Tried by the park's managers and by admins, as the API's preview is."""
    park, managed = await visible_park(park_id, caller, services)
    form = await request.form()
    unit = first(form, "money_unit") or translator(request, caller)["money_unit"]
    change = {"park_id": park_id, "floor_m2": number(first(form, "floor_m2")),
              "land_mu": number(first(form, "land_mu")),
              "incubator_slots": count(first(form, "incubator_slots")),
              "annual_subsidy_budget_yuan": money(first(form, "budget"), unit)}
    context = await park_context(caller, services, park, managed)
    wanted, errors = validated(matching.ParkChange, change)
    context["values"] = {key: first(form, key)
                         for key in ("floor_m2", "land_mu", "incubator_slots", "budget")}
    if wanted is None:
        context["errors"] = by_field(request, errors, park_form.field_of)
        return await render(request, "parks/detail.html", caller, status=422, **context)
    if all(value is None for key, value in change.items() if key != "park_id"):
        _ = translator(request, caller)["_"]
        context["errors"] = {"floor_m2": _("Give at least one capacity to try.")}
        return await render(request, "parks/detail.html", caller, status=422, **context)
    context["preview"] = await services.ask(matching.PreviewPlan(
        tenant_id=caller.tenant_id, changes=[wanted]), matching.PlanPreview,
        timeout=request.app.state.settings.preview_timeout_seconds)
    return await render(request, "parks/detail.html", caller, **context)


async def managers(services: Gateway, caller: Principal) -> list[Any]:
    found = await services.ask(registry.ListUsers(tenant_id=caller.tenant_id, limit=1000),
                               registry.UserList)
    return [user for user in found.users if user.role is Role.park_manager]


async def show_park_form(request: Request, caller: Principal, services: Gateway, *, heading: str,
                         action: str, cancel: str, values: dict, errors: dict, key: str,
                         status: int = 200, flashes: list[Flash] | None = None) -> HTMLResponse:
    words = translator(request, caller)
    _ = words["_"]
    options = park_form.options(load_taxonomy(caller.tenant_id), await managers(services, caller),
                                words["name"])
    return await render(request, "parks/form.html", caller, status=status, flashes=flashes,
                        heading=heading,
                        action=action, cancel=cancel, submit_label=_("Save"),
                        values=values, errors=errors, idempotency_key=key, options=options)


@router.get("/admin/parks/new", response_class=HTMLResponse)
async def new_park(request: Request, caller: Admin, services: Services) -> HTMLResponse:
    _ = translator(request, caller)["_"]
    return await show_park_form(request, caller, services, heading=_("New park"),
                                action="/admin/parks/new", cancel="/parks", errors={},
                                values=park_form.new_values(), key=new_key())


@router.post("/admin/parks/new", response_class=HTMLResponse)
async def create_park(request: Request, caller: Admin,
                      services: Services) -> Response:
    form = await request.form()
    fields, errors = validated(ParkFields, park_form.fields(form))
    if fields is not None:
        try:
            park = await services.ask(registry.RegisterPark(
                tenant_id=caller.tenant_id, park=fields, idempotency_key=form_key(caller, form)),
                Park)
            return done(f"/parks/{park.id}", "saved")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                raise
    _ = translator(request, caller)["_"]
    return await show_park_form(request, caller, services, heading=_("New park"),
                                action="/admin/parks/new", cancel="/parks",
                                values=park_form.values(form), errors=by_field(request, errors, park_form.field_of),
                                key=new_key(), status=422)


@router.get("/admin/parks/{park_id}/edit", response_class=HTMLResponse)
async def edit_park(request: Request, park_id: Id, caller: Admin,
                    services: Services) -> HTMLResponse:
    park = await services.ask(registry.GetPark(tenant_id=caller.tenant_id, park_id=park_id), Park)
    words = translator(request, caller)
    _ = words["_"]
    return await show_park_form(request, caller, services,
                                heading=_("Edit %(name)s", name=park.name),
                                action=f"/admin/parks/{park_id}/edit", cancel=f"/parks/{park_id}",
                                values=park_form.values_of(park, words["money_unit"]), errors={},
                                key=new_key())


@router.post("/admin/parks/{park_id}/edit", response_class=HTMLResponse)
async def update_park(request: Request, park_id: Id, caller: Admin,
                      services: Services) -> Response:
    park = await services.ask(registry.GetPark(tenant_id=caller.tenant_id, park_id=park_id), Park)
    form = await request.form()
    fields, errors = validated(ParkFields, park_form.fields(form))
    words = translator(request, caller)
    _ = words["_"]
    flashes: list[Flash] = []
    if fields is not None:
        try:
            # The API's own path: registry checks, matching holds the park within it, registry
            # commits; pending offers beyond the new room are withdrawn.
            await park_api.update_park(park_id, fields, caller, services)
            return done(f"/parks/{park_id}", "saved")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                if refusal.status_code != 409:
                    raise
                errors = []
                flashes = [Flash("error", _(
                    "Placed projects already use more than this: the park cannot shrink below "
                    "what it has agreed to host."))]
    return await show_park_form(request, caller, services,
                                heading=_("Edit %(name)s", name=park.name),
                                action=f"/admin/parks/{park_id}/edit", cancel=f"/parks/{park_id}",
                                values=park_form.values(form), errors=by_field(request, errors, park_form.field_of),
                                key=new_key(), status=409 if flashes else 422, flashes=flashes)
