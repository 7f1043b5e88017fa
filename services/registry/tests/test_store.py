"""registry's handlers on a real database: writes and their events commit together."""

from __future__ import annotations

from datetime import date
from typing import get_type_hints

import pytest
from sqlmodel import select

from guiyan_contracts.models import ParkFields, ProjectFields, UserFields
from guiyan_contracts.people import RegisterStation, StationFields
from guiyan_contracts.refusals import Conflict, Invalid, UnreadableRecord
from guiyan_contracts.registry import (
    GetPark,
    GetUser,
    ListParks,
    ListProjects,
    RegisterPark,
    RegisterUser,
    SubmitProject,
    UpdatePark,
    UpdateProject,
    WithdrawProject,
)
from guiyan_eventing.outbox import OutboxMessage
from guiyan_eventing.request_transaction import answer_in_transaction
from guiyan_registry.adapters.orm import ParkRow
from guiyan_registry.adapters.repository import UNREADABLE
from guiyan_registry.service_layer import handlers, stations, users

PARK = ParkFields(name="曹县汉服产业返乡创业园", kind="return_home_park", county="caoxian",
                  sectors=["textiles_apparel"], floor_m2=80_000, manager_ids=["mgr-hanfu"])
STATION = StationFields(name="杭州站", level="city", host_city="杭州", host_province="zhejiang",
                        head_name="李站长")
PROJECT = ProjectFields(name="尧舜汉服设计工作室", founder="张海燕", source="hangzhou",
                        hometown_county="caoxian", sector="textiles_apparel", chain="hanfu",
                        link="design_pattern", floor_m2=200, investment_yuan=1e6, jobs=8,
                        registered_on=date(2025, 9, 1))


def send(uow, handle, command):
    """`handle(command)` answered as the service answers it: committed when the handler answers,
    rolled back when it raises."""
    return answer_in_transaction(command, uow, handle, get_type_hints(handle)["return"])


def outbox_subjects(uow) -> list[str]:
    with uow() as unit:
        return [m.subject for m in unit.session.exec(select(OutboxMessage))]


def seed(uow) -> None:
    send(uow, users.register_user, RegisterUser(
        tenant_id="heze", user_id="mgr-hanfu", user=UserFields(name="园区负责人", role="park_manager")))
    send(uow, handlers.register_park, RegisterPark(tenant_id="heze", park_id="hanfu", park=PARK))
    send(uow, stations.register_station, RegisterStation(
        tenant_id="heze", station_id="hangzhou", station=STATION))


def test_a_submitted_project_and_its_event_commit_together(uow) -> None:
    seed(uow)
    project = send(uow, handlers.submit_project, SubmitProject(
        tenant_id="heze", project_id="p1", submitted_by="staff", project=PROJECT))
    assert project.id == "p1"
    assert outbox_subjects(uow) == ["guiyan.registry.user.registered.v1",
                                    "guiyan.registry.park.registered.v1",
                                    "guiyan.registry.project.submitted.v1"]
    with uow() as unit:
        page = handlers.list_projects(ListProjects(tenant_id="heze"), unit)
        manager = users.get_user(GetUser(tenant_id="heze", user_id="mgr-hanfu"), unit)
    assert page.total == 1 and page.projects[0].name == PROJECT.name
    assert manager.managed_park_ids == ["hanfu"]


def test_a_retried_command_answers_as_the_first_and_emits_nothing_more(uow) -> None:
    seed(uow)
    command = SubmitProject(tenant_id="heze", project_id="p1", submitted_by="staff", project=PROJECT)
    for _ in range(2):
        send(uow, handlers.submit_project, command)
    assert outbox_subjects(uow).count("guiyan.registry.project.submitted.v1") == 1
    changed = command.model_copy(update={"project": PROJECT.model_copy(update={"jobs": 9})})
    with pytest.raises(Conflict):
        send(uow, handlers.submit_project, changed)


def test_an_invalid_project_writes_nothing(uow) -> None:
    seed(uow)
    bad = PROJECT.model_copy(update={"link": "spaceships"})
    with pytest.raises(Invalid) as raised:
        send(uow, handlers.submit_project, SubmitProject(tenant_id="heze", submitted_by="s",
                                                         project=bad))
    assert [e.loc for e in raised.value.errors] == [["project", "link"]]
    with uow() as unit:
        assert handlers.list_projects(ListProjects(tenant_id="heze"), unit).total == 0
    assert "guiyan.registry.project.submitted.v1" not in outbox_subjects(uow)


