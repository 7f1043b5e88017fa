"""The changes waiting to be planned, kept in the database so that the replica that leads a city
plans the changes any replica heard of, and none is lost when the leader changes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.models import PlanTrigger

from .orm import PlanRequestRow


@dataclass(frozen=True)
class PlanRequest:
    id: int
    tenant_id: str
    trigger: PlanTrigger


class PlanQueue:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, tenant_id: str, kind: str, ref: str | None = None) -> None:
        trigger = PlanTrigger(kind=kind, ref=ref, at=utc_now())
        self.session.add(PlanRequestRow(tenant_id=tenant_id, trigger_json=trigger.model_dump_json()))

    def waiting(self, tenants: Collection[str]) -> list[PlanRequest]:
        """The cities' requests, oldest first. Read as columns, not ORM objects: the
        planner reads the whole queue while a solve runs, and under a burst it holds thousands."""
        if not tenants:
            return []
        rows = self.session.exec(select(PlanRequestRow.id, PlanRequestRow.tenant_id,
                                        PlanRequestRow.trigger_json)
                                 .where(col(PlanRequestRow.tenant_id).in_(list(tenants)))
                                 .order_by(col(PlanRequestRow.id)))
        return [PlanRequest(request_id, tenant_id, PlanTrigger.model_validate_json(trigger))
                for request_id, tenant_id, trigger in rows]

    def count(self, tenant_id: str) -> int:
        return self.session.exec(select(func.count()).select_from(PlanRequestRow)
                                 .where(PlanRequestRow.tenant_id == tenant_id)).one()

    def remove(self, ids: Collection[int]) -> None:
        if ids:
            self.session.exec(delete(PlanRequestRow)  # type: ignore[call-overload]
                              .where(col(PlanRequestRow.id).in_(list(ids))))
