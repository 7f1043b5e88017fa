"""The city's figures for its dashboard: every count and sum is the database's work, over the
same standing (`listings.PROJECT_STATUS`) the project list filters on, so the dashboard and
the lists never disagree."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, literal_column
from sqlmodel import Session, col, select

from guiyan_contracts.matching import (
    BreakdownBy,
    BreakdownRow,
    StationPerformance,
    UnplacedReason,
)
from guiyan_contracts.models import ProjectStatus, ProposalStatus

from ..domain.city_time import CITY_TIME, CITY_UTC_OFFSET_HOURS
from ..domain.proposal import LIVE, added
from .listings import LIVE_PROPOSAL, PROJECT_STATUS, WITH_LIVE_PROPOSAL
from .orm import ProjectRecord, ProposalRow
from .repository import HELD_COLUMNS, VERDICTS, held_use


def city_day_start(day: date) -> datetime:
    """When `day` begins in the city, in UTC."""
    return datetime.combine(day, time(), CITY_TIME).astimezone(UTC)


def _month(session: Session) -> ColumnElement[Any]:
    """A project's month of submission in the city's time, YYYY-MM, in the database's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        shifted = col(ProjectRecord.submitted_at) + literal_column(
            f"interval '{CITY_UTC_OFFSET_HOURS} hours'")
        return func.to_char(shifted, "YYYY-MM")
    return func.strftime("%Y-%m", ProjectRecord.submitted_at, f"+{CITY_UTC_OFFSET_HOURS} hours")


