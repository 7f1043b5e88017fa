"""The lists people page through: projects with where each stands, and proposals. Every filter,
the order, the page and the count are the database's work, so a list costs the same at ten
projects as at ten thousand."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from guiyan_contracts.matching import ListProjects, ListProposals, ProjectSort, ProposalSort
from guiyan_contracts.models import Project, ProjectStatus, ProposalStatus

from ..domain.proposal import LIVE
from .orm import ProjectRecord, ProposalRow

# A project's live proposal (offered or accepted): at most one, by the partial unique index.
LIVE_PROPOSAL = aliased(ProposalRow, name="live")
_LIVE = [status.value for status in LIVE]
# Joins a project to its live proposal, if it has one: what `PROJECT_STATUS` reads.
WITH_LIVE_PROPOSAL = and_(LIVE_PROPOSAL.project_id == ProjectRecord.id,
                          col(LIVE_PROPOSAL.status).in_(_LIVE))

# Where a project stands, as `handlers._placement` says it for one project: withdrawn first,
# then its live proposal, then the last plan's verdict.
PROJECT_STATUS = case(
    (col(ProjectRecord.withdrawn_at).is_not(None), literal(ProjectStatus.withdrawn.value)),
    (LIVE_PROPOSAL.status == ProposalStatus.accepted.value, literal(ProjectStatus.placed.value)),
    (LIVE_PROPOSAL.status == ProposalStatus.offered.value, literal(ProjectStatus.proposed.value)),
    (col(ProjectRecord.unplaced_reason_en).is_not(None), literal(ProjectStatus.unplaced.value)),
    else_=literal(ProjectStatus.submitted.value))

# Sorting by status follows a project's path, not the alphabet.
_PROJECT_STATUS_ORDER = case(
    {status.value: rank for rank, status in enumerate(
        (ProjectStatus.submitted, ProjectStatus.proposed, ProjectStatus.unplaced,
         ProjectStatus.placed, ProjectStatus.withdrawn))}, value=PROJECT_STATUS)
_PROPOSAL_STATUS_ORDER = case(
    {status.value: rank for rank, status in enumerate(ProposalStatus)},
    value=col(ProposalRow.status))

_PROJECT_ORDER: dict[ProjectSort, list[Any]] = {
    ProjectSort.newest: [],
    ProjectSort.oldest: [col(ProjectRecord.submitted_at)],
    ProjectSort.name: [col(ProjectRecord.name)],
    ProjectSort.most_investment: [col(ProjectRecord.investment_yuan).desc()],
    ProjectSort.most_jobs: [col(ProjectRecord.jobs).desc()],
    ProjectSort.status: [_PROJECT_STATUS_ORDER],
}
_PROPOSAL_ORDER: dict[ProposalSort, list[Any]] = {
    ProposalSort.newest: [],
    ProposalSort.oldest: [col(ProposalRow.offered_at)],
    ProposalSort.best_score: [col(ProposalRow.score).desc()],
    # Only an offer lapses; decided ones (whose expiry no longer matters) come after.
    ProposalSort.lapsing_first: [case((col(ProposalRow.status) == ProposalStatus.offered.value, 0),
                                      else_=1), col(ProposalRow.expires_at)],
    ProposalSort.project_name: [col(ProposalRow.project_name)],
    ProposalSort.park_name: [col(ProposalRow.park_name)],
    ProposalSort.status: [_PROPOSAL_STATUS_ORDER],
}


# Each listing column and the snapshot's field it copies.
FROM_SNAPSHOT = (("name", "name"), ("founder", "founder"), ("sector", "sector"),
                 ("chain", "chain"), ("county", "hometown_county"), ("source", "source"),
                 ("investment_yuan", "investment_yuan"), ("jobs", "jobs"),
                 ("submitted_at", "submitted_at"))


def listing_columns(project: Project) -> dict[str, Any]:
    """What a list searches, filters and sorts a project on, from its snapshot."""
    return {name: getattr(project, field) for name, field in FROM_SNAPSHOT}


def _project_filters(query: ListProjects) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = [ProjectRecord.tenant_id == query.tenant_id]
    if query.q is not None:
        filters.append(or_(col(ProjectRecord.name).icontains(query.q, autoescape=True),
                           col(ProjectRecord.founder).icontains(query.q, autoescape=True)))
    if query.statuses:
        filters.append(PROJECT_STATUS.in_([status.value for status in query.statuses]))
    for column, value in ((ProjectRecord.sector, query.sector), (ProjectRecord.chain, query.chain),
                          (ProjectRecord.county, query.county),
                          (ProjectRecord.source, query.source)):
        if value is not None:
            filters.append(col(column) == value)
    if query.park_ids is not None:
        filters.append(col(LIVE_PROPOSAL.park_id).in_(query.park_ids))
    return filters


def project_page(session: Session, query: ListProjects) -> tuple[list[str], int]:
    """The ids of one page of the city's projects, in the order asked for, and how many match
    in all."""
    matching = (select(ProjectRecord.id)
                .outerjoin(LIVE_PROPOSAL, WITH_LIVE_PROPOSAL)
                .where(*_project_filters(query)))
    total = session.exec(select(func.count()).select_from(matching.subquery())).one()
    order = [*_PROJECT_ORDER[query.sort], col(ProjectRecord.submitted_at).desc(),
             col(ProjectRecord.id)]
    ids = session.exec(matching.order_by(*order).limit(query.limit).offset(query.offset))
    return list(ids), total


def _proposal_filters(query: ListProposals) -> list[ColumnElement[bool]]:
    """Every filter but the status, which the counts leave out."""
    filters: list[ColumnElement[bool]] = [ProposalRow.tenant_id == query.tenant_id]
    if query.q is not None:
        filters.append(or_(col(ProposalRow.project_name).icontains(query.q, autoescape=True),
                           col(ProposalRow.park_name).icontains(query.q, autoescape=True)))
    if query.park_ids is not None:
        filters.append(col(ProposalRow.park_id).in_(query.park_ids))
    for column, value in ((ProjectRecord.sector, query.sector), (ProjectRecord.chain, query.chain),
                          (ProjectRecord.county, query.county)):
        if value is not None:
            filters.append(col(column) == value)
    return filters


def _with_projects(statement: Any, query: ListProposals) -> Any:
    """Joined to its project only when a filter reads the project."""
    if query.sector is None and query.chain is None and query.county is None:
        return statement
    return statement.join(ProjectRecord, col(ProjectRecord.id) == ProposalRow.project_id)


def proposal_page(session: Session, query: ListProposals
                  ) -> tuple[list[ProposalRow], int, dict[ProposalStatus, int]]:
    """One page of the city's proposals in the order asked for, how many match in all, and how
    many match each status under the other filters."""
    filters = _proposal_filters(query)
    counted = session.exec(_with_projects(
        select(ProposalRow.status, func.count()).select_from(ProposalRow), query)
        .where(*filters).group_by(ProposalRow.status))
    counts = {ProposalStatus(status): count for status, count in counted}
    if query.statuses:
        filters.append(col(ProposalRow.status).in_([status.value for status in query.statuses]))
    total = sum(counts.get(status, 0) for status in set(query.statuses) or ProposalStatus)
    order = [*_PROPOSAL_ORDER[query.sort], col(ProposalRow.offered_at).desc(),
             col(ProposalRow.id)]
    rows = session.exec(_with_projects(select(ProposalRow), query).where(*filters)
                        .order_by(*order).limit(query.limit).offset(query.offset))
    return list(rows), total, counts


def unlisted(session: Session, tenant_id: str) -> list[ProjectRecord]:
    """The city's records kept from a release before the listing columns: none once filled."""
    return list(session.exec(select(ProjectRecord).where(ProjectRecord.tenant_id == tenant_id)
                             .where(col(ProjectRecord.submitted_at).is_(None))))
