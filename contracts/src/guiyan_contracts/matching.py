"""matching: proposals and the plan that produces them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import Field

from .envelope import Contract, Event, Offset, Request
from .models import (
    Amount,
    Bilingual,
    ChainRole,
    Count,
    HistoryEntry,
    Id,
    ParkVerdict,
    Placement,
    Plan,
    Project,
    ProjectStatus,
    Proposal,
    ProposalStatus,
    Resource,
    ScoreTerm,
    SolveProgress,
    Verdict,
)

STREAM = "GUIYAN_MATCHING"
EVENTS = "guiyan.matching.>"


# Events. Each carries who must hear of it, so notification needs no copy of parks or projects.
class _ProposalEvent(Event):
    """A step of a proposal, with the proposal as it now stands (version 2: text for people in
    `Bilingual`)."""

    schema_version: int = 2
    proposal: Proposal


class ProposalOffered(_ProposalEvent):
    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.offered.v2"
    manager_ids: list[Id]
    submitted_by: Id


class ProposalAccepted(_ProposalEvent):
    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.accepted.v2"
    submitted_by: Id


class ProposalRejected(_ProposalEvent):
    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.rejected.v2"
    submitted_by: Id


class ProposalReminded(_ProposalEvent):
    """A reminder: the offer lapses at `proposal.expires_at` unless the park decides."""

    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.reminded.v2"
    manager_ids: list[Id]


class ProposalExpired(_ProposalEvent):
    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.expired.v2"
    manager_ids: list[Id]
    submitted_by: Id


class ProposalWithdrawn(_ProposalEvent):
    """`proposal.withdraw_reason` says why, for the park's managers and the submitting staff."""

    SUBJECT: ClassVar[str] = "guiyan.matching.proposal.withdrawn.v2"
    manager_ids: list[Id]
    submitted_by: Id


class PlanCompleted(Event):
    SUBJECT: ClassVar[str] = "guiyan.matching.plan.completed.v1"
    plan: Plan


class PlanProgressed(Event):
    """Once a second while a plan is being solved, when its objective or bound moved."""

    SUBJECT: ClassVar[str] = "guiyan.matching.plan.progressed.v1"
    progress: SolveProgress


class ProjectUnplaced(Event):
    SUBJECT: ClassVar[str] = "guiyan.matching.project.unplaced.v1"
    project_id: Id
    project_name: str
    submitted_by: Id
    reason_zh: str
    reason_en: str
    reasons: list[ParkVerdict] = Field(default_factory=list)


