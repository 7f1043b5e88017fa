"""People (在外人员, 返乡创业人员): the city's records of natives working away or back home, and
the contacts with them. Every read of personal records is logged in registry; a station's head
sees the people of their station only; leaders and park managers see no one's record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.exceptions import RequestValidationError

from guiyan_contracts import api, people
from guiyan_contracts.models import Id
from guiyan_contracts.people import (
    Contact,
    PeopleSort,
    Person,
    PersonalDataRead,
    PersonErasure,
    PersonFields,
    PersonStatus,
)
from guiyan_contracts.regions import Province

from ..access import (
    Admin,
    IdempotencyKey,
    PeopleReader,
    PeopleStation,
    Services,
    StaffOrAdmin,
    VisiblePerson,
)
from ..errors import answers
from ..filters import Code, Day, Search, given
from ..paging import Limit, Offset
from ..periods import city_today, months_before

router = APIRouter(prefix="/api/v1", tags=["people"])

NotContactedMonths = Annotated[int | None, Query(ge=1, le=120, description=(
    "Only people with no contact recorded in this many months, counted back from today in the "
    "city's time (never contacted included): 6 for the half-yearly round of calls"))]


async def people_filters(station_id: PeopleStation, q: Search = None,
                         province: Province | None = None, city: Search = None,
                         hometown_county: Code = None, sector: Code = None, chain: Code = None,
                         link: Code = None, status: PersonStatus | None = None,
                         contact_consent: bool | None = None,
                         not_contacted_since: Day | None = None,
                         not_contacted_months: NotContactedMonths = None,
                         sort: PeopleSort = PeopleSort.name) -> dict[str, Any]:
    """`ListPeople`'s filters from the query string; a station's head's always name their
    station. `q` looks in the name, enterprise and current city."""
    if not_contacted_months is not None:
        if not_contacted_since is not None:
            raise RequestValidationError([{
                "loc": ("query", "not_contacted_months"), "type": "one_of_two",
                "msg": "give not_contacted_since or not_contacted_months, not both"}])
        not_contacted_since = months_before(city_today(), not_contacted_months)
    return {"station_id": station_id, "q": given(q), "province": province, "city": given(city),
            "hometown_county": given(hometown_county), "sector": given(sector),
            "chain": given(chain), "link": given(link), "status": status,
            "contact_consent": contact_consent, "not_contacted_since": not_contacted_since,
            "sort": sort}


PeopleFilters = Annotated[dict[str, Any], Depends(people_filters)]


@router.get("/people", response_model=api.Page[Person], responses=answers(401, 403, 422, 502, 503))
async def list_people(caller: PeopleReader, services: Services, filters: PeopleFilters,
                      limit: Limit(1000) = 200, offset: Offset = 0) -> Any:
    """The city's people, filtered (staff, admins; a station's head their station's). Each
    read is logged with who asked and the filters (`GET /api/v1/people/reads`)."""
    found = await services.ask(people.ListPeople(
        tenant_id=caller.tenant_id, read_by=caller.user_id, purpose="people.list", **filters,
        limit=limit, offset=offset), people.PersonList)
    return api.Page[Person](items=found.people, total=found.total, limit=limit, offset=offset)


@router.post("/people", response_model=Person, status_code=201,
             responses=answers(401, 403, 409, 413, 422, 502, 503))
async def register_person(body: api.NewPerson, caller: StaffOrAdmin, services: Services,
                          key: IdempotencyKey) -> Any:
    """Record a person (staff, admins). Consent to be contacted needs its date and source; a
    station named must be one of the city's. Sending the same `id` and fields again is safe."""
    return await services.ask(people.RegisterPerson(
        tenant_id=caller.tenant_id, person_id=body.id, registered_by=caller.user_id,
        person=body.model_dump(exclude={"id"}), idempotency_key=key), Person)


@router.get("/people/reads", response_model=api.Page[PersonalDataRead],
            responses=answers(401, 403, 422, 502, 503))
async def personal_data_reads(caller: Admin, services: Services, limit: Limit(1000) = 200,
                              offset: Offset = 0) -> Any:
    """Every bulk read and export of people's records: who, when, for what, how many rows and
    with which filters, newest first (admins)."""
    found = await services.ask(people.ListPersonalDataReads(
        tenant_id=caller.tenant_id, limit=limit, offset=offset), people.PersonalDataReadList)
    return api.Page[PersonalDataRead](items=found.reads, total=found.total, limit=limit,
                                      offset=offset)


@router.get("/people/{person_id}", response_model=Person,
            responses=answers(401, 403, 404, 422, 502, 503))
async def get_person(person: VisiblePerson) -> Any:
    """A person's record (staff, admins; a station's head their station's people)."""
    return person


@router.put("/people/{person_id}", response_model=Person,
            responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def update_person(person_id: Id, body: PersonFields, caller: StaffOrAdmin,
                        services: Services) -> Any:
    """The person's whole new state (staff, admins): a correction, or consent given or
    withdrawn; withdrawn, they are no one's lead any more."""
    return await services.ask(people.UpdatePerson(
        tenant_id=caller.tenant_id, person_id=person_id, updated_by=caller.user_id,
        person=body), Person)


@router.delete("/people/{person_id}", response_model=PersonErasure,
               responses=answers(401, 403, 404, 422, 502, 503))
async def erase_person(person_id: Id, caller: StaffOrAdmin, services: Services,
                       key: IdempotencyKey) -> Any:
    """Erase the person at their request (staff, admins): their record, contacts and tasks,
    and every other service's copy (`PersonErased`). Nothing is kept to know them again, so a
    second erasure finds no one (404), unless sent with the same Idempotency-Key."""
    return await services.ask(people.ErasePerson(
        tenant_id=caller.tenant_id, person_id=person_id, erased_by=caller.user_id,
        idempotency_key=key), PersonErasure)


@router.get("/people/{person_id}/contacts", response_model=api.Page[Contact],
            responses=answers(401, 403, 404, 422, 502, 503))
async def list_contacts(person: VisiblePerson, services: Services, limit: Limit(1000) = 200,
                        offset: Offset = 0) -> Any:
    """The contacts with the person, newest first."""
    found = await services.ask(people.ListContacts(
        tenant_id=person.tenant_id, person_id=person.id, limit=limit, offset=offset),
        people.ContactList)
    return api.Page[Contact](items=found.contacts, total=found.total, limit=limit,
                             offset=offset)


@router.post("/people/{person_id}/contacts", response_model=Contact, status_code=201,
             responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def record_contact(person: VisiblePerson, body: api.NewContact, caller: PeopleReader,
                         services: Services, key: IdempotencyKey) -> Any:
    """Record a visit, call, greeting, meeting or letter (staff, admins; a station's head with
    their station's people). With `task_id`, the follow-up task it does is done."""
    return await services.ask(people.RecordContact(
        tenant_id=caller.tenant_id, contact_id=body.id, person_id=person.id,
        recorded_by=caller.user_id, contact=body.model_dump(exclude={"id"}),
        idempotency_key=key), Contact)
