"""An erased person leaves nothing in registry's database: every table of it is read back
whole (SQLite, and PostgreSQL when TEST_DATABASE_URL is set) and searched for their id, name
and phone."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import MetaData, select, update

from guiyan_contracts.people import (
    ContactFields,
    CreateTask,
    ErasePerson,
    GetPeople,
    ListPeople,
    ListPersonalDataReads,
    RecordContact,
    RegisterPerson,
    TaskFields,
)
from guiyan_contracts.refusals import NotFound
from guiyan_contracts.registry import RecordExport, StagedRow, StageImport, SubmitProject
from guiyan_eventing.outbox import OutboxMessage
from guiyan_registry.service_layer import contacts, erasure, handlers, ledgers, people, tasks

from .people_records import person_fields, register, seed_city
from .test_store import PROJECT, send

ERASED = "p-erase-7f3a"  # an id found nowhere else by chance
NAME, PHONE = "欧阳春晓", "139 1234 5678"
ERASED_SUBJECT = "guiyan.registry.person.erased.v1"


def every_row(uow) -> list[tuple[str, str]]:
    """(table, row as text) of every table the database has, not only those registry maps."""
    with uow() as unit:
        connection = unit.session.connection()
        tables = MetaData()
        tables.reflect(connection)
        return [(table.name, json.dumps([str(v) for v in row], ensure_ascii=False))
                for table in tables.sorted_tables for row in connection.execute(select(table))]


def leave_traces(uow) -> None:
    """The person registered with a key (its stored answer holds them whole), contacted, given
    a task, searched for by name, read among others, exported, in a ledger being staged, and
    the source of a project; every event about them already sent."""
    seed_city(uow)
    fields = person_fields(name=NAME, phone=PHONE)
    send(uow, people.register_person, RegisterPerson(
        tenant_id="heze", person_id=ERASED, registered_by="staff-1", person=fields,
        idempotency_key="register-1"))
    register(uow, "stays", name="留下的人")
    contact = send(uow, contacts.record_contact, RecordContact(
        tenant_id="heze", person_id=ERASED, recorded_by="staff-1", idempotency_key="contact-1",
        contact=ContactFields(method="visit", on="2025-06-01", notes=f"{NAME}想回乡")))
    send(uow, tasks.create_task, CreateTask(
        tenant_id="heze", created_by="staff-1",
        task=TaskFields(person_id=ERASED, assignee_id="staff-1", due_on="2025-07-01")))
    send(uow, handlers.submit_project, SubmitProject(
        tenant_id="heze", submitted_by="staff-1", project=PROJECT, contact_id=contact.id))
    send(uow, people.list_people, ListPeople(tenant_id="heze", read_by="staff-1", q=NAME))
    send(uow, people.get_people, GetPeople(tenant_id="heze", read_by="staff-1",
                                           person_ids=[ERASED, "stays"]))
    send(uow, ledgers.record_export, RecordExport(tenant_id="heze", exported_by="staff-1",
                                                  what="people", rows=1, filters={"q": NAME}))
    send(uow, ledgers.stage_import, StageImport(tenant_id="heze", import_id="archive-1", rows=[
        StagedRow(row=2, fields=fields.model_dump(mode="json"))]))
    with uow() as unit:  # as the relay marks what it sent
        unit.session.exec(update(OutboxMessage).values(published_at=OutboxMessage.created_at))
        unit.commit()


def test_an_erased_person_is_nowhere_in_registrys_database_but_the_erasure_event(uow) -> None:
    leave_traces(uow)
    before = every_row(uow)
    assert any(NAME in row for _, row in before) and any(ERASED in row for _, row in before)
    command = ErasePerson(tenant_id="heze", person_id=ERASED, erased_by="admin",
                          idempotency_key="erase-1")
    first = erasure.answer_erasure(command, uow)
    assert erasure.answer_erasure(command, uow) == first  # a retry answers as the first
    with pytest.raises(NotFound):  # without the key, there is no one to erase
        erasure.answer_erasure(command.model_copy(update={"idempotency_key": None}), uow)
    after = every_row(uow)
    for personal in (NAME, PHONE, json.dumps(NAME)[1:-1]):
        assert [table for table, row in after if personal in row] == []
    naming = [(table, row) for table, row in after if ERASED in row]
    assert [table for table, _ in naming] == ["outbox"]
    assert ERASED_SUBJECT in naming[0][1]
    assert any("留下的人" in row for _, row in after)  # the others stay
    with uow() as unit:
        log = people.list_personal_data_reads(ListPersonalDataReads(tenant_id="heze"), unit)
    assert [r.filters for r in log.reads] == [{"person_ids": "stays"}, {"q": "(erased)"}]

