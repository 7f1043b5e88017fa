"""matching's tables: its read model of parks, projects and people, the proposals it owns, and
the chain-gap leads it computes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Integer, Text, text
from sqlmodel import Field, SQLModel


class ParkRecord(SQLModel, table=True):
    __tablename__ = "matching_parks"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    snapshot_json: str = Field(sa_column=Column(Text, nullable=False))  # as registry sent it
    # The limits of updates on their way (LimitParkCapacity), a JSON list; each is dropped when
    # its update's park.updated arrives, or when registry refuses that update.
    capacity_limits_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ProjectRecord(SQLModel, table=True):
    __tablename__ = "matching_projects"
    __table_args__ = (
        # A list's default order, newest first, and the rows still to be given their listing
        # columns (`submitted_at` null) found without reading the whole table.
        Index("matching_projects_by_submission", "tenant_id", "submitted_at"),
    )

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    snapshot_json: str = Field(sa_column=Column(Text, nullable=False))
    # Copied from the snapshot for a list to search, filter and sort on in SQL. Nullable, so
    # that a database kept from a release without them gets them added; such rows are filled
    # from their snapshot before the city's projects are first listed.
    name: str | None = None
    founder: str | None = None
    sector: str | None = Field(default=None, max_length=64)
    chain: str | None = Field(default=None, max_length=64)
    county: str | None = Field(default=None, max_length=64)
    source: str | None = Field(default=None, max_length=100)
    investment_yuan: float | None = None
    jobs: int | None = None
    submitted_at: datetime | None = None
    unplaced_reason_zh: str | None = None
    unplaced_reason_en: str | None = None
    unplaced_reasons_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    withdrawn_at: datetime | None = None


class ProposalRow(SQLModel, table=True):
    __tablename__ = "matching_proposals"
    __table_args__ = (
        # The invariant behind "exactly one proposal": a project has at most one live proposal.
        Index("one_live_proposal_per_project", "project_id", unique=True,
              sqlite_where=text("status IN ('offered', 'accepted')"),
              postgresql_where=text("status IN ('offered', 'accepted')")),
    )

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    project_id: str = Field(index=True, max_length=64)
    project_name: str
    park_id: str = Field(index=True, max_length=64)
    park_name: str
    status: str = Field(index=True, max_length=16)
    chain_role: str = Field(max_length=16)
    score: float
    floor_m2: float = 0
    land_mu: float = 0
    slots: float = 0
    subsidy_yuan: float = 0
    # Each budget year's charge, {"subsidy_yuan:2027": yuan, …}; none in rows kept from before
    # budgets had years (`budgets.legacy_charges`).
    subsidy_by_year_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    explanation_zh: str = Field(sa_column=Column(Text, nullable=False))
    explanation_en: str = Field(sa_column=Column(Text, nullable=False))
    explanation_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    offered_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    reject_reason: str | None = None
    expires_at: datetime | None = Field(default=None, index=True)
    reminded_at: datetime | None = None
    withdraw_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    plan_id: str | None = Field(default=None, max_length=64)


class PlanRow(SQLModel, table=True):
    """A plan's audit record: the `Plan` contract as JSON, with the columns queries filter on."""

    __tablename__ = "matching_plans"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    finished_at: datetime = Field(index=True)
    plan_json: str = Field(sa_column=Column(Text, nullable=False))


class HistoryRow(SQLModel, table=True):
    """One step of a project's path, appended as it happens and never changed."""

    __tablename__ = "matching_history"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(max_length=64)
    project_id: str = Field(index=True, max_length=64)
    at: datetime
    kind: str = Field(max_length=32)
    actor: str = Field(max_length=64)
    proposal_id: str | None = Field(default=None, max_length=64)
    park_id: str | None = Field(default=None, max_length=64)
    park_name: str | None = None
    plan_id: str | None = Field(default=None, max_length=64)
    detail: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class PersonRecord(SQLModel, table=True):
    """A person as registry's events carry them (`PersonFacts`: no name, phone or note), with
    the link they work in copied out for the leads of a link to be found by index."""

    __tablename__ = "matching_people"
    __table_args__ = (Index("matching_people_by_link", "tenant_id", "chain", "link"),)

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    sector: str | None = Field(default=None, max_length=64)
    chain: str | None = Field(default=None, max_length=64)
    link: str | None = Field(default=None, max_length=64)
    facts_json: str = Field(sa_column=Column(Text, nullable=False))


class ErasedPerson(SQLModel, table=True):
    """That someone was erased, and nothing of who: a digest of their city and id, so that an
    event about them that arrives late (redelivered after a failure, or replayed from the
    dead letters) does not bring them back. The id itself is not kept."""

    __tablename__ = "matching_erased_people"

    digest: str = Field(primary_key=True, max_length=64)
    erased_at: datetime


class ParkLeadsRecord(SQLModel, table=True):
    """A park's leads as last computed: every lead of each link (a `ParkLeads` as JSON), the
    fingerprint of what was last published, and the links it lacks, each as `|sector/chain/link|`,
    for a person's change to find the parks it concerns without computing every park's chain."""

    __tablename__ = "matching_leads"

    park_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    fingerprint: str = Field(max_length=64)
    computed_at: datetime
    gap_links: str = Field(sa_column=Column(Text, nullable=False))
    leads_json: str = Field(sa_column=Column(Text, nullable=False))


class PlanRequestRow(SQLModel, table=True):
    """A change that asks for its city to be planned again, written in the transaction that made
    the change, by whichever replica made it; the city's leader deletes it in the transaction
    that writes the plan covering it."""

    __tablename__ = "matching_plan_requests"

    # SQLite numbers rows by themselves only in an INTEGER primary key (64-bit there anyway).
    id: int | None = Field(default=None, sa_column=Column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True))
    tenant_id: str = Field(index=True, max_length=64)
    trigger_json: str = Field(sa_column=Column(Text, nullable=False))  # a `PlanTrigger`


class CityPlanningRow(SQLModel, table=True):
    """A city's planning across replicas: the term of the lease it is planned under (a plan is
    written only under the term it was solved under) with the lease's revision (a term is
    claimed only over an older one), and the solve under way, for any replica to tell."""

    __tablename__ = "matching_city_planning"

    tenant_id: str = Field(primary_key=True, max_length=64)
    term: str | None = Field(default=None, max_length=200)
    revision: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    solving_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


TABLES: list[type[SQLModel]] = [ParkRecord, ProjectRecord, ProposalRow, PlanRow, HistoryRow,
                                PersonRecord, ErasedPerson, ParkLeadsRecord, PlanRequestRow,
                                CityPlanningRow]
