"""The people the city keeps in touch with: the list with its filters, a person's profile with
their contacts and open tasks, the person form, and erasure on request."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from guiyan_contracts import api, registry
from guiyan_contracts import people as registry_people
from guiyan_contracts.models import Id, Role
from guiyan_contracts.people import (
    PeopleSort,
    Person,
    PersonErasure,
    PersonFields,
    PersonStatus,
    TaskStatus,
)
from guiyan_contracts.taxonomy import load_taxonomy

from ..access import (
    PeopleReader,
    Services,
    StaffOrAdmin,
    VisiblePerson,
    people_station,
    visible_person,
)
from ..auth import Principal
from ..gateway import Gateway
from ..periods import city_today, months_before
from ..stations import city_stations
from . import person_form
from .actions import done, field_errors, form_key, new_key
from .forms import by_field, validated
from .lists import Text, paged
from .rendering import render, translator
from .stations import city_staff

router = APIRouter(include_in_schema=False)
PAGE = 25
# "Not contacted for six months": key people are to hear from the city at least that often.
QUIET_MONTHS = 6


def link_filter(choice: str | None) -> dict[str, str | None]:
    """A link chosen in the filters (sector/chain/link), or a sector alone, as the query's
    fields."""
    sector, chain, link = [*(choice or "").split("/"), "", ""][:3]
    return {"sector": sector or None, "chain": chain or None, "link": link or None}


def consent_filter(choice: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(choice or "")


def export_href(filters: dict[str, str | None]) -> str:
    """The archive of the people the page lists, as `GET /api/v1/people/export.xlsx` names the
    same filters."""
    asked = {"q": filters["q"], "province": filters["province"], "city": filters["city"],
             "hometown_county": filters["county"], **link_filter(filters["link"]),
             "station_id": filters["station_id"], "status": filters["status"],
             "contact_consent": {"yes": "true", "no": "false"}.get(filters["consent"] or ""),
             "not_contacted_months": str(QUIET_MONTHS) if filters["quiet"] else None,
             "sort": filters["sort"]}
    return "/api/v1/people/export.xlsx?" + urlencode({k: v for k, v in asked.items() if v})


@router.get("/people", response_class=HTMLResponse)
async def people_list(request: Request, caller: PeopleReader, services: Services,
                      q: Text = None, province: Text = None,
                      city: Text = None, county: Text = None,
                      link: Text = None, station_id: Text = None,
                      status: Text = None, consent: Text = None,
                      quiet: Text = None, sort: PeopleSort = PeopleSort.name,
                      offset: int = Query(0, ge=0, le=1_000_000)) -> HTMLResponse:
    station_id = await people_station(caller, station_id or None)
    filters = {"q": q, "province": province, "city": city, "county": county, "link": link,
               "station_id": station_id, "status": status, "consent": consent, "quiet": quiet,
               "sort": sort.value}
    query, _unreadable = validated(registry_people.ListPeople, {
        "tenant_id": caller.tenant_id, "read_by": caller.user_id, "q": q or None,
        "province": province or None, "city": city or None, "hometown_county": county or None,
        **link_filter(link), "station_id": station_id or None, "status": status or None,
        "contact_consent": consent_filter(consent),
        "not_contacted_since": months_before(city_today(), QUIET_MONTHS) if quiet else None,
        "sort": sort, "limit": PAGE, "offset": offset})
    if query is None:  # a filter no choice of the page offers: nothing matches it
        found = registry_people.PersonList(people=[], total=0)
    else:
        found = await services.ask(query, registry_people.PersonList)
    words = translator(request, caller)
    name, _ = words["name"], words["_"]
    stations = await city_stations(services, caller.tenant_id)
    taxonomy = load_taxonomy(caller.tenant_id)
    options = person_form.options(taxonomy, stations, name) | {
        "sectors": [(s.code, name("sector", s.code)) for s in taxonomy.sectors],
        "consents": [("yes", _("Agreed to be contacted")), ("no", _("Not agreed"))],
        "sorts": [(PeopleSort.name.value, _("Name")), (PeopleSort.newest.value, _("Newest first")),
                  (PeopleSort.least_recently_contacted.value, _("Longest without contact"))]}
    return await render(request, "people/list.html", caller, filters=filters, options=options,
                        page=api.Page(items=found.people, total=found.total, limit=PAGE,
                                      offset=offset),
                        station_names={s.id: s.name for s in stations},
                        href=paged("/people", filters), export=export_href(filters),
                        locked=caller.role is Role.station)


async def show_person_form(request: Request, caller: Principal, services: Gateway, *,
                           heading: str, action: str, cancel: str, values: dict[str, Any],
                           errors: dict[str, str], status: int = 200) -> HTMLResponse:
    words = translator(request, caller)
    options = person_form.options(load_taxonomy(caller.tenant_id),
                                  await city_stations(services, caller.tenant_id), words["name"])
    return await render(request, "people/form.html", caller, status=status, heading=heading,
                        action=action, cancel=cancel, values=values, errors=errors,
                        options=options, idempotency_key=new_key())


@router.get("/people/new", response_class=HTMLResponse)
async def new_person(request: Request, caller: StaffOrAdmin, services: Services
                     ) -> HTMLResponse:
    _ = translator(request, caller)["_"]
    return await show_person_form(request, caller, services, heading=_("New person"),
                                  action="/people/new", cancel="/people",
                                  values={"status": PersonStatus.away.value}, errors={})


@router.post("/people/new", response_class=HTMLResponse)
async def register_person(request: Request, caller: StaffOrAdmin, services: Services
                          ) -> Response:
    form = await request.form()
    fields, errors = validated(PersonFields, person_form.fields(form))
    if fields is not None:
        try:
            person = await services.ask(registry_people.RegisterPerson(
                tenant_id=caller.tenant_id, registered_by=caller.user_id, person=fields,
                idempotency_key=form_key(caller, form)), Person)
            return done(f"/people/{person.id}", "saved")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                raise
    _ = translator(request, caller)["_"]
    return await show_person_form(
        request, caller, services, heading=_("New person"), action="/people/new",
        cancel="/people", values=person_form.values(form),
        errors=by_field(request, errors, person_form.field_of), status=422)


@router.get("/people/{person_id}/edit", response_class=HTMLResponse)
async def edit_person(request: Request, person_id: Id, caller: StaffOrAdmin,
                      services: Services) -> HTMLResponse:
    person = await visible_person(person_id, caller, services)
    _ = translator(request, caller)["_"]
    return await show_person_form(request, caller, services,
                                  heading=_("Edit %(name)s", name=person.name),
                                  action=f"/people/{person_id}/edit",
                                  cancel=f"/people/{person_id}",
                                  values=person_form.values_of(person), errors={})


@router.post("/people/{person_id}/edit", response_class=HTMLResponse)
async def update_person(request: Request, person_id: Id, caller: StaffOrAdmin,
                        services: Services) -> Response:
    person = await visible_person(person_id, caller, services)
    form = await request.form()
    fields, errors = validated(PersonFields, person_form.fields(form, kept=person))
    if fields is not None:
        try:
            await services.ask(registry_people.UpdatePerson(
                tenant_id=caller.tenant_id, person_id=person_id, updated_by=caller.user_id,
                person=fields), Person)
            return done(f"/people/{person_id}", "saved")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                raise
    _ = translator(request, caller)["_"]
    return await show_person_form(
        request, caller, services, heading=_("Edit %(name)s", name=person.name),
        action=f"/people/{person_id}/edit", cancel=f"/people/{person_id}",
        values=person_form.values(form),
        errors=by_field(request, errors, person_form.field_of), status=422)


@router.get("/people/{person_id}/erase", response_class=HTMLResponse)
async def erase_page(request: Request, person_id: Id, caller: StaffOrAdmin,
                     services: Services) -> HTMLResponse:
    person = await visible_person(person_id, caller, services)
    return await render(request, "people/erase.html", caller, person=person,
                        idempotency_key=new_key())


@router.post("/people/{person_id}/erase", response_class=HTMLResponse)
async def erase_person(request: Request, person_id: Id, caller: StaffOrAdmin,
                       services: Services) -> Response:
    form = await request.form()
    await services.ask(registry_people.ErasePerson(
        tenant_id=caller.tenant_id, person_id=person_id, erased_by=caller.user_id,
        idempotency_key=form_key(caller, form)), PersonErasure)
    return RedirectResponse("/people?notice=erased", status_code=303)


async def founded_projects(services: Gateway, caller: Principal, person: Person
                           ) -> list[registry.Project]:
    """The projects submitted from a contact with the person; one withdrawn since is shown."""
    return list(await asyncio.gather(*(
        services.ask(registry.GetProject(tenant_id=caller.tenant_id, project_id=project_id),
                     registry.Project) for project_id in person.project_ids)))


# After "/people/new", which it would otherwise take for a person's id.
@router.get("/people/{person_id}", response_class=HTMLResponse)
async def person_page(request: Request, person: VisiblePerson, caller: PeopleReader,
                      services: Services) -> HTMLResponse:
    can_change = caller.role in (Role.staff, Role.admin)
    contacts, staff, stations = await asyncio.gather(
        services.ask(registry_people.ListContacts(tenant_id=caller.tenant_id,
                                                  person_id=person.id),
                     registry_people.ContactList),
        city_staff(services, caller), city_stations(services, caller.tenant_id))
    # Tasks are the staff's work, and projects are read by the city's staff: a station's head
    # sees the person and the contacts with them.
    tasks, projects = await asyncio.gather(
        services.ask(registry_people.ListTasks(tenant_id=caller.tenant_id, person_id=person.id,
                                               status=TaskStatus.open),
                     registry_people.TaskList),
        founded_projects(services, caller, person)) if can_change else (None, [])
    return await render(request, "people/detail.html", caller, person=person,
                        contacts=contacts.contacts, tasks=tasks.tasks if tasks else [],
                        projects=projects, staff={user.id: user.name for user in staff},
                        station_names={s.id: s.name for s in stations},
                        can_change=can_change, idempotency_key=new_key())