# Commands
class AcceptProposal(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.matching.proposal.accept.v2"
    proposal_id: Id
    decided_by: Id


class CapacityLimit(Contract):
    """A park's capacities as an update is about to set them."""

    floor_m2: float = Field(ge=0)
    land_mu: float = Field(ge=0)
    incubator_slots: int = Field(ge=0)
    annual_subsidy_budget_yuan: float = Field(ge=0)


class ReleaseParkLimit(Request):
    """Registry refused the update a limit was set for: the park is as it was before the limit.
    Offers the limit withdrew stay withdrawn; their projects are planned again."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.matching.park.release.v1"
    park_id: Id
    limit: CapacityLimit


class LimitParkCapacity(Request):
    """Sent before registry commits a park's new capacities: matching promises nothing beyond
    them from now on, withdraws the offers that no longer fit, and refuses (conflict) when
    accepted placements already use more. Growth waits for `park.updated`."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.matching.park.limit.v1"
    park_id: Id
    limit: CapacityLimit
    limited_by: Id


class RejectProposal(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.matching.proposal.reject.v2"
    proposal_id: Id
    decided_by: Id
    reason: str = Field(min_length=1, max_length=1000)


# Queries
class GetProposal(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.matching.proposal.get.v2"
    proposal_id: Id


# What a list may be filtered on: a code of the city's taxonomy, or a service station's name.
Code = Annotated[str, Field(min_length=1, max_length=64)]
Search = Annotated[str, Field(min_length=1, max_length=100)]  # a case-insensitive substring


class ProposalSort(StrEnum):
    """A `-` first: largest (newest) first. Ties go newest first, then by id."""

    newest = "-offered_at"
    oldest = "offered_at"
    best_score = "-score"
    lapsing_first = "expires_at"  # offers closest to expiring first; decided ones last
    project_name = "project_name"
    park_name = "park_name"
    status = "status"


class ListProposals(Request):
    """Version 3: searched, filtered and sorted, with the count of each status."""

    SUBJECT: ClassVar[str] = "guiyan.query.matching.proposal.list.v3"
    q: Search | None = None  # in the project's name or the park's
    statuses: list[ProposalStatus] = Field(default=[], max_length=5)  # empty: any
    park_ids: list[Id] | None = None  # None: every park of the tenant
    sector: Code | None = None  # the project's
    chain: Code | None = None
    county: Code | None = None  # the project's hometown county
    sort: ProposalSort = ProposalSort.newest
    limit: int = Field(default=100, ge=1, le=500)
    offset: Offset = 0


class ProjectSort(StrEnum):
    """A `-` first: largest (newest) first. Ties go newest first, then by id."""

    newest = "-submitted_at"
    oldest = "submitted_at"
    name = "name"
    most_investment = "-investment_yuan"
    most_jobs = "-jobs"
    status = "status"  # submitted, proposed, unplaced, placed, withdrawn


class ListProjects(Request):
    """The city's projects as matching knows them, with where each stands: one page, filtered
    and sorted by the database, and how many match in all."""

    SUBJECT: ClassVar[str] = "guiyan.query.matching.project.list.v1"
    q: Search | None = None  # in the project's name or its founder's
    statuses: list[ProjectStatus] = Field(default=[], max_length=5)  # empty: any
    sector: Code | None = None
    chain: Code | None = None
    county: Code | None = None  # the hometown county
    source: Search | None = None  # the service station, exactly
    park_ids: list[Id] | None = None  # only projects offered to or placed in one of these
    sort: ProjectSort = ProjectSort.newest
    limit: int = Field(default=200, ge=1, le=1000)
    offset: Offset = 0


class GetPlacements(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.matching.placement.list.v2"
    project_ids: list[Id] = Field(max_length=1000)
    # Each unplaced project's verdict per park. A list leaves them out: at 300 parks a page of
    # unplaced projects would not fit in one NATS message (1 MB).
    with_reasons: bool = True


class ListPlans(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.matching.plan.list.v1"
    limit: int = Field(default=50, ge=1, le=500)
    offset: Offset = 0


class GetPlan(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.matching.plan.get.v1"
    plan_id: Id


class GetProjectHistory(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.matching.project.history.v1"
    project_id: Id


class ParkCommitments(Contract):
    """Per resource, what a park's accepted placements use."""

    park_id: Id
    accepted: dict[str, float]


class GetParkOccupancy(Request):
    """A park's room and budget as matching promises them; another city's park is not found."""

    SUBJECT: ClassVar[str] = "guiyan.query.matching.park.occupancy.v1"
    park_id: Id


class ResourceOccupancy(Contract):
    """One resource of a park: its capacity (within any update on its way), what accepted
    placements use, what pending offers hold, and what is left to offer: `capacity - accepted -
    offered`, but never below zero. A park shrunk below what it holds shows 0 free; how far it
    is over is `accepted + offered - capacity`."""

    resource: Resource
    capacity: float
    accepted: float
    offered: float
    free: float


class ParkOccupancy(Contract):
    """Each resource the park has, in the order floor, land, slots, budget: a room it has none
    of is left out unless something still holds some of it; the subsidy budget only when the
    park has one (a budget of 0 means no budget, not an empty one)."""

    park_id: Id
    resources: list[ResourceOccupancy]


class GetPlanningStatus(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.matching.plan.status.v1"


class PlanningStatus(Contract):
    solving: SolveProgress | None  # None when the city is not being planned right now
    queued_triggers: int  # changes waiting for the next plan


class ParkChange(Contract):
    """A what-if for one park: each capacity given replaces the park's own."""

    park_id: Id
    floor_m2: Amount | None = Field(default=None, ge=0, le=10_000_000)
    land_mu: Amount | None = Field(default=None, ge=0, le=1_000_000)
    incubator_slots: Count | None = Field(default=None, ge=0, le=100_000)
    annual_subsidy_budget_yuan: Amount | None = Field(default=None, ge=0, le=1e11)


class PreviewPlan(Request):
    """Plan the city as it is and as it would be with `changes`, committing nothing."""

    SUBJECT: ClassVar[str] = "guiyan.query.matching.plan.preview.v1"
    changes: list[ParkChange] = Field(min_length=1, max_length=50)


class PreviewOffer(Contract):
    project_id: Id
    project_name: str
    park_id: Id
    park_name: str
    score: float
    chain_role: ChainRole


class PreviewOutcome(Contract):
    status: str
    objective: float
    bound: float
    solve_seconds: float
    offers: list[PreviewOffer]  # the offers this plan would add to those already pending
    unplaced_project_ids: list[Id]


class PlanPreview(Contract):
    changes: list[ParkChange]
    current: PreviewOutcome  # the city as it is
    changed: PreviewOutcome  # the city with the changes
    gained: list[PreviewOffer]  # offers only the changed plan makes, or makes to another park
    lost: list[PreviewOffer]  # offers only the current plan makes, or makes to another park


# The figures of the city's dashboard, each counted by the database.
class GetFunnel(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.matching.stats.funnel.v1"


class Funnel(Contract):
    """Every project of the city, how many were ever proposed to a park, and how many are placed
    now; `by_status` counts where each stands now (withdrawn ones included)."""

    submitted: int
    proposed: int  # offered a park at least once
    placed: int
    placement_rate: float  # placed / submitted, 0 with none submitted
    by_status: dict[ProjectStatus, int]


class BreakdownBy(StrEnum):
    sector = "sector"
    source = "source"  # the service station the project came through
    county = "county"  # the founder's hometown county
    month = "month"  # of submission, in the city's time (YYYY-MM)


class GetBreakdown(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.matching.stats.breakdown.v1"
    by: BreakdownBy


class BreakdownRow(Contract):
    key: str  # a sector or county code, a station's name, or a month
    projects: int
    placed: int
    investment_yuan: float
    jobs: int


class Breakdown(Contract):
    """The city's projects not withdrawn, grouped: largest first, months in order."""

    by: BreakdownBy
    rows: list[BreakdownRow]


class GetParkUse(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.matching.stats.parks.v1"


class ParkUse(Contract):
    park_id: Id
    park_name: str
    resources: list[ResourceOccupancy]  # as `ParkOccupancy` gives them


class ParkUseList(Contract):
    parks: list[ParkUse]  # by id


class GetPlanStats(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.matching.stats.plans.v1"
    limit: int = Field(default=10, ge=1, le=100)


class PlanSummary(Contract):
    id: Id
    finished_at: datetime
    status: str
    objective: float
    bound: float
    gap_pct: float
    open_projects: int
    offered: int
    unplaced: int


class UnplacedReason(Contract):
    """How many projects now unplaced had at least one park give this verdict (and rule)."""

    verdict: Verdict
    rule: str | None = None
    projects: int


class PlanStats(Contract):
    plans: list[PlanSummary]  # newest first
    unplaced: int  # projects not placed by the last plan and not since placed or withdrawn
    reasons: list[UnplacedReason]  # most projects first


class PlanList(Contract):
    plans: list[Plan]
    total: int


class ProjectHistory(Contract):
    project_id: Id
    entries: list[HistoryEntry]  # oldest first


class ProposalList(Contract):
    proposals: list[Proposal]
    total: int
    # How many match each status, under every filter but the status: "3 pending" beside a page
    # of any status. A status none match is left out.
    counts: dict[ProposalStatus, int]


class ProjectListing(Contract):
    """A project with where it stands, as a list shows it."""

    project: Project
    placement: Placement  # without each park's verdict on an unplaced project: ask for the one
    park_id: Id | None = None  # the park it is offered to or placed in
    park_name: str | None = None


class ProjectPage(Contract):
    items: list[ProjectListing]
    total: int


class PlacementList(Contract):
    placements: list[Placement]


class GetChainCoverage(Request):
    """The city's chains (产业链图谱), link by link, as its parks host them; `park_ids` narrows
    the parks weighed (hosting, holes, projects) to these. A park of another city is not found."""

    SUBJECT: ClassVar[str] = "guiyan.query.matching.chains.coverage.v1"
    park_ids: list[Id] | None = Field(default=None, max_length=1000)


class ParkRef(Contract):
    park_id: Id
    park_name: str


class LinkProject(Contract):
    """A project on a link, and the park it is placed in or offered to."""

    project_id: Id
    project_name: str
    park_id: Id
    park_name: str


class LinkCoverage(Contract):
    """One link of a chain. A park hosts it `registered` (staff registered it among the park's
    hosted links) or else `placed` (only through a project placed there); it is `missing` in a
    park that takes the chain's sector but hosts the link neither way (a 补链 target). `placed`
    and `offered` list the projects accepted on the link and those offered, not yet decided."""

    link: Code
    registered: list[ParkRef]
    placed: list[ParkRef]
    missing: list[ParkRef]
    placed_projects: list[LinkProject]
    offered_projects: list[LinkProject]


class ChainCoverage(Contract):
    sector: Code
    chain: Code
    links: list[LinkCoverage]  # upstream first, as the city's taxonomy orders them


class ChainMap(Contract):
    park_ids: list[Id] | None  # the parks weighed; None: every park of the city
    chains: list[ChainCoverage]  # sector by sector, as the taxonomy orders them


# Chain-gap leads (招商线索): for each link a park lacks (补链) or could extend to (延链), the
# people working in that link elsewhere who agreed to be contacted, best first. Matching keeps
# only `PersonFacts`: a lead names its person by id, and the portal reads the name from registry.
class Lead(Contract):
    person_id: Id
    score: float
    terms: list[ScoreTerm]  # scale, influence, hometown, recent_contact
    why: Bilingual  # the whole reason, in each language


class LinkLeads(Contract):
    sector: str
    chain: str
    link: str
    role: ChainRole  # fill_gap or extend
    leads: list[Lead]  # best first
    total: int  # every consenting person on the link; `leads` holds the best of them


class ParkLeads(Contract):
    park_id: Id
    park_name: str
    computed_at: datetime
    links: list[LinkLeads]  # 补链 before 延链, each in chain order


class LeadsComputed(Event):
    """A park's leads changed: after its park, a placement there, or a person on one of its
    missing links changed."""

    SUBJECT: ClassVar[str] = "guiyan.matching.leads.computed.v1"
    leads: ParkLeads


class GetParkLeads(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.matching.park.leads.v1"
    park_id: Id
    per_link: int = Field(default=10, ge=1, le=200)


# A station's performance (服务站绩效): the projects whose source it is, submitted in a period.
class GetStationPerformance(Request):
    """Per station, the projects submitted with it as their source between `since` and `until`
    (days in the city's time, both included; none: from the first, or to the last); with
    `station_ids` none, every source the city's projects name."""

    SUBJECT: ClassVar[str] = "guiyan.query.matching.stats.stations.v1"
    station_ids: list[Id] | None = Field(default=None, max_length=1000)
    since: date | None = None
    until: date | None = None


class StationPerformance(Contract):
    station_id: str
    recommended: int  # submitted with it as their source
    proposed: int  # of those, ever offered to a park
    placed: int  # accepted by a park, now
    withdrawn: int
    investment_yuan: float  # of the placed ones
    jobs: int  # of the placed ones


class StationPerformanceList(Contract):
    stations: list[StationPerformance]  # most placed first
