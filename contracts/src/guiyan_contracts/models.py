"""Shapes shared by events, requests and the HTTP API (v1)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import EmailStr, Field, Strict, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from .envelope import CityId, Contract

# Opaque identifiers: UUID strings for new records, readable slugs for seeded ones.
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=ID_PATTERN)]

# What people enter is taken as sent: `true` or "5" is not a number, and 5.0 is not a count.
Amount = Annotated[float, Strict()]
Count = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]


class ParkKind(StrEnum):
    incubator = "incubator"  # 孵化基地
    return_home_park = "return_home_park"  # 返乡创业园
    industrial_cluster = "industrial_cluster"  # 产业集聚区
    chemical_park = "chemical_park"  # 化工园区


class Role(StrEnum):
    admin = "admin"
    staff = "staff"  # 招商/人社 investment-promotion staff
    park_manager = "park_manager"
    leader = "leader"  # 领导: reads everything of the city, changes nothing
    station = "station"  # a service station's head (站长): their station and its people only


class ChainLink(Contract):
    chain: str = Field(min_length=1, max_length=64)
    link: str = Field(min_length=1, max_length=64)


class SubsidyPolicy(Contract):
    """Per-park subsidy policy; defaults are the typical figures in shared/domain.md."""

    rent_yuan_per_m2_month: Amount = Field(default=20, ge=0, le=1000)
    free_premises_months: Count = Field(default=0, ge=0, le=60)  # 免费场地
    rent_subsidy_pct_by_year: list[Amount] = Field(default=[100, 50, 50], max_length=10)
    rent_subsidy_cap_yuan_per_m2_month: Amount = Field(default=80, ge=0, le=10_000)
    rent_subsidy_area_cap_m2: Amount = Field(default=1000, ge=0, le=10_000_000)
    fee_yuan_per_m2_month: Amount = Field(default=3, ge=0, le=1000)  # property, sanitation, utilities
    fee_subsidy_pct: Amount = Field(default=50, ge=0, le=100)
    fee_subsidy_cap_yuan_per_year: Amount = Field(default=20000, ge=0, le=1e9)
    one_off_subsidy_yuan: Amount = Field(default=12000, ge=0, le=1e9)
    one_off_subsidy_with_hires_yuan: Amount = Field(default=30000, ge=0, le=1e9)
    one_off_hires_threshold: Count = Field(default=5, ge=0, le=1_000_000)
    per_job_subsidy_yuan: Amount = Field(default=2000, ge=0, le=1e7)
    loan_guarantee_cap_yuan: Amount = Field(default=3_000_000, ge=0, le=1e10)  # 创业担保贷款, not budgeted

    # The model validators here and below raise errors of a type of their own, so that a page
    # translates them by type rather than by their English text.
    @model_validator(mode="after")
    def _percentages_in_range(self) -> Self:
        if any(not 0 <= p <= 100 for p in self.rent_subsidy_pct_by_year):
            raise PydanticCustomError("percentage_out_of_range",
                                      "rent_subsidy_pct_by_year entries must be between 0 and 100")
        return self


class ParkFields(Contract):
    """What staff enter for a park."""

    name: str = Field(min_length=1, max_length=200)
    kind: ParkKind
    county: str = Field(min_length=1, max_length=64)
    sectors: list[str] = Field(min_length=1, max_length=32)
    hosted_links: list[ChainLink] = Field(default=[], max_length=200)
    floor_m2: Amount = Field(default=0, ge=0, le=10_000_000)
    land_mu: Amount = Field(default=0, ge=0, le=1_000_000)
    incubator_slots: Count = Field(default=0, ge=0, le=100_000)
    subsidy_policy: SubsidyPolicy = SubsidyPolicy()
    annual_subsidy_budget_yuan: Amount = Field(default=0, ge=0, le=1e11)
    chemical_park_certified: Flag = False  # 省认定化工园区
    min_investment_yuan_per_mu: Amount = Field(default=0, ge=0, le=1e9)  # 投资强度
    min_tax_yuan_per_mu_year: Amount = Field(default=0, ge=0, le=1e9)  # 亩均税收
    facilities: list[str] = Field(default=[], max_length=50, examples=[["wastewater_treatment"]])
    manager_ids: list[Id] = Field(default=[], max_length=50)

    @model_validator(mode="after")
    def _has_some_capacity(self) -> Self:
        if self.floor_m2 == 0 and self.land_mu == 0:
            raise PydanticCustomError("park_without_capacity", "a park needs floor_m2 or land_mu above zero")
        if self.chemical_park_certified and self.kind is not ParkKind.chemical_park:
            raise PydanticCustomError("certified_but_not_chemical_park",
                                      "only a chemical_park can be chemical_park_certified")
        return self


class Park(ParkFields):
    id: Id
    tenant_id: CityId
    created_at: datetime


class ProjectFields(Contract):
    """What investment-promotion staff enter for a project."""

    name: str = Field(min_length=1, max_length=200)
    founder: str = Field(min_length=1, max_length=100)
    # The service station that brought it: a station's id, which registry checks. A ledger names
    # the station, and the portal reads the name into its id.
    source: str = Field(min_length=1, max_length=100, examples=["hangzhou"])
    hometown_county: str = Field(min_length=1, max_length=64)
    sector: str = Field(min_length=1, max_length=64)
    chain: str = Field(min_length=1, max_length=64)
    link: str = Field(min_length=1, max_length=64)
    floor_m2: Amount = Field(default=0, ge=0, le=1_000_000)
    land_mu: Amount = Field(default=0, ge=0, le=100_000)
    investment_yuan: Amount = Field(ge=0, le=1e12)
    jobs: Count = Field(ge=0, le=1_000_000)
    hazardous_process: Flag = False
    registered_on: date | None = None  # business registration; incubators need a recent one
    expected_tax_yuan_per_year: Amount = Field(default=0, ge=0, le=1e11)
    required_facilities: list[str] = Field(default=[], max_length=20)
    preferred_park_ids: list[Id] = Field(default=[], max_length=20)  # first choice first
    # The project's number (项目编号) in a county's Excel ledger (台账), by which a ledger
    # imported again finds the projects it made.
    ledger_ref: str | None = Field(default=None, min_length=1, max_length=64)

    @model_validator(mode="after")
    def _needs_floor_or_land(self) -> Self:
        if (self.floor_m2 > 0) == (self.land_mu > 0):
            raise PydanticCustomError("project_floor_or_land",
                                      "a project needs exactly one of floor_m2 or land_mu above zero")
        return self


class Project(ProjectFields):
    id: Id
    tenant_id: CityId
    submitted_by: Id
    submitted_at: datetime
    updated_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawn_reason: str | None = None


class UserFields(Contract):
    name: str = Field(min_length=1, max_length=100)
    role: Role
    email: EmailStr | None = None
    locale: str = Field(default="zh", pattern="^(zh|en)$")
    station_id: Id | None = None  # the station a `station` user heads; no other role has one


# A username names one user across every city, so signing in needs no city: letters, digits
# and `._-`, compared without regard to case.
USERNAME_PATTERN = r"^[A-Za-z0-9._-]{3,64}$"
Username = Annotated[str, StringConstraints(min_length=3, max_length=64, pattern=USERNAME_PATTERN)]
# What a password may be is registry's policy; this bounds only what is sent, so that no one can
# ask for a megabyte to be hashed.
Password = Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class User(UserFields):
    id: Id
    tenant_id: CityId
    username: Username | None = None  # none: the user signs in only with a bearer token
    disabled: bool = False


class ProposalStatus(StrEnum):
    """offered → accepted | rejected | expired | withdrawn; accepted → withdrawn only when the
    project itself is withdrawn."""

    offered = "offered"
    accepted = "accepted"
    rejected = "rejected"
    expired = "expired"  # not decided within its time to live
    withdrawn = "withdrawn"  # the project left or changed, the park shrank, or a re-plan moved it


class ProjectStatus(StrEnum):
    submitted = "submitted"
    proposed = "proposed"
    placed = "placed"
    unplaced = "unplaced"
    withdrawn = "withdrawn"


class ChainRole(StrEnum):
    fill_gap = "fill_gap"  # 补链
    extend = "extend"  # 延链
    strengthen = "strengthen"  # 强链
    same_sector = "same_sector"


class ScoreTerm(Contract):
    term: str  # chain_role, hometown, jobs, investment_intensity, tax_per_mu, preference
    points: float
    zh: str
    en: str


class SubsidyLine(Contract):
    item: str  # rent, fees, one_off, per_job
    yuan: float
    zh: str
    en: str


# A park's subsidy budget renews every calendar year (预算年度): each year's is a resource of its
# own, `subsidy_yuan:2027`, charged that year's share of every commitment. `subsidy_yuan` alone
# is a proposal's whole subsidy over the years.
SUBSIDY_BUDGET = "subsidy_yuan"
RESOURCE_PATTERN = r"^(floor_m2|land_mu|slots|subsidy_yuan(:[0-9]{4})?)$"
Resource = Annotated[str, StringConstraints(pattern=RESOURCE_PATTERN)]


def budget_of(year: int) -> str:
    """The resource that is a park's subsidy budget for `year`."""
    return f"{SUBSIDY_BUDGET}:{year}"


