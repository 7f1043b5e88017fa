"""Bodies of the portal's HTTP API (v1). Ids are optional: a client that sends one may retry safely."""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, Literal, TypeVar

from pydantic import Field

from .envelope import Contract
from .matching import BreakdownBy, Lead, LinkLeads, ParkChange, PlanSummary, StationPerformance
from .models import (
    DeadLetter,
    Flag,
    Id,
    ParkFields,
    Password,
    Placement,
    Project,
    ProjectFields,
    ProjectStatus,
    Proposal,
    ProposalStatus,
    UserFields,
    Username,
)
from .people import (
    ContactFields,
    EnterpriseScale,
    Influence,
    Person,
    PersonFields,
    PersonStatus,
    Station,
    StationFields,
    TaskFields,
    TaskStatus,
)
from .regions import Province
from .registry import UserView
from .system import Problem

T = TypeVar("T")


class NewPark(ParkFields):
    id: Id | None = None


class NewProject(ProjectFields):
    id: Id | None = None
    # The contact that brought the project (`POST /api/v1/people/{id}/contacts`): the project is
    # linked to the person and to the lead behind the contact, so both can be counted.
    contact_id: Id | None = None


class NewUser(UserFields):
    """With a `username` and `password`, the user can sign in; the password is never answered."""

    id: Id | None = None
    username: Username | None = None
    password: Password | None = Field(default=None, repr=False)


class UserUpdate(UserFields):
    """A user's whole new state. `managed_park_ids` become exactly the parks they manage (park
    managers only); disabling a user, or changing their role, ends their sessions at once."""

    disabled: Flag = False
    managed_park_ids: list[Id] = Field(default=[], max_length=200)


class Credentials(Contract):
    username: str = Field(min_length=1, max_length=64, examples=["heze.admin"])
    password: Password = Field(repr=False)


class SignedIn(Contract):
    """The signed-in user; send `csrf_token` as X-CSRF-Token with every POST, PUT and DELETE."""

    user: UserView
    csrf_token: str


class PasswordChange(Contract):
    current_password: Password = Field(repr=False)
    new_password: Password = Field(repr=False)


class PasswordReset(Contract):
    new_password: Password = Field(repr=False)


class ProjectAccepted(Contract):
    """202: the project is recorded; matching will place it."""

    id: Id
    status: ProjectStatus = ProjectStatus.submitted


class ProjectView(Contract):
    project: Project
    placement: Placement


class Page(Contract, Generic[T]):
    """One page of a list. `total` counts everything the filters match, not only this page."""

    items: list[T]
    total: int
    limit: int
    offset: int


class ProposalPage(Page[Proposal]):
    """A page of proposals, with how many match each status under the other filters (a status
    none match is left out): `counts.offered` is how many await a decision."""

    counts: dict[ProposalStatus, int]


class DeadLetterPage(Contract):
    """Dead letters oldest first; the next page starts after `next_after`, a stream sequence."""

    items: list[DeadLetter]
    total: int
    limit: int
    next_after: int | None


class Rejection(Contract):
    reason: str = Field(min_length=1, max_length=1000, examples=["场地已另作他用"])


class Withdrawal(Contract):
    reason: str = Field(min_length=1, max_length=1000, examples=["创业者决定留在杭州"])


class WhatIf(Contract):
    """Capacities to try, per park; the plan is computed and shown, never committed."""

    changes: list[ParkChange] = Field(min_length=1, max_length=50, examples=[[
        {"park_id": "caoxian-hanfu-park", "floor_m2": 14000}]])


class HealthReport(Contract):
    """`ok`; `degraded` when every service answers but one set a record aside, or cannot plan a
    city, and goes on with the rest; `down` when NATS or a service does not answer."""

    status: Literal["ok", "degraded", "down"]
    nats: bool
    services: dict[str, bool]


class CityHealth(HealthReport):
    """Health as an admin of one city sees it: with what is set aside or failing there."""

    problems: list[Problem]


class LedgerError(Contract):
    """One mistake in an imported ledger: its sheet row, the header of its column (none when
    the mistake is the row's as a whole), and what is wrong in both languages."""

    row: int
    column: str | None
    message_zh: str
    message_en: str


class LedgerImport(Contract):
    rows: int  # the ledger's rows with anything in them
    imported: int  # new projects (would be, on a dry run)
    updated: int  # projects changed, and planned again
    unchanged: int
    errors: list[LedgerError]


# The dashboard's figures (`GET /api/v1/stats/...`): each thing counted keeps its code in `key`
# for scripts, and its name in the reader's language in `label`, for people.
class StageCount(Contract):
    key: str  # a stage (submitted, proposed, placed) or a project status
    label: str
    projects: int


class FunnelStats(Contract):
    stages: list[StageCount]  # submitted → proposed (ever) → placed (now)
    statuses: list[StageCount]  # where every project stands now
    placement_rate: float  # placed / submitted


class BreakdownStatsRow(Contract):
    key: str  # a sector or county code, a station's name, or a month (YYYY-MM)
    label: str
    projects: int
    placed: int
    investment_yuan: float
    jobs: int


class BreakdownStats(Contract):
    by: BreakdownBy
    rows: list[BreakdownStatsRow]  # projects not withdrawn


class ResourceUseStats(Contract):
    resource: str  # floor_m2, land_mu, slots, subsidy_yuan
    label: str
    capacity: float
    accepted: float
    offered: float
    free: float
    used_pct: float  # (accepted + offered) / capacity, in %; 0 with no capacity


class ParkUseStats(Contract):
    park_id: Id
    park_name: str
    resources: list[ResourceUseStats]


class ParkStats(Contract):
    parks: list[ParkUseStats]


class PlanStatsRow(PlanSummary):
    label: str  # when it finished, in the city's time


class ReasonCount(Contract):
    verdict: str
    rule: str | None = None
    label: str
    projects: int  # unplaced projects at least one park gave this verdict


class PlanStatsView(Contract):
    plans: list[PlanStatsRow]  # newest first
    unplaced: int
    reasons: list[ReasonCount]


# Stations, people, contacts, tasks and leads (`/api/v1/stations`, `/people`, `/tasks`, a park's
# `/leads`).
class NewStation(StationFields):
    id: Id | None = None


class NewPerson(PersonFields):
    id: Id | None = None


class NewContact(ContactFields):
    id: Id | None = None


class NewTask(TaskFields):
    id: Id | None = None


class TaskUpdate(TaskFields):
    """A task's whole new state: reassigned, moved, or closed as done or cancelled."""

    status: TaskStatus = TaskStatus.open


class PersonSummary(Contract):
    """What a list of leads shows of a person: enough to choose whom to approach, no phone."""

    id: Id
    name: str
    status: PersonStatus
    hometown_county: str
    current_province: Province
    current_city: str
    enterprise: str | None
    enterprise_scale: EnterpriseScale | None
    influence: Influence
    station_id: Id | None
    last_contact_on: date | None

    @classmethod
    def of(cls, person: Person) -> PersonSummary:
        return cls.model_validate(person.model_dump(include=set(cls.model_fields)))


class LeadView(Lead):
    person: PersonSummary


class LinkLeadsView(LinkLeads):
    leads: list[LeadView]  # type: ignore[assignment]


class ParkLeadsView(Contract):
    park_id: Id
    park_name: str
    computed_at: datetime | None  # None: not computed yet
    links: list[LinkLeadsView]


class StationPerformanceRow(StationPerformance):
    station: Station
    rank: int  # 1 for the most placed


class StationPerformancePage(Contract):
    since: date | None
    until: date | None
    stations: list[StationPerformanceRow]
