"""matching's read model of the city's people: their `PersonFacts` as registry's events carry
them, and a digest for each person erased."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from guiyan_contracts.people import PersonFacts, erasure_digest

from ..domain.leads import LinkKey
from .orm import ErasedPerson, PersonRecord


class PeopleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def person(self, person_id: str) -> tuple[str, PersonFacts] | None:
        """The person's city and facts, if recorded."""
        row = self.session.get(PersonRecord, person_id)
        return (row.tenant_id, PersonFacts.model_validate_json(row.facts_json)) if row else None

    def save(self, tenant_id: str, person: PersonFacts) -> None:
        row = self.session.get(PersonRecord, person.id)
        if row is None:
            row = PersonRecord(id=person.id, tenant_id=tenant_id, facts_json="")
            self.session.add(row)
        row.sector, row.chain, row.link = person.sector, person.chain, person.link
        row.facts_json = person.model_dump_json()

    def on_links(self, tenant_id: str, links: Iterable[LinkKey]) -> list[PersonFacts]:
        """The city's people working in any of `links`."""
        wanted = set(links)
        if not wanted:
            return []
        rows = self.session.exec(
            select(PersonRecord).where(PersonRecord.tenant_id == tenant_id)
            .where(col(PersonRecord.chain).in_({chain for _, chain, _ in wanted}))
            .where(col(PersonRecord.link).in_({link for _, _, link in wanted})))
        return [PersonFacts.model_validate_json(row.facts_json) for row in rows
                if (row.sector, row.chain, row.link) in wanted]

    def erase(self, tenant_id: str, person_id: str, at: datetime) -> None:
        """The person's row goes; only the digest that they were erased stays."""
        if (row := self.session.get(PersonRecord, person_id)) is not None:
            self.session.delete(row)
        digest = erasure_digest(tenant_id, person_id)
        if self.session.get(ErasedPerson, digest) is None:
            self.session.add(ErasedPerson(digest=digest, erased_at=at))

    def erased(self, tenant_id: str, person_id: str) -> bool:
        return self.session.get(ErasedPerson, erasure_digest(tenant_id, person_id)) is not None
