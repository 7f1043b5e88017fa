"""Each city's planning as every replica sees it: the term of the lease it is planned under,
and the solve under way."""

from __future__ import annotations

from sqlalchemy import or_, update
from sqlmodel import Session

from guiyan_contracts.models import SolveProgress

from .orm import CityPlanningRow


class CityPlanning:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, tenant_id: str, term: str, revision: int) -> bool:
        """The city is planned under `term` (of lease `revision`) from now on: a plan solved
        under an earlier one is not written, and the solve that was under way is no longer told.
        Only over an older revision: a claim that waited while the lease lapsed and passed on
        must not take the city back from its newer leader. Whether it claimed."""
        columns = CityPlanningRow.__table__.c
        newer = (update(CityPlanningRow)
                 .where(columns.tenant_id == tenant_id,
                        or_(columns.revision.is_(None), columns.revision < revision))
                 .values(term=term, revision=revision, solving_json=None))
        if self.session.execute(newer).rowcount:
            return True
        if self.session.get(CityPlanningRow, tenant_id) is not None:
            return False  # claimed under a newer revision already
        # Two first claims at once: one commits, the other's fails on the key and is retried.
        self.session.add(CityPlanningRow(tenant_id=tenant_id, term=term, revision=revision))
        return True

    def term(self, tenant_id: str, for_update: bool = False) -> str | None:
        """With `for_update`, no claim commits until this transaction has (on PostgreSQL; on
        SQLite every write waits for the one before)."""
        row = self.session.get(CityPlanningRow, tenant_id, with_for_update=for_update)
        return row.term if row is not None else None

    def note_solving(self, tenant_id: str, progress: SolveProgress | None) -> None:
        row = self._row(tenant_id)
        row.solving_json = progress.model_dump_json() if progress is not None else None
        self.session.add(row)

    def solving(self, tenant_id: str) -> SolveProgress | None:
        row = self.session.get(CityPlanningRow, tenant_id)
        if row is None or row.solving_json is None:
            return None
        return SolveProgress.model_validate_json(row.solving_json)

    def _row(self, tenant_id: str) -> CityPlanningRow:
        found = self.session.get(CityPlanningRow, tenant_id)
        return found if found is not None else CityPlanningRow(tenant_id=tenant_id)
