"""matching's repository: parks and projects as contract snapshots, proposals as rows."""

from __future__ import annotations

from collections import defaultdict

from pydantic import TypeAdapter
from sqlmodel import Session, col, select

from guiyan_contracts.models import (
    Explanation,
    Park,
    ParkVerdict,
    Project,
    Proposal,
    ProposalStatus,
)

from .orm import ParkRecord, ProjectRecord, ProposalRow

LIVE = (ProposalStatus.offered.value, ProposalStatus.accepted.value)
RESOURCES = ("floor_m2", "land_mu", "slots", "subsidy_yuan")
VERDICTS = TypeAdapter(list[ParkVerdict])  # an unplaced project's reasons, stored as JSON


class MatchingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save_park(self, park: Park) -> None:
        self.session.merge(ParkRecord(id=park.id, tenant_id=park.tenant_id,
                                      snapshot_json=park.model_dump_json()))

    def save_project(self, project: Project) -> None:
        if self.session.get(ProjectRecord, project.id) is None:
            self.session.add(ProjectRecord(id=project.id, tenant_id=project.tenant_id,
                                           snapshot_json=project.model_dump_json()))

    def parks(self, tenant_id: str) -> list[Park]:
        rows = self.session.exec(select(ParkRecord).where(ParkRecord.tenant_id == tenant_id)
                                 .order_by(ParkRecord.id))
        return [Park.model_validate_json(r.snapshot_json) for r in rows]

    def project_record(self, project_id: str) -> ProjectRecord | None:
        return self.session.get(ProjectRecord, project_id)

    def project_records(self, tenant_id: str, project_ids: list[str]) -> dict[str, ProjectRecord]:
        rows = self.session.exec(select(ProjectRecord).where(ProjectRecord.tenant_id == tenant_id)
                                 .where(col(ProjectRecord.id).in_(project_ids)))
        return {row.id: row for row in rows}

    def project(self, project_id: str) -> Project | None:
        row = self.session.get(ProjectRecord, project_id)
        return Project.model_validate_json(row.snapshot_json) if row else None

    def tenants(self) -> list[str]:
        return list(self.session.exec(select(ProjectRecord.tenant_id).distinct()))

    def open_projects(self, tenant_id: str) -> list[ProjectRecord]:
        """Projects with no live proposal: the demand the next plan must place."""
        live = select(ProposalRow.project_id).where(col(ProposalRow.status).in_(LIVE))
        rows = self.session.exec(select(ProjectRecord)
                                 .where(ProjectRecord.tenant_id == tenant_id)
                                 .where(col(ProjectRecord.id).not_in(live))
                                 .order_by(ProjectRecord.id))
        return list(rows)

    def held(self, tenant_id: str) -> dict[str, dict[str, float]]:
        """Per park, what accepted and pending offers hold: neither may be promised twice."""
        held: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(RESOURCES, 0.0))
        rows = self.session.exec(select(ProposalRow).where(ProposalRow.tenant_id == tenant_id)
                                 .where(col(ProposalRow.status).in_(LIVE)))
        for row in rows:
            for resource in RESOURCES:
                held[row.park_id][resource] += getattr(row, resource)
        return dict(held)

    def rejected_pairs(self, tenant_id: str) -> frozenset[tuple[str, str]]:
        rows = self.session.exec(
            select(ProposalRow.project_id, ProposalRow.park_id)
            .where(ProposalRow.tenant_id == tenant_id)
            .where(ProposalRow.status == ProposalStatus.rejected.value))
        return frozenset((project, park) for project, park in rows)

    def has_live_proposal(self, project_id: str) -> bool:
        query = (select(ProposalRow.id).where(ProposalRow.project_id == project_id)
                 .where(col(ProposalRow.status).in_(LIVE)))
        return self.session.exec(query).first() is not None

    def add_proposal(self, row: ProposalRow) -> None:
        self.session.add(row)

    def proposal_row(self, tenant_id: str, proposal_id: str) -> ProposalRow | None:
        row = self.session.get(ProposalRow, proposal_id)
        return row if row and row.tenant_id == tenant_id else None

    def proposal_rows(self, tenant_id: str, park_ids: list[str] | None, status: str | None,
                      limit: int) -> list[ProposalRow]:
        query = select(ProposalRow).where(ProposalRow.tenant_id == tenant_id)
        if park_ids is not None:
            query = query.where(col(ProposalRow.park_id).in_(park_ids))
        if status is not None:
            query = query.where(ProposalRow.status == status)
        query = query.order_by(col(ProposalRow.offered_at).desc()).limit(limit)
        return list(self.session.exec(query))

    def latest_proposals(self, tenant_id: str, project_ids: list[str]) -> dict[str, ProposalRow]:
        rows = self.session.exec(select(ProposalRow)
                                 .where(ProposalRow.tenant_id == tenant_id)
                                 .where(col(ProposalRow.project_id).in_(project_ids))
                                 .order_by(col(ProposalRow.offered_at)))
        return {row.project_id: row for row in rows}  # the last offered wins


def to_contract(row: ProposalRow) -> Proposal:
    return Proposal(
        id=row.id, tenant_id=row.tenant_id, project_id=row.project_id,
        project_name=row.project_name, park_id=row.park_id, park_name=row.park_name,
        status=ProposalStatus(row.status), score=row.score, chain_role=row.chain_role,
        subsidy_yuan=row.subsidy_yuan, explanation_zh=row.explanation_zh,
        explanation_en=row.explanation_en,
        explanation=Explanation.model_validate_json(row.explanation_json) if row.explanation_json else None,
        offered_at=row.offered_at,
        decided_at=row.decided_at, decided_by=row.decided_by, reject_reason=row.reject_reason)
