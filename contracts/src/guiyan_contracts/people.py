"""registry's records of people (五库 of 在外人员 and 返乡创业人员): service stations, the people
they know, contacts with them and follow-up tasks, and the log of who read personal data.

Personal data stays in registry. Events carry a person's `PersonFacts` only: what matching needs
to find leads (their link, scale, influence, hometown, station, consent, last contact), never a
name, phone number or note, so that erasing the record in registry leaves no name anywhere."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Self

from pydantic import Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from .envelope import CityId, Contract, Event, Offset, Request
from .models import Flag, Id
from .regions import Province

Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9+() -]{5,24}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Place = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Search = Annotated[str, Field(min_length=1, max_length=100)]  # a case-insensitive substring
Code = Annotated[str, Field(min_length=1, max_length=64)]


# --- service stations (返乡创业服务站) -------------------------------------------------------------

class StationLevel(StrEnum):
    city = "city"  # 市级服务站
    county = "county"  # 县级服务站


class StationContact(Contract):
    name: Name
    phone: Phone | None = None
    duty: Name | None = None  # 秘书长, 联络员…


class StationFields(Contract):
    name: Name = Field(examples=["杭州站"])
    level: StationLevel
    # A county-level station is run by one of the city's counties; a city-level one by the city.
    county: Code | None = None
    host_city: Place = Field(examples=["杭州"])  # where it is, among natives working away
    host_province: Province
    head_name: Name  # the successful native who leads it (站长)
    head_phone: Phone | None = None
    contacts: list[StationContact] = Field(default=[], max_length=20)
    founded_on: date | None = None
    staff_ids: list[Id] = Field(default=[], max_length=20)  # the staff responsible for it

    @model_validator(mode="after")
    def _county_for_county_level(self) -> Self:
        if (self.level is StationLevel.county) != (self.county is not None):
            raise PydanticCustomError("station_county_by_level",
                                      "a county-level station names its county; a city-level one names none")
        return self


class Station(StationFields):
    id: Id
    tenant_id: CityId
    created_at: datetime
    updated_at: datetime | None = None


# --- people (在外人员库, 返乡创业人员库) ---------------------------------------------------------------

class PersonStatus(StrEnum):
    away = "away"  # 在外: working away from home
    returned = "returned"  # 已返乡
    founder = "founder"  # 返乡创业: came back and founded a business


class PersonRole(StrEnum):
    worker = "worker"
    manager = "manager"
    entrepreneur = "entrepreneur"


class EnterpriseScale(StrEnum):
    micro = "micro"
    small = "small"
    medium = "medium"
    large = "large"


class Influence(StrEnum):
    """How far the person's word carries among natives and in their trade (影响力)."""

    general = "general"
    notable = "notable"
    key = "key"  # 重点人士: contacted regularly


class ConsentSource(StrEnum):
    """How the person agreed to be contacted about coming home (同意方式)."""

    written = "written"  # a signed form
    online = "online"  # a form online
    phone = "phone"  # said on a call, noted by staff
    station = "station"  # collected by their station


class PersonFields(Contract):
    """What staff record of a person, and no more than the purpose (bringing projects home)
    needs: no identity-card number, birth date, family or income."""

    name: Name
    phone: Phone | None = None
    status: PersonStatus = PersonStatus.away
    hometown_county: Code
    current_province: Province
    current_city: Place
    sector: Code | None = None
    chain: Code | None = None
    link: Code | None = None
    role: PersonRole = PersonRole.worker
    enterprise: Name | None = None
    enterprise_scale: EnterpriseScale | None = None
    influence: Influence = Influence.general
    station_id: Id | None = None  # the station that knows them
    contact_consent: Flag = False
    consent_on: date | None = None
    consent_source: ConsentSource | None = None
    # The person's number in an archive ledger (档案编号), by which a ledger imported again finds
    # the people it made.
    archive_ref: str | None = Field(default=None, min_length=1, max_length=64)

    @model_validator(mode="after")
    def _consent_recorded(self) -> Self:
        if self.contact_consent and (self.consent_on is None or self.consent_source is None):
            raise PydanticCustomError("consent_needs_date_and_source",
                                      "consent to be contacted needs its date and source")
        if (self.chain is None) != (self.link is None) or (self.chain and not self.sector):
            raise PydanticCustomError("chain_needs_link",
                                      "a chain needs its sector and link, and a link its chain")
        return self


