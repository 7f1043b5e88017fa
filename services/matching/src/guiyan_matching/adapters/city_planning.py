"""Each city's planning as every replica sees it: the term of the lease it is planned under,
and the solve under way."""

from __future__ import annotations

from sqlmodel import Session

from guiyan_contracts.models import SolveProgress

from .orm import CityPlanningRow


class CityPlanning:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, tenant_id: str, term: str) -> None:
        """The city is planned under `term` from now on: a plan solved under an earlier one is
        not written, and the solve that was under way is no longer told."""
        row = self._row(tenant_id, for_update=True)
        row.term, row.solving_json = term, None
        self.session.add(row)

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

    def _row(self, tenant_id: str, for_update: bool = False) -> CityPlanningRow:
        found = self.session.get(CityPlanningRow, tenant_id, with_for_update=for_update)
        return found if found is not None else CityPlanningRow(tenant_id=tenant_id)