class CityFigures:
    """The figures of one transaction's reads, a query each."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def status_counts(self, tenant_id: str) -> dict[ProjectStatus, int]:
        """How many of the city's projects stand in each status now."""
        rows = self.session.exec(
            select(PROJECT_STATUS, func.count()).select_from(ProjectRecord)
            .outerjoin(LIVE_PROPOSAL, WITH_LIVE_PROPOSAL)
            .where(ProjectRecord.tenant_id == tenant_id).group_by(PROJECT_STATUS))
        return {ProjectStatus(status): count for status, count in rows}

    def ever_proposed(self, tenant_id: str) -> int:
        """How many of the city's projects were offered a park at least once."""
        return self.session.exec(select(func.count(func.distinct(ProposalRow.project_id)))
                                 .where(ProposalRow.tenant_id == tenant_id)).one()

    def breakdown(self, tenant_id: str, by: BreakdownBy) -> list[BreakdownRow]:
        """The city's projects not withdrawn, by `by`: how many, how many placed, their
        investment and jobs. Months in order; the rest largest first, then by key."""
        key = _month(self.session) if by is BreakdownBy.month else col(
            {BreakdownBy.sector: ProjectRecord.sector, BreakdownBy.source: ProjectRecord.source,
             BreakdownBy.county: ProjectRecord.county}[by])
        projects = func.count()
        rows = self.session.exec(
            select(key, projects,
                   func.sum(case((PROJECT_STATUS == ProjectStatus.placed.value, 1),  # noqa: SIM300
                                 else_=0)),
                   func.coalesce(func.sum(ProjectRecord.investment_yuan), 0),
                   func.coalesce(func.sum(ProjectRecord.jobs), 0))
            .select_from(ProjectRecord).outerjoin(LIVE_PROPOSAL, WITH_LIVE_PROPOSAL)
            .where(ProjectRecord.tenant_id == tenant_id)
            .where(col(ProjectRecord.withdrawn_at).is_(None)).where(key.is_not(None))
            .group_by(key).order_by(key if by is BreakdownBy.month else projects.desc(), key))
        return [BreakdownRow(key=str(group), projects=count, placed=int(placed),
                             investment_yuan=float(investment), jobs=int(jobs))
                for group, count, placed, investment, jobs in rows]

    def station_performance(self, tenant_id: str, station_ids: list[str] | None,
                            since: date | None, until: date | None) -> list[StationPerformance]:
        """Per station named as a source (those of `station_ids`, or every one), the projects
        submitted with it between `since` and `until` (the city's days, both included): how
        many, how many ever offered a park, placed now and withdrawn, and the investment and
        jobs of the placed. Most placed first; a station asked for with none is there with
        nothing."""
        placed = PROJECT_STATUS == ProjectStatus.placed.value  # noqa: SIM300 (SQL)
        ever_offered = exists().where(ProposalRow.project_id == ProjectRecord.id)
        query = (select(ProjectRecord.source, func.count(),
                        func.sum(case((ever_offered, 1), else_=0)),
                        func.sum(case((placed, 1), else_=0)),
                        func.sum(case((col(ProjectRecord.withdrawn_at).is_not(None), 1), else_=0)),
                        func.sum(case((placed, ProjectRecord.investment_yuan), else_=0)),
                        func.sum(case((placed, ProjectRecord.jobs), else_=0)))
                 .select_from(ProjectRecord).outerjoin(LIVE_PROPOSAL, WITH_LIVE_PROPOSAL)
                 .where(ProjectRecord.tenant_id == tenant_id)
                 .where(col(ProjectRecord.source).is_not(None)).group_by(ProjectRecord.source))
        if station_ids is not None:
            query = query.where(col(ProjectRecord.source).in_(station_ids))
        if since is not None:
            query = query.where(col(ProjectRecord.submitted_at) >= city_day_start(since))
        if until is not None:
            query = query.where(col(ProjectRecord.submitted_at)
                                < city_day_start(until + timedelta(days=1)))
        found = {source: StationPerformance(
            station_id=source, recommended=count, proposed=int(offered), placed=int(placed_count),
            withdrawn=int(withdrawn), investment_yuan=float(investment or 0), jobs=int(jobs or 0))
            for source, count, offered, placed_count, withdrawn, investment, jobs
            in self.session.exec(query)}
        for station_id in station_ids or ():
            found.setdefault(station_id, StationPerformance(
                station_id=station_id, recommended=0, proposed=0, placed=0, withdrawn=0,
                investment_yuan=0, jobs=0))
        return sorted(found.values(), key=lambda s: (-s.placed, -s.recommended, s.station_id))

    def held_by_park(self, tenant_id: str) -> dict[str, dict[ProposalStatus, dict[str, float]]]:
        """Per park of the city, what its accepted and its offered proposals hold, per
        resource. Summed here rather than in SQL: each budget year's charge is kept as JSON."""
        rows = self.session.exec(
            select(ProposalRow.park_id, ProposalRow.status, *HELD_COLUMNS)
            .where(ProposalRow.tenant_id == tenant_id)
            .where(col(ProposalRow.status).in_([status.value for status in LIVE])))
        held: dict[str, dict[ProposalStatus, dict[str, float]]] = {}
        for park_id, status, *columns in rows:
            by_status = held.setdefault(park_id, {})
            by_status[ProposalStatus(status)] = added(by_status.get(ProposalStatus(status), {}),
                                                      held_use(*columns))
        return held

    def unplaced_reasons(self, tenant_id: str) -> tuple[int, list[UnplacedReason]]:
        """How many projects stand unplaced, and how many of them each verdict (and rule) was
        given by at least one park, most first. The verdicts are stored per project as JSON,
        which the two databases read differently, so they are counted here, over the unplaced
        rows alone."""
        rows = self.session.exec(
            select(ProjectRecord.unplaced_reasons_json).select_from(ProjectRecord)
            .outerjoin(LIVE_PROPOSAL, WITH_LIVE_PROPOSAL)
            .where(ProjectRecord.tenant_id == tenant_id)
            .where(PROJECT_STATUS == ProjectStatus.unplaced.value))  # noqa: SIM300 (SQL)
        counted: Counter[tuple[str, str | None]] = Counter()
        unplaced = 0
        for stored in rows:
            unplaced += 1
            counted.update({(verdict.verdict.value, verdict.rule)
                            for verdict in VERDICTS.validate_json(stored or "[]")})
        reasons = [UnplacedReason(verdict=verdict, rule=rule, projects=count)
                   for (verdict, rule), count in sorted(
                       counted.items(), key=lambda item: (-item[1], item[0][0], item[0][1] or ""))]
        return unplaced, reasons
