"""A city's people, as contract models, and the log of who read them. Every filter of a list
is a query's `WHERE`: a city's archive of thousands is never read whole to answer a page."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, func, or_
from sqlmodel import Session, select

from guiyan_contracts.people import (
    ListPeople,
    PeopleSort,
    Person,
    PersonalDataRead,
    PersonFields,
)

from .orm import PersonalDataReadRow, PersonRow


def _person(row: PersonRow) -> Person:
    return Person(id=row.id, tenant_id=row.tenant_id, created_at=row.created_at,
                  updated_at=row.updated_at, last_contact_on=row.last_contact_on,
                  project_ids=json.loads(row.project_ids_json),
                  **PersonFields.model_validate_json(row.fields_json).model_dump())


def _columns(person: Person) -> dict[str, Any]:
    fields = PersonFields.model_validate(person.model_dump(include=set(PersonFields.model_fields)))
    return {"name": person.name, "enterprise": person.enterprise,
            "current_city": person.current_city, "current_province": person.current_province,
            "hometown_county": person.hometown_county, "sector": person.sector,
            "chain": person.chain, "link": person.link, "station_id": person.station_id,
            "status": person.status.value, "contact_consent": person.contact_consent,
            "archive_ref": person.archive_ref, "last_contact_on": person.last_contact_on,
            "updated_at": person.updated_at, "project_ids_json": json.dumps(person.project_ids),
            "fields_json": fields.model_dump_json()}


def _row(person: Person) -> PersonRow:
    return PersonRow(id=person.id, tenant_id=person.tenant_id, created_at=person.created_at,
                     **_columns(person))


def _where(query: ListPeople) -> list[Any]:
    where: list[Any] = [PersonRow.tenant_id == query.tenant_id]
    if query.q:
        where.append(or_(*(column.icontains(query.q, autoescape=True)  # type: ignore[union-attr]
                           for column in (PersonRow.name, PersonRow.enterprise,
                                          PersonRow.current_city))))
    exactly = {PersonRow.current_province: query.province, PersonRow.current_city: query.city,
               PersonRow.hometown_county: query.hometown_county, PersonRow.sector: query.sector,
               PersonRow.chain: query.chain, PersonRow.link: query.link,
               PersonRow.station_id: query.station_id,
               PersonRow.status: query.status.value if query.status else None,
               PersonRow.contact_consent: query.contact_consent}
    where += [column == value for column, value in exactly.items() if value is not None]
    if query.not_contacted_since:
        where.append(or_(PersonRow.last_contact_on == None,  # noqa: E711
                         PersonRow.last_contact_on < query.not_contacted_since))  # type: ignore[operator]
    return where


ORDER = {
    PeopleSort.name: (PersonRow.name, PersonRow.id),
    PeopleSort.newest: (PersonRow.created_at.desc(), PersonRow.id),  # type: ignore[attr-defined]
    # Never contacted first: they are the longest without a word.
    PeopleSort.least_recently_contacted: (
        PersonRow.last_contact_on.asc().nulls_first(), PersonRow.name, PersonRow.id),  # type: ignore[union-attr]
}


class PeopleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, person: Person) -> None:
        self.session.add(_row(person))

    def add_all(self, people: list[Person]) -> None:
        self.session.add_all([_row(person) for person in people])

    def replace(self, person: Person) -> None:
        row = self.session.get(PersonRow, person.id)
        assert row is not None and row.tenant_id == person.tenant_id
        for column, value in _columns(person).items():
            setattr(row, column, value)

    def get(self, tenant_id: str, person_id: str) -> Person | None:
        row = self.session.get(PersonRow, person_id)
        return _person(row) if row and row.tenant_id == tenant_id else None

    def taken(self, person_id: str) -> bool:
        return self.session.get(PersonRow, person_id) is not None

    def many(self, tenant_id: str, person_ids: list[str]) -> list[Person]:
        """The city's people of these ids, in their order; ids not found are left out."""
        rows = self.session.exec(select(PersonRow).where(
            PersonRow.tenant_id == tenant_id,
            PersonRow.id.in_(person_ids)))  # type: ignore[attr-defined]
        found = {row.id: _person(row) for row in rows}
        return [found[person_id] for person_id in dict.fromkeys(person_ids) if person_id in found]

    def city_people(self, tenant_id: str) -> list[Person]:
        """Every person of the city: what an archive ledger is matched against."""
        rows = self.session.exec(select(PersonRow).where(PersonRow.tenant_id == tenant_id))
        return [_person(row) for row in rows]

    def page(self, query: ListPeople) -> tuple[list[Person], int]:
        where = _where(query)
        total = self.session.exec(select(func.count()).select_from(PersonRow).where(*where)).one()
        rows = self.session.exec(select(PersonRow).where(*where).order_by(*ORDER[query.sort])
                                 .limit(query.limit).offset(query.offset))
        return [_person(row) for row in rows], total

    def delete(self, person_id: str) -> None:
        self.session.exec(delete(PersonRow).where(  # type: ignore[call-overload]
            PersonRow.id == person_id))

    def log_read(self, read: PersonalDataRead) -> None:
        self.session.add(PersonalDataReadRow(
            id=read.id, tenant_id=read.tenant_id, read_by=read.read_by, read_at=read.read_at,
            what=read.what, rows=read.rows,
            filters_json=json.dumps(read.filters, ensure_ascii=False)))

    def reads(self, tenant_id: str, limit: int, offset: int) -> tuple[list[PersonalDataRead], int]:
        where = PersonalDataReadRow.tenant_id == tenant_id
        total = self.session.exec(
            select(func.count()).select_from(PersonalDataReadRow).where(where)).one()
        rows = self.session.exec(
            select(PersonalDataReadRow).where(where)
            .order_by(PersonalDataReadRow.read_at.desc(),  # type: ignore[attr-defined]
                      PersonalDataReadRow.id).limit(limit).offset(offset))
        return [PersonalDataRead(id=row.id, tenant_id=row.tenant_id, read_by=row.read_by,
                                 read_at=row.read_at, what=row.what, rows=row.rows,
                                 filters=json.loads(row.filters_json)) for row in rows], total
