"""matching's repository: parks and projects as contract snapshots; proposals mapped between
their rows and the domain's `Proposal` (rows never leave this module)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import func
from sqlmodel import Session, and_, col, insert, or_, select, update

from guiyan_contracts.matching import CapacityLimit, ListProjects, ListProposals
from guiyan_contracts.matching_v1 import unjoined
from guiyan_contracts.models import (
    Bilingual,
    ChainRole,
    Explanation,
    HistoryEntry,
    Park,
    ParkVerdict,
    Plan,
    Project,
    ProposalStatus,
)
from guiyan_contracts.refusals import UnreadableRecord
from guiyan_eventing.errors import describe

from ..domain.budgets import legacy_charges
from ..domain.chains import LinkProposal
from ..domain.city_time import city_day
from ..domain.limits import within
from ..domain.planning import Unplaced
from ..domain.proposal import LIVE, RESOURCES, Proposal, added
from . import listings
from .orm import HistoryRow, ParkRecord, PlanRow, ProjectRecord, ProposalRow

Statuses = tuple[ProposalStatus, ...]
VERDICTS = TypeAdapter(list[ParkVerdict])  # an unplaced project's reasons, stored as JSON
LIMITS = TypeAdapter(list[CapacityLimit])  # a park's limits of updates on their way


@dataclass(frozen=True)
class SetAside:
    """A stored record that no longer reads as its contract (kept from an older release, say):
    left out of planning, and reported, until registry sends it again."""

    kind: str  # park | project
    record_id: str
    tenant_id: str
    reason: str


@dataclass(frozen=True)
class Unplacement:
    reason_zh: str
    reason_en: str
    verdicts: list[ParkVerdict]


@dataclass(frozen=True)
class Standing:
    withdrawn: bool
    unplaced: Unplacement | None


def _limits(row: ParkRecord) -> list[CapacityLimit]:
    return LIMITS.validate_json(row.capacity_limits_json) if row.capacity_limits_json else []


def _park(row: ParkRecord) -> Park:
    """The park as registry last sent it, held within the limits of updates on their way."""
    return within(Park.model_validate_json(row.snapshot_json), _limits(row))


def _project_as_of(project: Project) -> datetime:
    """When the snapshot's state was made. Registry stamps each change of a project (submitted,
    updated, withdrawn) in the transaction that makes it, holding the project's row: each change
    reads the one before committed, so its stamp is the later (a version number would not rely
    on the replicas' clocks agreeing, but the contract carries none). An event's `occurred_at`
    is the message's time, not the state's: a state sent again would pass for a newer one."""
    return max(moment for moment in (project.submitted_at, project.updated_at,
                                     project.withdrawn_at) if moment is not None)


def _as_of(snapshot_json: str) -> datetime | None:
    """A stored snapshot's `_project_as_of`; None when it does not read as a project (set
    aside: any snapshot registry sends replaces it)."""
    try:
        return _project_as_of(Project.model_validate_json(snapshot_json))
    except ValidationError:
        return None


class MatchingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._project_records: dict[str, ProjectRecord | None] = {}  # looked up or added here
        self.set_aside: list[SetAside] = []  # records this transaction could not read

    def _project_record(self, project_id: str) -> ProjectRecord | None:
        """Looked up once per transaction, without autoflush: each event of a batch asks twice
        (its city, then its save), and a query per event would also flush the batch so far, a
        large share of matching's database thread under a burst (measured: docs/performance.md,
        "matching's batch flush"). A record added earlier in the transaction is found here,
        where the lookup could not see it."""
        if project_id not in self._project_records:
            with self.session.no_autoflush:
                self._project_records[project_id] = self.session.get(ProjectRecord, project_id)
        return self._project_records[project_id]

    def city_of(self, kind: str, record_id: str) -> str | None:
        """The city a park or project is recorded in, if it is recorded."""
        if kind == "project":
            row: ParkRecord | ProjectRecord | None = self._project_record(record_id)
        else:
            with self.session.no_autoflush:
                row = self.session.get(ParkRecord, record_id)
        return row.tenant_id if row else None

    def save_park(self, park: Park) -> None:
        """Registry's new state of the park; a limit set for an update on its way stays."""
        row = self.session.get(ParkRecord, park.id)
        if row is None:
            self.session.add(ParkRecord(id=park.id, tenant_id=park.tenant_id,
                                        snapshot_json=park.model_dump_json()))
        else:
            row.snapshot_json = park.model_dump_json()

    def capacity_limits(self, park_id: str) -> list[CapacityLimit]:
        row = self.session.get(ParkRecord, park_id)
        return _limits(row) if row else []

    def add_capacity_limit(self, park_id: str, limit: CapacityLimit) -> None:
        row = self.session.get(ParkRecord, park_id)
        assert row is not None, "a limit is set only on a recorded park"
        row.capacity_limits_json = LIMITS.dump_json([*_limits(row), limit]).decode()

    def drop_capacity_limit(self, park_id: str, limit: CapacityLimit) -> bool:
        """Drop one limit equal to `limit`: its update arrived, or was refused. Whether one was."""
        row = self.session.get(ParkRecord, park_id)
        limits = _limits(row) if row else []
        if row is None or limit not in limits:
            return False
        limits.remove(limit)
        row.capacity_limits_json = LIMITS.dump_json(limits).decode() if limits else None
        return True

    def save_project(self, project: Project) -> ProjectRecord:
        """The newest snapshot wins, whichever order replicas apply them in: one older than the
        stored one is skipped; a withdrawn project stays withdrawn. A batch of submissions is
        inserted in one flush at its commit."""
        record = self._project_record(project.id)
        if record is None:
            record = ProjectRecord(id=project.id, tenant_id=project.tenant_id, snapshot_json="")
            self.session.add(record)
            self._project_records[project.id] = record
        elif (stored := _as_of(record.snapshot_json)) is not None and stored > _project_as_of(project):
            record.withdrawn_at = record.withdrawn_at or project.withdrawn_at
            return record
        record.snapshot_json = project.model_dump_json()
        record.withdrawn_at = record.withdrawn_at or project.withdrawn_at
        for name, value in listings.listing_columns(project).items():
            setattr(record, name, value)
        return record

    def fill_listing_columns(self, tenant_id: str) -> None:
        """Give records kept from a release before the listing columns their values, from the
        snapshot. One that no longer reads as a project is left as it is: a page leaves it out
        (and health names it) until registry sends the project again."""
        for record in listings.unlisted(self.session, tenant_id):
            try:
                project = Project.model_validate_json(record.snapshot_json)
            except ValidationError:
                continue
            for name, value in listings.listing_columns(project).items():
                setattr(record, name, value)

    def park(self, park_id: str, for_update: bool = False) -> Park | None:
        """The park as matching may promise it; `UnreadableRecord` (a conflict) if its record
        cannot be read, until registry sends the park again. Locked, it is read afresh even if
        the transaction read it before: the lock is what makes the read current."""
        row = self.session.get(ParkRecord, park_id, with_for_update=for_update,
                               populate_existing=for_update)
        if row is None:
            return None
        try:
            return _park(row)
        except ValidationError as error:
            raise UnreadableRecord(f"park {park_id}'s record cannot be read ({describe(error)}); "
                                   "it is set aside until the park is updated") from None

    def parks(self, tenant_id: str) -> list[Park]:
        """The city's parks as matching may promise them; those that cannot be read are left
        out, in `set_aside`."""
        rows = self.session.exec(select(ParkRecord).where(ParkRecord.tenant_id == tenant_id)
                                 .order_by(ParkRecord.id))
        parks = []
        for row in rows:
            try:
                parks.append(_park(row))
            except ValidationError as error:
                self.set_aside.append(SetAside("park", row.id, row.tenant_id, describe(error)))
        return parks

    def manager_ids(self, park_id: str) -> list[str]:
        """Who manages a park, read even from a record that no longer reads as a whole park:
        they must still hear of their offers."""
        row = self.session.get(ParkRecord, park_id)
        return list(json.loads(row.snapshot_json).get("manager_ids", [])) if row else []

    def submitted_by(self, project_id: str) -> str:
        """Who submitted a project, read even from a record that no longer reads as a whole
        project."""
        row = self.session.get(ProjectRecord, project_id)
        assert row is not None, "a proposal's project is always recorded"
        return str(json.loads(row.snapshot_json)["submitted_by"])

    def standings(self, tenant_id: str, project_ids: list[str], with_reasons: bool
                  ) -> dict[str, Standing]:
        """Where each recorded project stands apart from its proposals: withdrawn, or unplaced
        and why (each park's verdict only `with_reasons`: they are long)."""
        return {project_id: Standing(
            withdrawn=record.withdrawn_at is not None,
            unplaced=(Unplacement(record.unplaced_reason_zh or "", record.unplaced_reason_en,
                                  VERDICTS.validate_json(record.unplaced_reasons_json or "[]")
                                  if with_reasons else [])
                      if record.unplaced_reason_en else None))
            for project_id, record in self.project_records(tenant_id, project_ids).items()}

    def project_records(self, tenant_id: str, project_ids: list[str]) -> dict[str, ProjectRecord]:
        rows = self.session.exec(select(ProjectRecord).where(ProjectRecord.tenant_id == tenant_id)
                                 .where(col(ProjectRecord.id).in_(project_ids)))
        return {row.id: row for row in rows}

    def open_projects(self, tenant_id: str, holding: Statuses = LIVE) -> list[Project]:
        """Projects not withdrawn and with no proposal in a `holding` status: the demand the next
        plan must place. Those that cannot be read are left out, in `set_aside`."""
        live = select(ProposalRow.project_id).where(col(ProposalRow.status).in_(_values(holding)))
        rows = self.session.exec(select(ProjectRecord.id, ProjectRecord.snapshot_json)
                                 .where(ProjectRecord.tenant_id == tenant_id)
                                 .where(col(ProjectRecord.withdrawn_at).is_(None))
                                 .where(col(ProjectRecord.id).not_in(live))
                                 .order_by(ProjectRecord.id))
        projects = []
        for project_id, snapshot in rows:
            try:
                projects.append(Project.model_validate_json(snapshot))
            except ValidationError as error:
                self.set_aside.append(SetAside("project", project_id, tenant_id, describe(error)))
        return projects

    def held(self, tenant_id: str, moving: frozenset[str] = frozenset()
             ) -> dict[str, dict[str, float]]:
        """Per park, what live proposals hold, but for those of the `moving` projects (a plan
        may move their offers): it may not be promised twice. Summed from the columns alone:
        a plan asks for every live proposal of the city."""
        rows = self.session.exec(select(ProposalRow.park_id, ProposalRow.project_id, *HELD_COLUMNS)
                                 .where(ProposalRow.tenant_id == tenant_id)
                                 .where(col(ProposalRow.status).in_(_values(LIVE))))
        held: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(RESOURCES, 0.0))
        for park_id, project_id, *columns in rows:
            if project_id not in moving:
                held[park_id] = added(held[park_id], held_use(*columns))
        return dict(held)

    def link_proposals(self, tenant_id: str, statuses: Statuses = LIVE,
                       park_id: str | None = None) -> list[LinkProposal]:
        """The city's proposals in `statuses` (at one park, if named), each with the link its
        project is on (read from the project's snapshot, kept even from one that no longer
        reads as a whole project)."""
        query = (select(ProposalRow.project_id, ProposalRow.project_name, ProposalRow.park_id,
                        ProposalRow.status, ProjectRecord.snapshot_json)
                 .join(ProjectRecord, col(ProjectRecord.id) == col(ProposalRow.project_id))
                 .where(ProposalRow.tenant_id == tenant_id)
                 .where(col(ProposalRow.status).in_(_values(statuses))))
        if park_id is not None:
            query = query.where(ProposalRow.park_id == park_id)
        rows = self.session.exec(query.order_by(col(ProposalRow.project_name), col(ProposalRow.id)))
        found = []
        for project_id, project_name, park_id, status, snapshot in rows:
            project = json.loads(snapshot)
            found.append(LinkProposal(project_id, project_name, park_id, ProposalStatus(status),
                                      str(project.get("sector")), str(project.get("chain")),
                                      str(project.get("link"))))
        return found

    def proposal(self, tenant_id: str, proposal_id: str,
                 for_update: bool = False) -> Proposal | None:
        """With `for_update`, the proposal's row is locked (and read afresh) until the
        transaction ends: a decision on another replica waits, then finds this one's."""
        row = self.session.get(ProposalRow, proposal_id, with_for_update=for_update,
                               populate_existing=for_update)
        return _proposal(row) if row and row.tenant_id == tenant_id else None

    def live_proposals(self, tenant_id: str, park_id: str | None = None,
                       statuses: Statuses = LIVE) -> list[Proposal]:
        query = (select(ProposalRow).where(ProposalRow.tenant_id == tenant_id)
                 .where(col(ProposalRow.status).in_(_values(statuses))))
        if park_id is not None:
            query = query.where(ProposalRow.park_id == park_id)
        return [_proposal(row) for row in self.session.exec(query.order_by(ProposalRow.id))]

    def live_proposal(self, project_id: str) -> Proposal | None:
        query = (select(ProposalRow).where(ProposalRow.project_id == project_id)
                 .where(col(ProposalRow.status).in_(_values(LIVE))))
        row = self.session.exec(query).first()
        return _proposal(row) if row else None

    def offers_due(self, now: datetime, remind_by: datetime, tenants: list[str]) -> list[Proposal]:
        """Offers, of the cities `tenants`, that have lapsed, or lapse by `remind_by` and were
        not yet reminded: a reminded offer is not read again until it lapses. Locked until the
        transaction ends: an offer accepted on another replica meanwhile is no longer offered
        once its lock is had (PostgreSQL reads such a row again), and is not expired."""
        due = or_(col(ProposalRow.expires_at) <= now,
                  and_(col(ProposalRow.reminded_at).is_(None),
                       col(ProposalRow.expires_at) <= remind_by))
        query = (select(ProposalRow).where(ProposalRow.status == ProposalStatus.offered.value)
                 .where(col(ProposalRow.tenant_id).in_(tenants))
                 .where(due).order_by(ProposalRow.id)
                 .with_for_update().execution_options(populate_existing=True))
        return [_proposal(row) for row in self.session.exec(query)]

    def rejected_pairs(self, tenant_id: str) -> frozenset[tuple[str, str]]:
        rows = self.session.exec(
            select(ProposalRow.project_id, ProposalRow.park_id)
            .where(ProposalRow.tenant_id == tenant_id)
            .where(ProposalRow.status == ProposalStatus.rejected.value))
        return frozenset((project, park) for project, park in rows)

    def with_live_proposals(self, project_ids: list[str]) -> set[str]:
        """Those of `project_ids` that have an offer pending or accepted."""
        query = (select(ProposalRow.project_id).where(col(ProposalRow.project_id).in_(project_ids))
                 .where(col(ProposalRow.status).in_(_values(LIVE))))
        return set(self.session.exec(query))

    def add_offers(self, offers: list[Proposal]) -> None:
        """New offers, in one INSERT: a plan makes hundreds, and an ORM object each can cost more
        than the plan's solve at the end of a burst (measured: docs/performance.md, "one
        statement per table"). Pending changes go first, so that an offer withdrawn in this
        transaction no longer counts as live."""
        if offers:
            self.session.flush()
            self.session.exec(insert(ProposalRow), params=[_columns(offer) for offer in offers])

    def save(self, proposal: Proposal) -> None:
        """What a proposal's steps changed: its status, decision and reminder."""
        row = self.session.get(ProposalRow, proposal.id)
        assert row is not None, "a proposal is saved only after it was added"
        for name, value in _changed_columns(proposal).items():
            setattr(row, name, value)

    def proposal_page(self, query: ListProposals
                      ) -> tuple[list[Proposal], int, dict[ProposalStatus, int]]:
        """A page of the city's proposals as asked for, how many match in all, and how many
        match each status."""
        rows, total, counts = listings.proposal_page(self.session, query)
        return [_proposal(row) for row in rows], total, counts

    def project_page(self, query: ListProjects) -> tuple[list[Project], int]:
        """A page of the city's projects as asked for, and how many match in all. A record that
        no longer reads as a project is left out of the page, in `set_aside`."""
        ids, total = listings.project_page(self.session, query)
        records = self.project_records(query.tenant_id, ids)
        projects = []
        for project_id in ids:
            try:
                projects.append(Project.model_validate_json(records[project_id].snapshot_json))
            except ValidationError as error:
                self.set_aside.append(SetAside("project", project_id, query.tenant_id,
                                               describe(error)))
        return projects, total

    def latest_proposals(self, tenant_id: str, project_ids: list[str]) -> dict[str, Proposal]:
        rows = self.session.exec(select(ProposalRow)
                                 .where(ProposalRow.tenant_id == tenant_id)
                                 .where(col(ProposalRow.project_id).in_(project_ids))
                                 .order_by(col(ProposalRow.offered_at)))
        return {row.project_id: _proposal(row) for row in rows}  # the last offered wins

    def add_plan(self, plan: Plan) -> None:
        self.session.add(PlanRow(id=plan.id, tenant_id=plan.tenant_id, finished_at=plan.finished_at,
                                 plan_json=plan.model_dump_json()))

    def plans(self, tenant_id: str, limit: int, offset: int) -> tuple[list[Plan], int]:
        """A page of the city's plans, newest first, and how many there are in all."""
        where = PlanRow.tenant_id == tenant_id
        total = self.session.exec(select(func.count()).select_from(PlanRow).where(where)).one()
        rows = self.session.exec(select(PlanRow).where(where)
                                 .order_by(col(PlanRow.finished_at).desc(), col(PlanRow.id))
                                 .limit(limit).offset(offset))
        return [Plan.model_validate_json(row.plan_json) for row in rows], total

    def plan(self, tenant_id: str, plan_id: str) -> Plan | None:
        row = self.session.get(PlanRow, plan_id)
        return Plan.model_validate_json(row.plan_json) if row and row.tenant_id == tenant_id else None

    def add_history(self, tenant_id: str, project_id: str, entry: HistoryEntry) -> None:
        self.session.add(HistoryRow(tenant_id=tenant_id, project_id=project_id,
                                    **entry.model_dump()))

    def add_histories(self, entries: list[tuple[str, str, HistoryEntry]]) -> None:
        """(city, project id, entry) triples in one INSERT, as `add_offers`."""
        if entries:
            self.session.exec(insert(HistoryRow), params=[
                {"tenant_id": tenant_id, "project_id": project_id, **entry.model_dump()}
                for tenant_id, project_id, entry in entries])

    def clear_unplaced(self, tenant_id: str, project_ids: list[str]) -> None:
        """Forget the reasons these projects went unplaced: they have been offered a place."""
        if project_ids:
            self.session.exec(update(ProjectRecord)
                              .where(ProjectRecord.tenant_id == tenant_id)
                              .where(col(ProjectRecord.id).in_(project_ids))
                              .where(col(ProjectRecord.unplaced_reason_en).is_not(None))
                              .values(unplaced_reason_zh=None, unplaced_reason_en=None,
                                      unplaced_reasons_json=None))

    def mark_unplaced(self, tenant_id: str, unplaced: list[Unplaced]) -> list[Unplaced]:
        """Keep why each project went unplaced, its record read in one query with the others';
        the ones not unplaced before."""
        if not unplaced:
            return []
        records = self.project_records(tenant_id, [each.project.id for each in unplaced])
        newly = []
        for each in unplaced:
            if (record := records.get(each.project.id)) is None:
                continue
            if record.unplaced_reason_en is None:
                newly.append(each)
            record.unplaced_reason_zh, record.unplaced_reason_en = each.reason_zh, each.reason_en
            record.unplaced_reasons_json = VERDICTS.dump_json(each.verdicts).decode()
        return newly

    def history(self, tenant_id: str, project_id: str) -> list[HistoryEntry]:
        rows = self.session.exec(select(HistoryRow).where(HistoryRow.tenant_id == tenant_id)
                                 .where(HistoryRow.project_id == project_id)
                                 .order_by(col(HistoryRow.at), col(HistoryRow.id)))
        return [HistoryEntry.model_validate(row, from_attributes=True) for row in rows]


