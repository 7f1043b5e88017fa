"""A ledger's staged rows, waiting for their import's commit, and the record of exports."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, select

from guiyan_contracts.registry import ExportRecord, StagedRow

from .orm import ExportRow, StagedRowRow


class LedgerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def stage(self, tenant_id: str, import_id: str, rows: list[StagedRow], now: datetime) -> None:
        """Rows staged again (a chunk sent twice) replace the first."""
        numbers = [row.row for row in rows]
        self.session.exec(delete(StagedRowRow).where(  # type: ignore[call-overload]
            StagedRowRow.import_id == import_id,
            StagedRowRow.row.in_(numbers)))  # type: ignore[attr-defined]
        self.session.add_all([StagedRowRow(import_id=import_id, row=row.row, tenant_id=tenant_id,
                                           staged_at=now, fields_json=json.dumps(row.fields))
                              for row in rows])

    def import_city(self, import_id: str) -> str | None:
        """The city an import's rows were staged for, if any are."""
        return self.session.exec(select(StagedRowRow.tenant_id)
                                 .where(StagedRowRow.import_id == import_id).limit(1)).first()

    def staged(self, tenant_id: str, import_id: str) -> list[tuple[int, dict[str, Any]]]:
        query = (select(StagedRowRow.row, StagedRowRow.fields_json)
                 .where(StagedRowRow.import_id == import_id, StagedRowRow.tenant_id == tenant_id)
                 .order_by(StagedRowRow.row))  # type: ignore[arg-type]
        return [(number, json.loads(fields)) for number, fields in self.session.exec(query)]

    def staged_count(self, tenant_id: str, import_id: str) -> int:
        return self.session.exec(select(func.count()).select_from(StagedRowRow).where(
            StagedRowRow.import_id == import_id, StagedRowRow.tenant_id == tenant_id)).one()

    def forget(self, import_id: str) -> None:
        self.session.exec(delete(StagedRowRow).where(  # type: ignore[call-overload]
            StagedRowRow.import_id == import_id))

    def forget_staged_before(self, moment: datetime) -> None:
        """Rows of imports never committed (the portal stopped halfway) do not stay."""
        self.session.exec(delete(StagedRowRow).where(  # type: ignore[call-overload]
            StagedRowRow.staged_at < moment))

    def record_export(self, record: ExportRecord) -> None:
        self.session.add(ExportRow(
            id=record.id, tenant_id=record.tenant_id, exported_by=record.exported_by,
            exported_at=record.exported_at, what=record.what, rows=record.rows,
            filters_json=json.dumps(record.filters, ensure_ascii=False)))

    def exports(self, tenant_id: str, limit: int, offset: int) -> tuple[list[ExportRecord], int]:
        where = ExportRow.tenant_id == tenant_id
        total = self.session.exec(select(func.count()).select_from(ExportRow).where(where)).one()
        query = (select(ExportRow).where(where)
                 .order_by(ExportRow.exported_at.desc(), ExportRow.id)  # type: ignore[attr-defined]
                 .limit(limit).offset(offset))
        return [ExportRecord(id=row.id, tenant_id=row.tenant_id, exported_by=row.exported_by,
                             exported_at=row.exported_at, what=row.what, rows=row.rows,
                             filters=json.loads(row.filters_json))
                for row in self.session.exec(query)], total
