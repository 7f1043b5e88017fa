"""Service stations on a real database: a project's source and a ledger row's are checked
against them, and a name is one station's in its city."""

from __future__ import annotations

import pytest

from guiyan_contracts.people import (
    ContactFields,
    GetPerson,
    GetStation,
    ListStations,
    RecordContact,
    RegisterStation,
    StationLevel,
    UpdateStation,
)
from guiyan_contracts.refusals import Conflict, Invalid, NotFound
from guiyan_contracts.registry import StagedRow, SubmitProject, UpdateProject
from guiyan_registry.service_layer import contacts, handlers, people, stations

from .people_records import register, seed_city
from .test_ledgers import staged_and_committed
from .test_store import PROJECT, STATION, send


def register_station(uow, station_id: str, **overrides):
    return send(uow, stations.register_station, RegisterStation(
        tenant_id="heze", station_id=station_id,
        station=STATION.model_copy(update=overrides)))


def test_a_station_is_registered_read_updated_and_listed_by_its_filters(uow) -> None:
    seed_city(uow)  # 杭州站 (hangzhou)
    register_station(uow, "lhasa", name="拉萨站", host_city="拉萨", host_province="tibet",
                     head_name="次仁")
    register_station(uow, "caoxian-sh", name="曹县驻上海服务站", level=StationLevel.county,
                     county="caoxian", host_city="上海", host_province="shanghai",
                     head_name="王拉萨")
    updated = send(uow, stations.update_station, UpdateStation(
        tenant_id="heze", station_id="lhasa", updated_by="admin",
        station=STATION.model_copy(update={"name": "拉萨站", "host_city": "拉萨",
                                           "host_province": "tibet", "head_name": "扎西"})))
    assert updated.updated_at is not None and updated.head_name == "扎西"
    with uow() as unit:
        assert stations.get_station(GetStation(tenant_id="heze", station_id="lhasa"),
                                    unit).head_name == "扎西"

        def listed(**filters) -> tuple[list[str], int]:
            page = stations.list_stations(ListStations(tenant_id="heze", **filters), unit)
            return [s.id for s in page.stations], page.total

        assert listed(q="拉萨") == (["lhasa", "caoxian-sh"], 2)  # a host city, a head's name
        assert listed(level="county") == (["caoxian-sh"], 1)
        assert listed(province="zhejiang") == (["hangzhou"], 1)
        assert listed(limit=1, offset=1)[1] == 3 and len(listed(limit=1, offset=1)[0]) == 1
        assert listed()[1] == 3
        with pytest.raises(NotFound):
            stations.get_station(GetStation(tenant_id="other", station_id="lhasa"), unit)


def test_a_station_registered_again_answers_the_same_and_a_name_is_one_stations(uow) -> None:
    seed_city(uow)
    first = register_station(uow, "lhasa", name="拉萨站")
    assert register_station(uow, "lhasa", name="拉萨站") == first
    with pytest.raises(Conflict):
        register_station(uow, "lhasa", name="拉萨站", head_name="别人")
    with pytest.raises(Conflict, match="杭州站"):
        register_station(uow, "hangzhou-2")  # 杭州站 again
    with pytest.raises(Conflict):
        send(uow, stations.update_station, UpdateStation(
            tenant_id="heze", station_id="lhasa", updated_by="admin", station=STATION))


def test_a_station_in_an_unknown_county_is_invalid(uow) -> None:
    seed_city(uow)
    with pytest.raises(Invalid) as raised:
        register_station(uow, "x", name="某站", level=StationLevel.county, county="atlantis")
    assert [e.loc for e in raised.value.errors] == [["station", "county"]]


def test_a_project_from_an_unknown_station_is_a_field_error_at_its_source(uow) -> None:
    seed_city(uow)
    unknown = PROJECT.model_copy(update={"source": "杭州站"})
    with pytest.raises(Invalid) as raised:
        send(uow, handlers.submit_project, SubmitProject(tenant_id="heze", submitted_by="s",
                                                         project=unknown))
    assert [(e.loc, e.type) for e in raised.value.errors] == [
        (["project", "source"], "unknown_station")]
    send(uow, handlers.submit_project, SubmitProject(tenant_id="heze", project_id="p1",
                                                     submitted_by="s", project=PROJECT))
    with pytest.raises(Invalid):
        send(uow, handlers.update_project, UpdateProject(tenant_id="heze", project_id="p1",
                                                         updated_by="s", project=unknown))


def test_a_ledger_row_from_an_unknown_station_is_reported_at_its_row(uow) -> None:
    seed_city(uow)
    rows = [StagedRow(row=2, fields=PROJECT.model_dump(mode="json")),
            StagedRow(row=3, fields={**PROJECT.model_dump(mode="json"), "name": "另一个",
                                     "source": "nowhere"})]
    report = staged_and_committed(uow, rows, mode="valid_rows")
    assert report.imported == 1
    assert [(e.row, e.errors[0].loc, e.errors[0].type) for e in report.errors] == [
        (3, ["project", "source"], "unknown_station")]


def test_a_project_from_a_contact_is_listed_among_the_persons_projects(uow) -> None:
    seed_city(uow)
    register(uow, "zhang")
    send(uow, contacts.record_contact, RecordContact(
        tenant_id="heze", contact_id="c1", person_id="zhang", recorded_by="staff-1",
        contact=ContactFields(method="visit", on="2025-06-01")))
    with pytest.raises(Invalid) as raised:
        send(uow, handlers.submit_project, SubmitProject(
            tenant_id="heze", submitted_by="staff-1", project=PROJECT, contact_id="c404"))
    assert [(e.loc, e.type) for e in raised.value.errors] == [(["contact_id"], "unknown_contact")]
    send(uow, handlers.submit_project, SubmitProject(
        tenant_id="heze", project_id="p1", submitted_by="staff-1", project=PROJECT,
        contact_id="c1"))
    with uow() as unit:
        found = people.get_person(GetPerson(tenant_id="heze", person_id="zhang",
                                            read_by="staff-1"), unit)
    assert found.project_ids == ["p1"]