class Person(PersonFields):
    id: Id
    tenant_id: CityId
    created_at: datetime
    updated_at: datetime | None = None
    last_contact_on: date | None = None  # the latest contact recorded
    project_ids: list[Id] = Field(default=[])  # projects submitted from a contact with them (founded, once back)


class PersonFacts(Contract):
    """A person as events carry them: what leads are made of, and nothing that names them."""

    id: Id
    status: PersonStatus
    hometown_county: Code
    current_province: Province
    sector: Code | None
    chain: Code | None
    link: Code | None
    role: PersonRole
    enterprise_scale: EnterpriseScale | None
    influence: Influence
    station_id: Id | None
    contact_consent: bool
    last_contact_on: date | None

    @classmethod
    def of(cls, person: Person) -> PersonFacts:
        return cls.model_validate(person.model_dump(include=set(cls.model_fields)))


# --- contacts and follow-up tasks -------------------------------------------------------------

class ContactMethod(StrEnum):
    visit = "visit"  # 走访
    call = "call"  # 电话
    greeting = "greeting"  # 节日问候
    meeting = "meeting"  # 座谈/恳谈会
    letter = "letter"  # 信函, 短信, 邮件


class ContactFields(Contract):
    method: ContactMethod
    on: date
    with_whom: Name | None = None  # who of the staff or the station spoke with them, if not the recorder
    notes: Note = ""
    task_id: Id | None = None  # the follow-up task this contact does: it is done by it


class Contact(ContactFields):
    id: Id
    tenant_id: CityId
    person_id: Id
    recorded_by: Id
    recorded_at: datetime


class LeadRef(Contract):
    """The chain-gap lead a task was made from: the park and the link it lacks."""

    park_id: Id
    chain: Code
    link: Code


class TaskStatus(StrEnum):
    open = "open"
    done = "done"
    cancelled = "cancelled"


class TaskFields(Contract):
    person_id: Id
    assignee_id: Id  # a staff member of the city
    due_on: date
    notes: Note = ""
    lead: LeadRef | None = None


class Task(TaskFields):
    id: Id
    tenant_id: CityId
    status: TaskStatus = TaskStatus.open
    created_by: Id
    created_at: datetime
    done_at: datetime | None = None
    contact_id: Id | None = None  # the contact that did it


class PersonalDataRead(Contract):
    """One bulk read or export of personal records: who, when, what and how many."""

    id: Id
    tenant_id: CityId
    read_by: Id
    read_at: datetime
    what: str  # people.list, people.export, leads…
    rows: int
    filters: dict[str, str]


# --- events ------------------------------------------------------------------------------------

def erasure_digest(tenant_id: str, person_id: str) -> str:
    """What a service keeps of an erased person: that someone of this city was erased, so that
    an event about them arriving late (redelivered after a failure, or replayed from the dead
    letters) does not bring them back; never the id itself."""
    return hashlib.sha256(f"{tenant_id}\n{person_id}".encode()).hexdigest()


