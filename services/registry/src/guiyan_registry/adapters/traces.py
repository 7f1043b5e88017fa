"""Where else a person leaves a trace in registry's database, beside their own rows: events
waiting in (or already sent from) the outbox, the stored answers of idempotent requests, a
ledger's rows staged for import, and the filters of the reads and exports logged. Erasure
(`service_layer/erasure.py`) clears each."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, or_
from sqlmodel import Session, SQLModel, col, select

from guiyan_contracts.people import PersonRegistered, PersonUpdated, TaskAssigned
from guiyan_eventing.idempotency import IdempotentReply
from guiyan_eventing.outbox import OutboxMessage

from ..domain.erasure import PersonTrace, scrubbed
from .orm import ExportRow, PersonalDataReadRow, StagedRowRow


def _naming_person(payload: dict[str, Any], person_id: str) -> bool:
    return person_id in (payload.get("person_id"), (payload.get("person") or {}).get("id"))


class TraceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def forget_events(self, person_id: str) -> None:
        """Every event of the outbox that names the person, sent or not: its subscribers hear of
        the erasure after it, and drop what they made of it."""
        rows = self.session.exec(select(OutboxMessage).where(
            col(OutboxMessage.subject).in_([PersonRegistered.SUBJECT, PersonUpdated.SUBJECT,
                                            TaskAssigned.SUBJECT]),
            col(OutboxMessage.payload).contains(json.dumps(person_id))))
        doomed = [row.position for row in rows if _naming_person(json.loads(row.payload),
                                                                   person_id)]
        if doomed:
            self.session.exec(delete(OutboxMessage).where(  # type: ignore[call-overload]
                col(OutboxMessage.position).in_(doomed)))

    def forget_replies(self, tenant_id: str, trace: PersonTrace) -> None:
        """Answers kept for retried requests (a registration's answer is the whole record) go:
        such a request sent again is answered anew, and finds no one."""
        self._delete_mentioning(IdempotentReply, IdempotentReply.tenant_id == tenant_id,
                                col(IdempotentReply.reply_json), trace)

    def forget_staged_rows(self, tenant_id: str, trace: PersonTrace) -> None:
        """Rows of an archive ledger staged and not yet committed: that import reports the row
        as missing, rather than bring the person back."""
        self._delete_mentioning(StagedRowRow, StagedRowRow.tenant_id == tenant_id,
                                col(StagedRowRow.fields_json), trace)

    def scrub_logged_filters(self, tenant_id: str, trace: PersonTrace) -> None:
        """A logged read or export keeps who read how many, but not the person's id or name
        among the filters it was asked with."""
        for table in (PersonalDataReadRow, ExportRow):
            rows = self.session.exec(select(table).where(
                table.tenant_id == tenant_id,  # type: ignore[attr-defined]
                or_(*(col(table.filters_json).contains(word)  # type: ignore[attr-defined]
                      for word in trace.words()))))
            for row in rows:
                row.filters_json = json.dumps(scrubbed(json.loads(row.filters_json), trace),
                                              ensure_ascii=False)

    def _delete_mentioning(self, table: type[SQLModel], of_city: Any, text: Any,
                           trace: PersonTrace) -> None:
        words = [json.dumps(trace.person_id), *trace.texts()]
        self.session.exec(delete(table).where(  # type: ignore[call-overload]
            of_city, or_(*(text.contains(word) for word in words))))