# What a step may change. The offer's terms never change, but for the budget years an accept in a
# later year moves (`_changed_columns`).
MUTABLE = ("status", "reminded_at", "decided_at", "decided_by", "reject_reason",
           "withdraw_reason")
# What a proposal holds, as `held_use` reads it.
HELD_COLUMNS = (*(col(getattr(ProposalRow, resource)) for resource in RESOURCES),
                col(ProposalRow.subsidy_by_year_json), col(ProposalRow.status),
                col(ProposalRow.offered_at), col(ProposalRow.decided_at))


def held_use(floor_m2: float, land_mu: float, slots: float, subsidy_yuan: float,
             subsidy_by_year_json: str | None, status: str, offered_at: datetime,
             decided_at: datetime | None) -> dict[str, float]:
    """What a proposal holds, from its columns (`HELD_COLUMNS`). A row kept from before budgets
    had years charges its whole subsidy to the years from its start: the city's year of its
    acceptance, or of its offer while pending."""
    use = dict(zip(RESOURCES, (floor_m2, land_mu, slots, subsidy_yuan), strict=True))
    if subsidy_by_year_json is not None:
        return use | json.loads(subsidy_by_year_json)
    started = decided_at if status == ProposalStatus.accepted.value and decided_at else offered_at
    return use | legacy_charges(subsidy_yuan, city_day(_aware(started)).year)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back the UTC moments it was given without their zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _columns(proposal: Proposal) -> dict[str, Any]:
    explanation = proposal.explanation
    return {"id": proposal.id, "tenant_id": proposal.tenant_id,
            "project_id": proposal.project_id, "project_name": proposal.project_name,
            "park_id": proposal.park_id, "park_name": proposal.park_name,
            "chain_role": proposal.chain_role.value,
            "score": proposal.score, **{r: proposal.use[r] for r in RESOURCES},
            "explanation_zh": proposal.explanation_zh, "explanation_en": proposal.explanation_en,
            "explanation_json": explanation.model_dump_json() if explanation else None,
            "offered_at": proposal.offered_at, "expires_at": proposal.expires_at,
            "plan_id": proposal.plan_id} | _changed_columns(proposal)