def budget_year(resource: str) -> int | None:
    """The year `resource` is the subsidy budget of; None for any other resource."""
    name, _, year = resource.partition(":")
    return int(year) if name == SUBSIDY_BUDGET and year.isdigit() else None


class ResourceUse(Contract):
    """One capacity or budget of the chosen park, before and after the plan that made the offer."""

    resource: Resource  # floor_m2, land_mu, slots, or one year's subsidy budget
    used: float
    remaining_before: float
    remaining_after: float
    tight: bool


class Verdict(StrEnum):
    """Why a park did not get (or take) a project."""

    score = "score"  # another park fits the project better
    capacity = "capacity"  # not enough floor, land or slots left
    budget = "budget"  # the subsidy would exceed the park's remaining budget
    outbid = "outbid"  # it fitted, but better-fitting projects took the room
    rule = "rule"  # an eligibility rule excludes the pair


class ParkVerdict(Contract):
    park_id: Id
    park_name: str
    verdict: Verdict
    rule: str | None = None  # the eligibility rule, when verdict is rule
    score: float | None = None
    zh: str
    en: str


class Explanation(Contract):
    """Why this park, stored with the proposal: score terms, subsidy, capacities, runners-up."""

    policy_version: str
    score_terms: list[ScoreTerm]
    subsidy_lines: list[SubsidyLine]
    resources: list[ResourceUse]
    runners_up: list[ParkVerdict]