class PersonRegistered(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.person.registered.v1"
    person: PersonFacts


class PersonUpdated(Event):
    """Anything of the person changed, a contact recorded or consent withdrawn among it."""

    SUBJECT: ClassVar[str] = "guiyan.registry.person.updated.v1"
    person: PersonFacts


class PersonErased(Event):
    """The person's record is gone at their request: every service drops what it holds of them."""

    SUBJECT: ClassVar[str] = "guiyan.registry.person.erased.v1"
    person_id: Id


class TaskAssigned(Event):
    """A follow-up task for a staff member: notification tells them. It names the person by id
    only."""

    SUBJECT: ClassVar[str] = "guiyan.registry.task.assigned.v1"
    task_id: Id
    person_id: Id
    assignee_id: Id
    due_on: date
    assigned_by: Id


# --- commands ----------------------------------------------------------------------------------

class RegisterStation(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.station.register.v1"
    station_id: Id | None = None
    station: StationFields


class UpdateStation(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.station.update.v1"
    station_id: Id
    updated_by: Id
    station: StationFields


class RegisterPerson(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.person.register.v1"
    person_id: Id | None = None
    registered_by: Id
    person: PersonFields


class UpdatePerson(Request):
    """The person's whole new state: a correction, or consent given or withdrawn."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.person.update.v1"
    person_id: Id
    updated_by: Id
    person: PersonFields


class ErasePerson(Request):
    """Erasure on request: the record, their contacts and tasks go, and their link to projects;
    `PersonErased` tells every other service to drop its copy. Nothing of the person is kept to
    know them again: a second erasure finds no one (404), unless sent with the same
    idempotency key, which answers as the first."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.person.erase.v1"
    person_id: Id
    erased_by: Id


class PersonErasure(Contract):
    person_id: Id
    erased_at: datetime


class RecordContact(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.contact.record.v1"
    contact_id: Id | None = None
    person_id: Id
    recorded_by: Id
    contact: ContactFields


class CreateTask(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.task.create.v1"
    task_id: Id | None = None
    created_by: Id
    task: TaskFields


class UpdateTask(Request):
    """A task reassigned, moved, or closed (done or cancelled)."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.task.update.v1"
    task_id: Id
    updated_by: Id
    task: TaskFields
    status: TaskStatus = TaskStatus.open


# --- queries -----------------------------------------------------------------------------------

class GetStation(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.station.get.v1"
    station_id: Id


class ListStations(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.station.list.v1"
    q: Search | None = None  # in the name, host city or head's name
    level: StationLevel | None = None
    province: Province | None = None
    limit: int = Field(default=500, ge=1, le=1000)
    offset: Offset = 0


class StationList(Contract):
    stations: list[Station]
    total: int


class GetPerson(Request):
    """One person's record. `read_by` is logged with the read."""

    SUBJECT: ClassVar[str] = "guiyan.query.registry.person.get.v1"
    person_id: Id
    read_by: Id


class GetPeople(Request):
    """People by id (a park's leads, a task list's names), logged as one bulk read; ids not
    found (erased) are left out."""

    SUBJECT: ClassVar[str] = "guiyan.query.registry.person.many.v1"
    person_ids: list[Id] = Field(max_length=1000)
    read_by: Id
    purpose: Code = "people.get"


class PeopleSort(StrEnum):
    name = "name"
    newest = "newest"
    least_recently_contacted = "least_recently_contacted"


class ListPeople(Request):
    """A page of the city's people, filtered; every such read is logged with who asked and the
    filters."""

    SUBJECT: ClassVar[str] = "guiyan.query.registry.person.list.v1"
    read_by: Id
    purpose: Code = "people.list"  # people.list, people.export
    q: Search | None = None  # in the name, enterprise or current city
    province: Province | None = None
    city: Search | None = None  # the current city, exactly
    hometown_county: Code | None = None
    sector: Code | None = None
    chain: Code | None = None
    link: Code | None = None
    station_id: Id | None = None
    status: PersonStatus | None = None
    contact_consent: bool | None = None
    # People with no contact recorded on or after this day (never contacted included).
    not_contacted_since: date | None = None
    sort: PeopleSort = PeopleSort.name
    limit: int = Field(default=200, ge=1, le=1000)
    offset: Offset = 0


class PersonList(Contract):
    people: list[Person]
    total: int


class ListContacts(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.contact.list.v1"
    person_id: Id
    limit: int = Field(default=200, ge=1, le=1000)
    offset: Offset = 0


class ContactList(Contract):
    contacts: list[Contact]  # newest first
    total: int


class ListTasks(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.task.list.v1"
    assignee_id: Id | None = None
    person_id: Id | None = None
    status: TaskStatus | None = None
    overdue_on: date | None = None  # only open tasks due before this day
    limit: int = Field(default=200, ge=1, le=1000)
    offset: Offset = 0


class TaskList(Contract):
    tasks: list[Task]  # soonest due first
    total: int


class ListPersonalDataReads(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.personal_data.reads.v1"
    limit: int = Field(default=200, ge=1, le=1000)
    offset: Offset = 0


class PersonalDataReadList(Contract):
    reads: list[PersonalDataRead]  # newest first
    total: int