def _changed_columns(proposal: Proposal) -> dict[str, Any]:
    columns = {name: getattr(proposal, name) for name in MUTABLE}
    reason = proposal.withdraw_reason
    years = {r: amount for r, amount in proposal.use.items() if r not in RESOURCES}
    return columns | {"status": proposal.status.value,
                      "withdraw_reason": reason.model_dump_json() if reason else None,
                      "subsidy_by_year_json": json.dumps(years)}


def _withdraw_reason(stored: str | None) -> Bilingual | None:
    """Kept as JSON; rows of a release that joined the two languages are read apart."""
    if stored is None:
        return None
    if stored.startswith("{"):
        return Bilingual.model_validate_json(stored)
    return unjoined(stored)


def _values(statuses: Statuses) -> list[str]:
    return [status.value for status in statuses]


def _proposal(row: ProposalRow) -> Proposal:
    return Proposal(
        id=row.id, tenant_id=row.tenant_id, project_id=row.project_id,
        project_name=row.project_name, park_id=row.park_id, park_name=row.park_name,
        status=ProposalStatus(row.status), score=row.score, chain_role=ChainRole(row.chain_role),
        use=held_use(*(getattr(row, column.key) for column in HELD_COLUMNS)),
        explanation_zh=row.explanation_zh, explanation_en=row.explanation_en,
        explanation=(Explanation.model_validate_json(row.explanation_json)
                     if row.explanation_json else None),
        offered_at=row.offered_at, expires_at=row.expires_at, plan_id=row.plan_id,
        reminded_at=row.reminded_at, decided_at=row.decided_at,
        decided_by=row.decided_by, reject_reason=row.reject_reason,
        withdraw_reason=_withdraw_reason(row.withdraw_reason))
