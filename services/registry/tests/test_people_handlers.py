"""The handlers of stations, people, contacts and tasks on fakes: what each changes and
announces, in milliseconds."""

from __future__ import annotations

from datetime import date

import pytest

from guiyan_contracts.models import Role, User
from guiyan_contracts.people import (
    ContactFields,
    CreateTask,
    GetPeople,
    PersonRegistered,
    PersonUpdated,
    RecordContact,
    RegisterPerson,
    RegisterStation,
    TaskAssigned,
    TaskFields,
    TaskStatus,
    UpdateTask,
)
from guiyan_contracts.refusals import Conflict, Invalid
from guiyan_registry.service_layer import contacts, people, stations, tasks

from .fakes import FakeUnitOfWork
from .people_records import person_fields
from .test_store import STATION

USERS = {user.id: user for user in (
    User(id="staff-1", tenant_id="heze", name="赵专员", role=Role.staff),
    User(id="staff-2", tenant_id="heze", name="钱专员", role=Role.staff))}


def city() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(USERS)
    stations.register_station(RegisterStation(tenant_id="heze", station_id="hangzhou",
                                              station=STATION), uow)  # type: ignore[arg-type]
    people.register_person(RegisterPerson(tenant_id="heze", person_id="zhang",
                                          registered_by="staff-1", person=person_fields()),
                           uow)  # type: ignore[arg-type]
    return uow


def contact_on(uow: FakeUnitOfWork, day: str, **fields) -> None:
    contacts.record_contact(RecordContact(
        tenant_id="heze", person_id="zhang", recorded_by="staff-1",
        contact=ContactFields(method="greeting", on=day, **fields)), uow)  # type: ignore[arg-type]


def task(uow: FakeUnitOfWork, assignee: str = "staff-1", status: str = "open", create=False):
    fields = TaskFields(person_id="zhang", assignee_id=assignee, due_on=date(2025, 8, 1))
    if create:
        return tasks.create_task(CreateTask(tenant_id="heze", task_id="t1", created_by="staff-1",
                                            task=fields), uow)  # type: ignore[arg-type]
    return tasks.update_task(UpdateTask(tenant_id="heze", task_id="t1", updated_by="staff-2",
                                        task=fields, status=status), uow)  # type: ignore[arg-type]


def test_a_registration_announces_the_persons_facts_only() -> None:
    uow = city()
    [event] = uow.events
    assert isinstance(event, PersonRegistered) and event.person.station_id == "hangzhou"
    assert "陈晓燕" not in event.model_dump_json()


def test_a_later_contact_moves_the_last_contact_and_an_earlier_one_does_not() -> None:
    uow = city()
    contact_on(uow, "2025-09-01")
    contact_on(uow, "2025-01-01")
    assert uow.people.get("heze", "zhang").last_contact_on == date(2025, 9, 1)
    assert [e.person.last_contact_on for e in uow.events if isinstance(e, PersonUpdated)] == [
        date(2025, 9, 1), date(2025, 9, 1)]


def test_a_contact_does_its_task_and_a_reassigned_task_is_assigned_again() -> None:
    uow = city()
    task(uow, create=True)
    task(uow, assignee="staff-2")
    assert [(e.assignee_id, e.assigned_by) for e in uow.events if isinstance(e, TaskAssigned)] == [
        ("staff-1", "staff-1"), ("staff-2", "staff-2")]
    contact_on(uow, "2025-07-01", task_id="t1")
    done = uow.follow_ups.task("heze", "t1")
    assert done.status is TaskStatus.done and done.done_at and done.contact_id
    reopened = task(uow, assignee="staff-2", status="open")
    assert (reopened.status, reopened.done_at) == (TaskStatus.open, None)


def test_a_task_for_someone_not_on_the_staff_is_refused_and_announces_nothing() -> None:
    uow = city()
    with pytest.raises(Invalid):
        task(uow, assignee="stranger", create=True)
    assert not any(isinstance(e, TaskAssigned) for e in uow.events)


def test_a_second_station_of_one_name_in_the_city_is_a_conflict() -> None:
    uow = city()
    with pytest.raises(Conflict):
        stations.register_station(RegisterStation(tenant_id="heze", station_id="other",
                                                  station=STATION), uow)  # type: ignore[arg-type]


def test_a_read_by_ids_is_logged_with_the_rows_found() -> None:
    uow = city()
    found = people.get_people(GetPeople(tenant_id="heze", person_ids=["zhang", "gone"],
                                        read_by="staff-1"), uow)  # type: ignore[arg-type]
    assert found.total == 1
    [read] = uow.people.reads
    assert (read.what, read.rows, read.filters) == ("people.get", 1, {"person_ids": "zhang,gone"})


def test_a_contact_sent_again_answers_the_same_and_its_id_is_one_persons() -> None:
    uow = city()
    people.register_person(RegisterPerson(tenant_id="heze", person_id="li", registered_by="s",
                                          person=person_fields(name="李强")),
                           uow)  # type: ignore[arg-type]
    command = RecordContact(tenant_id="heze", contact_id="c1", person_id="zhang",
                            recorded_by="staff-1",
                            contact=ContactFields(method="visit", on="2025-06-01"))
    first = contacts.record_contact(command, uow)  # type: ignore[arg-type]
    assert contacts.record_contact(command, uow) == first  # type: ignore[arg-type]
    assert sum(isinstance(e, PersonUpdated) for e in uow.events) == 1
    with pytest.raises(Conflict):
        contacts.record_contact(command.model_copy(update={"person_id": "li"}),
                                uow)  # type: ignore[arg-type]
