"""The parks' leads as last computed, and the forgetting of a person in what matching published
about them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from guiyan_contracts.matching import GetParkLeads, LeadsComputed, ParkLeads
from guiyan_eventing.idempotency import IdempotentReply
from guiyan_eventing.outbox import OutboxMessage

from ..domain.leads import GapLink, LinkKey
from .orm import ParkLeadsRecord


@dataclass(frozen=True)
class StoredLeads:
    leads: ParkLeads
    fingerprint: str  # of what was last published


def _gap_key(key: LinkKey) -> str:
    return "|" + "/".join(key) + "|"


class LeadsStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def published_fingerprint(self, park_id: str) -> str | None:
        """Without reading the leads themselves."""
        return self.session.exec(select(ParkLeadsRecord.fingerprint)
                                 .where(ParkLeadsRecord.park_id == park_id)).first()

    def stored(self, park_id: str) -> StoredLeads | None:
        row = self.session.get(ParkLeadsRecord, park_id)
        return StoredLeads(ParkLeads.model_validate_json(row.leads_json), row.fingerprint) \
            if row else None

    def save(self, tenant_id: str, leads: ParkLeads, gaps: list[GapLink], fingerprint: str
             ) -> None:
        row = self.session.get(ParkLeadsRecord, leads.park_id)
        if row is None:
            row = ParkLeadsRecord(park_id=leads.park_id, tenant_id=tenant_id, fingerprint="",
                                  computed_at=leads.computed_at, gap_links="", leads_json="")
            self.session.add(row)
        row.fingerprint, row.computed_at = fingerprint, leads.computed_at
        row.gap_links = "".join(_gap_key(gap.key) for gap in gaps)
        row.leads_json = leads.model_dump_json()

    def parks_lacking(self, tenant_id: str, links: set[LinkKey]) -> list[str]:
        """The city's parks, of those computed, whose missing or extending links include any of
        `links`."""
        found: set[str] = set()
        for key in links:
            found.update(self.session.exec(
                select(ParkLeadsRecord.park_id).where(ParkLeadsRecord.tenant_id == tenant_id)
                .where(col(ParkLeadsRecord.gap_links).contains(_gap_key(key), autoescape=True))))
        return sorted(found)

    def parks_naming(self, tenant_id: str, person_id: str) -> list[str]:
        """The city's parks whose stored leads name the person."""
        return sorted(self.session.exec(
            select(ParkLeadsRecord.park_id).where(ParkLeadsRecord.tenant_id == tenant_id)
            .where(col(ParkLeadsRecord.leads_json).contains(f'"{person_id}"', autoescape=True))))

    def forget_announcements_naming(self, person_id: str) -> None:
        """Drop the outbox rows of `LeadsComputed` events, published or not, and the stored
        answers to leads queries, that name the person: newer leads without them have been
        announced in the same transaction, so nothing that is still current is lost."""
        self.session.flush()
        self.session.exec(delete(OutboxMessage)  # type: ignore[call-overload]
                          .where(col(OutboxMessage.subject) == LeadsComputed.SUBJECT)
                          .where(col(OutboxMessage.payload).contains(f'"{person_id}"',
                                                                     autoescape=True)))
        self.session.exec(delete(IdempotentReply)  # type: ignore[call-overload]
                          .where(col(IdempotentReply.subject) == GetParkLeads.SUBJECT)
                          .where(col(IdempotentReply.reply_json).contains(f'"{person_id}"',
                                                                          autoescape=True)))
