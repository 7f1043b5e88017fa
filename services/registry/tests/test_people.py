"""People, their contacts and follow-up tasks on a real database: every filter is the
database's, every read is logged, and events carry a person's facts but never their name."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from guiyan_contracts.models import UserFields
from guiyan_contracts.people import (
    ContactFields,
    CreateTask,
    GetPeople,
    GetPerson,
    ListContacts,
    ListPeople,
    ListPersonalDataReads,
    ListTasks,
    RecordContact,
    TaskFields,
    TaskStatus,
    UpdatePerson,
    UpdateTask,
)
from guiyan_contracts.refusals import Conflict, Invalid, NotFound
from guiyan_contracts.registry import RegisterUser
from guiyan_eventing.outbox import OutboxMessage
from guiyan_registry.service_layer import contacts, people, tasks, users

from .people_records import person_fields, register, seed_city
from .test_stations import register_station
from .test_store import outbox_subjects, send

REGISTERED = "guiyan.registry.person.registered.v1"
UPDATED = "guiyan.registry.person.updated.v1"
ASSIGNED = "guiyan.registry.task.assigned.v1"


def events(uow, subject: str) -> list[dict]:
    with uow() as unit:
        return [json.loads(m.payload) for m in unit.session.exec(
            select(OutboxMessage).where(OutboxMessage.subject == subject))]


def listed(uow, **filters) -> tuple[list[str], int]:
    with uow() as unit:
        page = people.list_people(ListPeople(tenant_id="heze", read_by="staff-1", **filters), unit)
        unit.commit()
    return [p.id for p in page.people], page.total


def contact(uow, person_id: str, on: str, **fields):
    return send(uow, contacts.record_contact, RecordContact(
        tenant_id="heze", person_id=person_id, recorded_by="staff-1",
        contact=ContactFields(method="call", on=on, **fields)))


def test_a_registered_person_is_announced_by_facts_that_never_name_them(uow) -> None:
    seed_city(uow)
    person = register(uow, "zhang")
    assert register(uow, "zhang") == person  # sent again: the same answer, no second event
    with pytest.raises(Conflict):
        register(uow, "zhang", enterprise="别家")
    [event] = events(uow, REGISTERED)
    assert event["person"]["id"] == "zhang" and event["person"]["link"] == "design_pattern"
    with uow() as unit:
        payload = unit.session.exec(select(OutboxMessage.payload).where(
            OutboxMessage.subject == REGISTERED)).one()
    for personal in ("陈晓燕", "13800000001", "尧舜"):
        assert personal not in payload


def test_a_person_of_an_unknown_county_station_or_link_is_refused_field_by_field(uow) -> None:
    seed_city(uow)
    with pytest.raises(Invalid) as raised:
        register(uow, "x", hometown_county="atlantis", station_id="lhasa", link="spaceships")
    assert [e.loc for e in raised.value.errors] == [
        ["person", "hometown_county"], ["person", "link"], ["person", "station_id"]]
    assert outbox_subjects(uow).count(REGISTERED) == 0


def test_people_are_found_by_every_filter_sorted_and_paged(uow) -> None:
    seed_city(uow)
    register_station(uow, "lhasa", name="拉萨站", host_city="拉萨", host_province="tibet")
    register(uow, "zhang")
    register(uow, "li", name="李强", current_city="绍兴", enterprise="绍兴绣花厂",
             chain=None, link=None, status="founder", station_id="lhasa")
    register(uow, "wang", name="王芳", hometown_county="dingtao", current_province="jiangsu",
             current_city="苏州", sector="biomedicine", chain="pharma", link="tcm",
             enterprise=None, contact_consent=False, consent_on=None, consent_source=None)
    contact(uow, "zhang", "2025-01-10")
    contact(uow, "li", "2025-09-01")
    assert listed(uow)[1] == 3
    assert listed(uow, q="绣花") == (["li"], 1)  # the enterprise
    assert listed(uow, q="苏州") == (["wang"], 1)  # the current city
    assert listed(uow, q="晓燕") == (["zhang"], 1)  # the name
    assert listed(uow, province="jiangsu") == (["wang"], 1)
    assert listed(uow, city="绍兴") == (["li"], 1)
    assert listed(uow, hometown_county="dingtao") == (["wang"], 1)
    assert sorted(listed(uow, sector="textiles_apparel")[0]) == ["li", "zhang"]
    assert listed(uow, chain="hanfu", link="design_pattern") == (["zhang"], 1)
    assert listed(uow, station_id="lhasa") == (["li"], 1)
    assert listed(uow, status="founder") == (["li"], 1)
    assert listed(uow, contact_consent=False) == (["wang"], 1)
    assert sorted(listed(uow, not_contacted_since=date(2025, 6, 1))[0]) == ["wang", "zhang"]
    assert listed(uow, sort="least_recently_contacted")[0] == ["wang", "zhang", "li"]
    assert listed(uow, sort="newest")[0] == ["wang", "li", "zhang"]
    page = listed(uow, sort="least_recently_contacted", limit=1, offset=1)
    assert page == (["zhang"], 3)


def test_every_read_of_people_is_logged_newest_first_with_its_filters(uow) -> None:
    seed_city(uow)
    register(uow, "zhang")
    register(uow, "li", name="李强")
    listed(uow, q="李", contact_consent=True, purpose="people.export")
    with uow() as unit:
        people.get_person(GetPerson(tenant_id="heze", person_id="zhang", read_by="leader-1"), unit)
        many = people.get_people(GetPeople(tenant_id="heze", person_ids=["li", "gone", "zhang"],
                                           read_by="staff-1", purpose="leads"), unit)
        unit.commit()
    assert [p.id for p in many.people] == ["li", "zhang"]
    with uow() as unit:
        log = people.list_personal_data_reads(ListPersonalDataReads(tenant_id="heze"), unit)
        assert people.list_personal_data_reads(
            ListPersonalDataReads(tenant_id="other"), unit).total == 0
    assert log.total == 3
    assert [(r.what, r.read_by, r.rows, r.filters) for r in log.reads] == [
        ("leads", "staff-1", 2, {"person_ids": "li,gone,zhang"}),
        ("people.get", "leader-1", 1, {"person_id": "zhang"}),
        ("people.export", "staff-1", 1, {"q": "李", "contact_consent": "true"})]


def test_an_update_replaces_the_record_and_withdrawn_consent_ends_its_use(uow) -> None:
    seed_city(uow)
    register(uow, "zhang")
    contact(uow, "zhang", "2025-05-05")
    send(uow, tasks.create_task, CreateTask(
        tenant_id="heze", task_id="t1", created_by="staff-1",
        task=TaskFields(person_id="zhang", assignee_id="staff-1", due_on="2025-07-01")))
    withdrawn = person_fields(contact_consent=False, phone=None)
    person = send(uow, people.update_person, UpdatePerson(
        tenant_id="heze", person_id="zhang", updated_by="staff-1", person=withdrawn))
    assert (person.phone, person.last_contact_on) == (None, date(2025, 5, 5))
    assert events(uow, UPDATED)[-1]["person"]["contact_consent"] is False
    with uow() as unit:  # nobody is to contact them any more
        assert tasks.list_tasks(ListTasks(tenant_id="heze", status="cancelled"), unit).total == 1
    with pytest.raises(NotFound):
        send(uow, people.update_person, UpdatePerson(
            tenant_id="heze", person_id="nobody", updated_by="staff-1", person=withdrawn))


def test_nobody_is_asked_to_contact_a_person_without_consent_nor_a_task_of_theirs_reopened(
        uow) -> None:
    seed_city(uow)
    register(uow, "zhang")
    send(uow, tasks.create_task, CreateTask(
        tenant_id="heze", task_id="t1", created_by="staff-1",
        task=TaskFields(person_id="zhang", assignee_id="staff-1", due_on="2025-07-01")))
    send(uow, people.update_person, UpdatePerson(
        tenant_id="heze", person_id="zhang", updated_by="staff-1",
        person=person_fields(contact_consent=False)))
    task = TaskFields(person_id="zhang", assignee_id="staff-1", due_on="2025-08-01")
    with pytest.raises(Invalid) as asked:
        send(uow, tasks.create_task, CreateTask(tenant_id="heze", created_by="staff-1",
                                                task=task))
    with pytest.raises(Invalid) as reopened:
        send(uow, tasks.update_task, UpdateTask(tenant_id="heze", task_id="t1",
                                                updated_by="staff-1", task=task))
    assert [e.type for e in asked.value.errors + reopened.value.errors] == ["no_consent"] * 2
    with pytest.raises(Invalid):  # nor done by a contact: it stays cancelled
        contact(uow, "zhang", "2025-06-01", task_id="t1")
    closed = send(uow, tasks.update_task, UpdateTask(  # closing one asks nothing of them
        tenant_id="heze", task_id="t1", updated_by="staff-1", task=task, status="done"))
    assert closed.status is TaskStatus.done
    with pytest.raises(Invalid) as ahead:
        contact(uow, "zhang", "2999-01-01")
    assert [e.type for e in ahead.value.errors] == ["day_ahead"]


def test_a_contact_moves_the_last_contact_forward_only_and_does_its_task(uow) -> None:
    seed_city(uow)
    register(uow, "zhang")
    register(uow, "li", name="李强")
    task = send(uow, tasks.create_task, CreateTask(
        tenant_id="heze", task_id="t1", created_by="staff-1",
        task=TaskFields(person_id="zhang", assignee_id="staff-1", due_on="2025-07-01")))
    assert task.status is TaskStatus.open
    with pytest.raises(Invalid):  # a task of someone else
        contact(uow, "li", "2025-06-01", task_id="t1")
    done_by = contact(uow, "zhang", "2025-06-01", task_id="t1", notes="谈了回乡办厂")
    contact(uow, "zhang", "2025-02-01")  # an older visit, recorded late
    with pytest.raises(NotFound):
        contact(uow, "nobody", "2025-06-01")
    with uow() as unit:
        person = people.get_person(GetPerson(tenant_id="heze", person_id="zhang",
                                             read_by="staff-1"), unit)
        closed = tasks.list_tasks(ListTasks(tenant_id="heze", person_id="zhang"), unit).tasks[0]
        history = contacts.list_contacts(ListContacts(tenant_id="heze", person_id="zhang"), unit)
    assert person.last_contact_on == date(2025, 6, 1)
    assert (closed.status, closed.contact_id) == (TaskStatus.done, done_by.id)
    assert closed.done_at is not None
    assert [c.on for c in history.contacts] == [date(2025, 6, 1), date(2025, 2, 1)]
    assert events(uow, UPDATED)[-1]["person"]["last_contact_on"] == "2025-06-01"


def test_a_task_goes_to_staff_is_assigned_again_when_reassigned_and_lists_overdue(uow) -> None:
    seed_city(uow)
    send(uow, users.register_user, RegisterUser(
        tenant_id="heze", user_id="staff-2", user=UserFields(name="钱专员", role="staff")))
    register(uow, "zhang")
    fields = TaskFields(person_id="zhang", assignee_id="staff-1", due_on="2025-07-01")
    with pytest.raises(Invalid) as raised:
        send(uow, tasks.create_task, CreateTask(
            tenant_id="heze", created_by="staff-1",
            task=fields.model_copy(update={"assignee_id": "leader-1", "person_id": "nobody"})))
    assert {e.type for e in raised.value.errors} == {"not_staff", "unknown_person"}
    send(uow, tasks.create_task, CreateTask(tenant_id="heze", task_id="late",
                                            created_by="staff-1", task=fields))
    send(uow, tasks.create_task, CreateTask(
        tenant_id="heze", task_id="later", created_by="staff-1",
        task=fields.model_copy(update={"due_on": date(2025, 9, 1)})))
    moved = send(uow, tasks.update_task, UpdateTask(
        tenant_id="heze", task_id="late", updated_by="admin",
        task=fields.model_copy(update={"assignee_id": "staff-2"})))
    assert moved.assignee_id == "staff-2"
    assert [e["assignee_id"] for e in events(uow, ASSIGNED)] == ["staff-1", "staff-1", "staff-2"]
    assert events(uow, ASSIGNED)[-1]["assigned_by"] == "admin"
    with uow() as unit:
        def ids(**filters) -> list[str]:
            return [t.id for t in tasks.list_tasks(ListTasks(tenant_id="heze", **filters),
                                                   unit).tasks]
        assert ids() == ["late", "later"]  # soonest due first
        assert ids(assignee_id="staff-1") == ["later"]
        assert ids(overdue_on=date(2025, 8, 1)) == ["late"]
        assert ids(overdue_on=date(2025, 6, 1)) == []
    cancelled = send(uow, tasks.update_task, UpdateTask(
        tenant_id="heze", task_id="late", updated_by="staff-2", status="cancelled",
        task=fields.model_copy(update={"assignee_id": "staff-2"})))
    assert cancelled.done_at is not None and cancelled.status is TaskStatus.cancelled
    with uow() as unit:
        assert tasks.list_tasks(ListTasks(tenant_id="heze", overdue_on=date(2025, 8, 1)),
                                unit).total == 0
        assert tasks.list_tasks(ListTasks(tenant_id="heze", status="cancelled"), unit).total == 1
