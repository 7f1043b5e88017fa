"""The city's service stations: the list, one station with how it does and the people it
knows, and the station form."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from guiyan_contracts import people as registry_people
from guiyan_contracts import registry
from guiyan_contracts.models import Id, Role, User
from guiyan_contracts.people import Station, StationFields
from guiyan_contracts.taxonomy import load_taxonomy

from ..access import Services, StaffOrAdmin, StationReader, VisibleStation, own_station
from ..auth import Principal
from ..gateway import Gateway
from ..routes.stations import Since, Until, station_performance
from ..stations import city_stations
from . import station_form
from .actions import done, field_errors, form_key, new_key
from .forms import by_field, validated
from .rendering import render, translator

router = APIRouter(include_in_schema=False)
PEOPLE_SHOWN = 20


async def city_staff(services: Gateway, caller: Principal) -> list[User]:
    found = await services.ask(registry.ListUsers(tenant_id=caller.tenant_id, limit=1000),
                               registry.UserList)
    return [user for user in found.users if user.role in (Role.staff, Role.admin)]


@router.get("/stations", response_class=HTMLResponse)
async def station_list(request: Request, caller: StationReader, services: Services) -> Response:
    if (mine := own_station(caller)) is not None:
        return RedirectResponse(f"/stations/{mine}", status_code=303)
    staff = {user.id: user.name for user in await city_staff(services, caller)}
    return await render(request, "stations/list.html", caller,
                        stations=await city_stations(services, caller.tenant_id), staff=staff)


async def show_station_form(request: Request, caller: Principal, services: Gateway, *,
                            heading: str, action: str, cancel: str, values: dict[str, Any],
                            errors: dict[str, str], status: int = 200) -> HTMLResponse:
    words = translator(request, caller)
    options = station_form.options(load_taxonomy(caller.tenant_id),
                                   await city_staff(services, caller), words["name"])
    return await render(request, "stations/form.html", caller, status=status, heading=heading,
                        action=action, cancel=cancel, values=values, errors=errors,
                        options=options, idempotency_key=new_key())


@router.get("/stations/new", response_class=HTMLResponse)
async def new_station(request: Request, caller: StaffOrAdmin, services: Services
                      ) -> HTMLResponse:
    _ = translator(request, caller)["_"]
    return await show_station_form(request, caller, services, heading=_("New station"),
                                   action="/stations/new", cancel="/stations",
                                   values={"level": "city"}, errors={})


@router.post("/stations/new", response_class=HTMLResponse)
async def register_station(request: Request, caller: StaffOrAdmin, services: Services
                           ) -> Response:
    form = await request.form()
    fields, errors = validated(StationFields, station_form.fields(form))
    if fields is not None:
        try:
            station = await services.ask(registry_people.RegisterStation(
                tenant_id=caller.tenant_id, station=fields,
                idempotency_key=form_key(caller, form)), Station)
            return done(f"/stations/{station.id}", "saved")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                raise
    _ = translator(request, caller)["_"]
    return await show_station_form(
        request, caller, services, heading=_("New station"), action="/stations/new",
        cancel="/stations", values=station_form.values(form),
        errors=by_field(request, errors, station_form.field_of), status=422)


@router.get("/stations/{station_id}/edit", response_class=HTMLResponse)
async def edit_station(request: Request, station_id: Id, caller: StaffOrAdmin,
                       services: Services) -> HTMLResponse:
    station = await services.ask(registry_people.GetStation(
        tenant_id=caller.tenant_id, station_id=station_id), Station)
    _ = translator(request, caller)["_"]
    return await show_station_form(request, caller, services,
                                   heading=_("Edit %(name)s", name=station.name),
                                   action=f"/stations/{station_id}/edit",
                                   cancel=f"/stations/{station_id}",
                                   values=station_form.values_of(station), errors={})


@router.post("/stations/{station_id}/edit", response_class=HTMLResponse)
async def update_station(request: Request, station_id: Id, caller: StaffOrAdmin,
                         services: Services) -> Response:
    station = await services.ask(registry_people.GetStation(
        tenant_id=caller.tenant_id, station_id=station_id), Station)
    form = await request.form()
    fields, errors = validated(StationFields, station_form.fields(form, kept=station))
    if fields is not None:
        try:
            await services.ask(registry_people.UpdateStation(
                tenant_id=caller.tenant_id, station_id=station_id, updated_by=caller.user_id,
                station=fields), Station)
            return done(f"/stations/{station_id}", "saved")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                raise
    _ = translator(request, caller)["_"]
    return await show_station_form(
        request, caller, services, heading=_("Edit %(name)s", name=station.name),
        action=f"/stations/{station_id}/edit", cancel=f"/stations/{station_id}",
        values=station_form.values(form),
        errors=by_field(request, errors, station_form.field_of), status=422)


# After "/stations/new", which it would otherwise take for a station's id.
@router.get("/stations/{station_id}", response_class=HTMLResponse)
async def station_page(request: Request, station: VisibleStation, caller: StationReader,
                       services: Services, since: Since = None, until: Until = None
                       ) -> HTMLResponse:
    performance = await station_performance(station, services, since, until)
    people = None
    if caller.role is not Role.leader:  # leaders see how a station does, not whom it knows
        people = await services.ask(registry_people.ListPeople(
            tenant_id=caller.tenant_id, read_by=caller.user_id, station_id=station.id,
            limit=PEOPLE_SHOWN), registry_people.PersonList)
    staff = {user.id: user.name for user in await city_staff(services, caller)}
    return await render(request, "stations/detail.html", caller, station=station,
                        performance=performance, people=people, staff=staff,
                        period={"from": since.isoformat() if since else "",
                                "to": until.isoformat() if until else ""})