class Bilingual(Contract):
    """Text for people in the two languages the product speaks, Chinese first; each language
    whole, for the reader's locale to choose, never joined into one string."""

    zh: str
    en: str


class Proposal(Contract):
    id: Id
    tenant_id: str
    project_id: Id
    project_name: str
    park_id: Id
    park_name: str
    status: ProposalStatus
    score: float
    chain_role: ChainRole
    subsidy_yuan: float
    explanation_zh: str
    explanation_en: str
    explanation: Explanation | None = None
    offered_at: datetime
    decided_at: datetime | None = None
    decided_by: Id | None = None
    reject_reason: str | None = None
    expires_at: datetime | None = None  # an offer not decided by then expires
    withdraw_reason: Bilingual | None = None
    plan_id: Id | None = None  # the plan that made the offer


class PlanTrigger(Contract):
    """A change that asked for the plan: an event's type and id, or a sweep that found expiries."""

    kind: str  # e.g. ProjectSubmitted, ParkUpdated, ProposalRejected, ProposalExpired, startup
    ref: str | None = None  # the event id, proposal id or project id behind it
    at: datetime


class Plan(Contract):
    """One solve of one city, kept for audit."""

    id: Id
    tenant_id: str
    started_at: datetime
    finished_at: datetime
    triggers: list[PlanTrigger]
    triggers_total: int  # triggers lists at most the first 100
    fingerprint: str  # sha256 of the solver's instance: equal inputs, equal fingerprint
    mode: str  # hold (pending offers keep their park) | reoptimise (they may move, at a penalty)
    status: str  # the solver's: optimal | feasible | infeasible | unknown
    objective: float
    bound: float
    gap_pct: float  # (bound − objective) / bound, in %
    solve_seconds: float
    # The solve was ended before its time limit because changes had waited a debounce window
    # behind it; they are in the next plan.
    ended_early: bool = False
    open_projects: int
    offered: int
    unplaced: int
    moved: int  # pending offers the plan moved to another park or withdrew
    proposal_ids: list[Id]


class SolveProgress(Contract):
    """A plan being solved: its best objective and proven bound so far."""

    plan_id: Id  # the id the plan will have once stored
    tenant_id: str
    started_at: datetime
    seconds: float
    time_limit_seconds: float
    objective: float | None = None  # None until a first plan is found
    bound: float | None = None  # None until the LP relaxation is solved
    triggers_total: int


class HistoryEntry(Contract):
    """One step of a project's path: submitted, updated, offered, decided, expired, withdrawn…"""

    at: datetime
    kind: str
    actor: str  # a user id, or "matching" for the planner
    proposal_id: Id | None = None
    park_id: Id | None = None
    park_name: str | None = None
    plan_id: Id | None = None
    detail: str | None = None


class Placement(Contract):
    """Where matching stands on one project."""

    project_id: Id
    status: ProjectStatus
    proposal: Proposal | None = None
    unplaced_reason: Bilingual | None = None
    unplaced_reasons: list[ParkVerdict] = Field(default_factory=list)  # per park, when unplaced


class InboxItem(Contract):
    id: Id
    tenant_id: str
    user_id: Id
    kind: str
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    proposal_id: Id | None = None
    project_id: Id | None = None
    park_id: Id | None = None
    task_id: Id | None = None  # a follow-up task (contacting a person) assigned to the user
    link: str | None = None  # the portal's page where the user acts on it, as a path
    created_at: datetime
    read_at: datetime | None = None


class DeadLetter(Contract):
    stream_sequence: int
    subject: str
    original_subject: str
    consumer: str
    city: str | None  # None when the message was too malformed to tell
    reason: str
    parked_at: datetime | None
    payload: str  # cut to its first few kilobytes in a list; whole when asked for by sequence
    payload_truncated: bool = False
