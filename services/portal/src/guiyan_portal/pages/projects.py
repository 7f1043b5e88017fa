"""Staff's pages for projects: the list, one project with its history, and the submit, edit
and withdraw forms."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse

from guiyan_contracts import api, matching, registry
from guiyan_contracts.models import Id, Park, ProjectFields
from guiyan_contracts.taxonomy import load_taxonomy

from ..access import (
    PROJECT_WRITERS,
    Caller,
    Services,
    StaffOrAdmin,
    VisibleProject,
    visible_person,
    visible_project,
)
from ..auth import Principal
from ..gateway import Gateway
from ..i18n import request_locale
from ..stations import city_stations
from . import project_form
from .actions import done, field_errors, form_key, new_key
from .forms import by_field, first, validated
from .rendering import Flash, render, translator
from .wording import money_unit

router = APIRouter(include_in_schema=False)


async def city_parks(services: Gateway, caller: Principal) -> list[Park]:
    found = await services.ask(registry.ListParks(tenant_id=caller.tenant_id, limit=1000),
                               registry.ParkList)
    return found.parks


async def show_form(request: Request, caller: Principal, services: Gateway, *, heading: str,
                    action: str, cancel: str, submit_label: str, values: dict, errors: dict,
                    key: str, status: int = 200) -> HTMLResponse:
    parks, stations = await city_parks(services, caller), await city_stations(services, caller.tenant_id)
    return await render(request, "projects/form.html", caller, status=status,
                        heading=heading, action=action, cancel=cancel, submit_label=submit_label,
                        values=values, errors=errors, idempotency_key=key,
                        options=project_form.options(load_taxonomy(caller.tenant_id), parks,
                                                     stations,
                                                     translator(request, caller)["name"]))


@router.get("/projects/new", response_class=HTMLResponse)
async def new_project(request: Request, caller: StaffOrAdmin, services: Services,
                      contact_id: Id | None = None, person_id: Id | None = None
                      ) -> HTMLResponse:
    """A new project; from a contact with a person, prefilled from them and sent with the
    contact, so that their station is credited and the person is its founder."""
    _ = translator(request, caller)["_"]
    values: dict = {}
    if contact_id and person_id:
        values = project_form.values_from_person(await visible_person(person_id, caller, services),
                                                 contact_id)
    return await show_form(request, caller, services, heading=_("New project"),
                           action="/projects/new", cancel="/projects",
                           submit_label=_("Submit"), values=values, errors={}, key=new_key())


@router.post("/projects/new", response_class=HTMLResponse)
async def submit_project(request: Request, caller: StaffOrAdmin,
                         services: Services) -> Response:
    form = await request.form()
    fields, errors = validated(ProjectFields, project_form.fields(form))
    if fields is not None:
        try:
            project = await services.ask(registry.SubmitProject(
                tenant_id=caller.tenant_id, submitted_by=caller.user_id, project=fields,
                contact_id=first(form, "contact_id") or None,
                idempotency_key=form_key(caller, form)), registry.Project)
            return done(f"/projects/{project.id}", "submitted")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                raise
    _ = translator(request, caller)["_"]
    return await show_form(request, caller, services, heading=_("New project"),
                           action="/projects/new", cancel="/projects", submit_label=_("Submit"),
                           values=project_form.values(form), errors=by_field(request, errors, project_form.field_of),
                           key=new_key(), status=422)


@router.get("/projects/{project_id}", response_class=HTMLResponse)
async def project_page(request: Request, view: VisibleProject, caller: Caller,
                       services: Services) -> HTMLResponse:
    return await render(request, "projects/detail.html", caller,
                        **await project_context(caller, services, view))


@router.get("/projects/{project_id}/edit", response_class=HTMLResponse)
async def edit_project(request: Request, project_id: Id, caller: StaffOrAdmin,
                       services: Services) -> HTMLResponse:
    view = await visible_project(project_id, caller, services)
    _ = translator(request, caller)["_"]
    unit = money_unit(request_locale(request))
    return await show_form(request, caller, services,
                           heading=_("Edit %(name)s") % {"name": view.project.name},
                           action=f"/projects/{project_id}/edit", cancel=f"/projects/{project_id}",
                           submit_label=_("Save"), errors={}, key=new_key(),
                           values=project_form.values_of(view.project, unit))


@router.post("/projects/{project_id}/edit", response_class=HTMLResponse)
async def update_project(request: Request, project_id: Id, caller: StaffOrAdmin,
                         services: Services) -> Response:
    view = await visible_project(project_id, caller, services)
    form = await request.form()
    _ = translator(request, caller)["_"]
    fields, errors = validated(ProjectFields, project_form.fields(form))
    if fields is not None:
        try:
            await services.ask(registry.UpdateProject(
                tenant_id=caller.tenant_id, project_id=project_id, updated_by=caller.user_id,
                project=fields), registry.Project)
            return done(f"/projects/{project_id}", "updated")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None and refusal.status_code == 409:
                return await render(
                    request, "projects/detail.html", caller, status=409,
                    flashes=[Flash("error", _("This project was withdrawn, so it can no longer "
                                              "be changed."))],
                    **await project_context(caller, services,
                                            await visible_project(project_id, caller, services)))
            if errors is None:
                raise
    return await show_form(request, caller, services,
                           heading=_("Edit %(name)s") % {"name": view.project.name},
                           action=f"/projects/{project_id}/edit", cancel=f"/projects/{project_id}",
                           submit_label=_("Save"), values=project_form.values(form),
                           errors=by_field(request, errors, project_form.field_of), key=new_key(), status=422)


async def project_context(caller: Principal, services: Gateway, view: api.ProjectView) -> dict:
    history = await services.ask(matching.GetProjectHistory(
        tenant_id=caller.tenant_id, project_id=view.project.id), matching.ProjectHistory)
    parks = {p.id: p.name for p in await city_parks(services, caller)}
    stations = {s.id: s.name for s in await city_stations(services, caller.tenant_id)}
    return {"project": view.project, "placement": view.placement, "history": history.entries,
            "park_names": parks, "station_names": stations, "values": {}, "errors": {}, "idempotency_key": new_key(),
            "can_change": caller.role in PROJECT_WRITERS and view.project.withdrawn_at is None}


@router.post("/projects/{project_id}/withdraw", response_class=HTMLResponse)
async def withdraw_project(request: Request, project_id: Id, caller: StaffOrAdmin,
                           services: Services) -> Response:
    view = await visible_project(project_id, caller, services)
    form = await request.form()
    reason = first(form, "reason").strip()
    withdrawal, errors = validated(api.Withdrawal, {"reason": reason})
    if withdrawal is not None:
        await services.ask(registry.WithdrawProject(
            tenant_id=caller.tenant_id, project_id=project_id, withdrawn_by=caller.user_id,
            reason=withdrawal.reason, idempotency_key=form_key(caller, form)), registry.Project)
        return done(f"/projects/{project_id}", "withdrawn")
    context = await project_context(caller, services, view)
    context.update(values={"reason": reason}, errors=by_field(request, errors, project_form.field_of))
    return await render(request, "projects/detail.html", caller, status=422, **context)