def test_a_project_is_checked_against_the_parks_and_station_it_names(uow) -> None:
    seed(uow)
    named = PROJECT.model_copy(update={"preferred_park_ids": ["hanfu", "nowhere"],
                                       "source": "lhasa"})
    with pytest.raises(Invalid) as raised:
        send(uow, handlers.submit_project, SubmitProject(tenant_id="heze", submitted_by="s",
                                                         project=named))
    assert sorted(e.loc for e in raised.value.errors) == [
        ["project", "preferred_park_ids", 1], ["project", "source"]]
    with uow() as unit:
        assert unit.registry.park_ids("heze", among=["hanfu", "nowhere"]) == {"hanfu"}
        assert unit.registry.park_ids("other", among=["hanfu"]) == set()
        assert unit.registry.park_ids("heze", among=[]) == set()
        assert unit.registry.park_ids("heze") == {"hanfu"}
        assert unit.stations.ids("heze", among=["hangzhou", "lhasa"]) == {"hangzhou"}
        assert unit.stations.ids("other", among=["hangzhou"]) == set()
        assert unit.stations.ids("heze") == {"hangzhou"}


def test_cities_do_not_see_each_others_records(uow) -> None:
    seed(uow)
    with pytest.raises(Invalid):
        send(uow, handlers.register_park, RegisterPark(tenant_id="atlantis", park=PARK))
    with uow() as unit:
        assert handlers.list_projects(ListProjects(tenant_id="other"), unit).total == 0


def test_a_park_update_replaces_its_state_and_is_announced_each_time(uow) -> None:
    """Sent again, the same update changes nothing here but is announced again: matching
    takes the same state twice as once, and each update's announcement ends the limit matching
    set for it, even for an update that changed nothing."""
    seed(uow)
    smaller = PARK.model_copy(update={"floor_m2": 500})
    for _ in range(2):
        park = send(uow, handlers.update_park, UpdatePark(tenant_id="heze", park_id="hanfu",
                                                          updated_by="admin", park=smaller))
    assert park.floor_m2 == 500
    assert outbox_subjects(uow)[-1] == "guiyan.registry.park.updated.v1"
    assert outbox_subjects(uow).count("guiyan.registry.park.updated.v1") == 2
    with pytest.raises(Invalid):
        send(uow, handlers.update_park, UpdatePark(
            tenant_id="heze", park_id="hanfu", updated_by="admin",
            park=smaller.model_copy(update={"county": "atlantis"})))


def test_a_withdrawn_project_cannot_be_updated_and_withdrawing_twice_changes_nothing(uow) -> None:
    seed(uow)
    send(uow, handlers.submit_project, SubmitProject(tenant_id="heze", project_id="p1",
                                                     submitted_by="staff", project=PROJECT))
    updated = send(uow, handlers.update_project, UpdateProject(
        tenant_id="heze", project_id="p1", updated_by="staff",
        project=PROJECT.model_copy(update={"jobs": 20})))
    assert updated.jobs == 20 and updated.updated_at is not None
    for _ in range(2):
        gone = send(uow, handlers.withdraw_project, WithdrawProject(
            tenant_id="heze", project_id="p1", withdrawn_by="staff", reason="留在杭州"))
    assert gone.withdrawn_reason == "留在杭州" and gone.jobs == 20
    assert outbox_subjects(uow)[-2:] == ["guiyan.registry.project.updated.v1",
                                         "guiyan.registry.project.withdrawn.v1"]
    with pytest.raises(Conflict, match="withdrawn"):
        send(uow, handlers.update_project, UpdateProject(tenant_id="heze", project_id="p1",
                                                         updated_by="staff", project=PROJECT))


def test_a_record_that_no_longer_reads_is_left_out_named_and_mended_by_its_update(uow) -> None:
    seed(uow)
    with uow() as unit:
        handlers.register_park(RegisterPark(tenant_id="heze", park_id="second", park=PARK), unit)
        unit.session.get(ParkRow, "hanfu").fields_json = '{"floor_m2": -1}'
        unit.commit()
    with uow() as unit:
        assert [p.id for p in handlers.list_parks(ListParks(tenant_id="heze"), unit).parks] == [
            "second"]
        with pytest.raises(UnreadableRecord):
            handlers.get_park(GetPark(tenant_id="heze", park_id="hanfu"), unit)
    assert [p.item for p in UNREADABLE.problems()] == ["park hanfu"]
    send(uow, handlers.update_park, UpdatePark(tenant_id="heze", park_id="hanfu",
                                               updated_by="admin", park=PARK))
    with uow() as unit:
        assert handlers.get_park(GetPark(tenant_id="heze", park_id="hanfu"), unit).floor_m2 == \
            PARK.floor_m2
    assert UNREADABLE.problems() == []
