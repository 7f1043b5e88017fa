"""The demo archive: 500 people, the same on every load, each valid as registry takes them, at
stations that exist, with consenting leads in every link a demo park lacks; tasks and contacts
with consenting people only."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import httpx
import pytest
from openpyxl import load_workbook

from guiyan_contracts.api import NewStation, NewTask
from guiyan_contracts.people import ContactFields, PersonFields
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_devstack import demo
from guiyan_devstack.demo_people import (
    DEMO_TODAY,
    SIX_MONTHS,
    demo_contacts,
    demo_people,
    demo_tasks,
    missing_links,
)
from guiyan_devstack.demo_stations import STATION_IDS, STATIONS
from guiyan_devstack.demo_users import STATION_HEAD

PEOPLE = demo_people(demo.PARKS)
BY_REF = {person["archive_ref"]: person for person in PEOPLE}


def test_the_stations_are_valid_with_unique_ids_and_the_named_ones_among_them() -> None:
    stations = [NewStation.model_validate(station) for station in STATIONS]
    assert len(set(STATION_IDS)) == len(stations) >= 30
    names = {station.id: station.name for station in stations}
    assert {"hangzhou": "杭州站", "lasa": "拉萨站", "shanghai": "上海站", "suzhou": "苏州站"}.items() \
        <= names.items()
    assert {"北京站", "深圳站", "广州站", "宁波站", "天津站", "青岛站", "义乌站", "郑州站",
            "曹县驻杭州服务站"} <= set(names.values())
    assert {station.level for station in stations} == {"city", "county"}
    assert names[STATION_HEAD[2]] == "拉萨站"
    assert next(s for s in stations if s.id == "lasa").head_name == STATION_HEAD[1]


def test_five_hundred_people_the_same_on_every_load_each_as_registry_takes_them() -> None:
    assert len(PEOPLE) == 500 and demo_people(demo.PARKS) == PEOPLE
    assert len(BY_REF) == 500  # an import finds each again by their archive number
    counties = load_taxonomy("heze").county_codes()
    for person in PEOPLE:
        fields = PersonFields.model_validate(person)
        assert fields.station_id is None or fields.station_id in STATION_IDS
        assert fields.hometown_county in counties
    statuses = Counter(person["status"] for person in PEOPLE)
    assert statuses["away"] > statuses["returned"] + statuses["founder"] > 0 < statuses["founder"]
    consenting = sum(person["contact_consent"] for person in PEOPLE)
    assert 0.6 < consenting / len(PEOPLE) < 0.8
    assert sum(person["station_id"] is not None for person in PEOPLE) > 0.8 * len(PEOPLE)


def test_every_link_a_demo_park_lacks_has_people_who_consented_and_someone_who_did_not() -> None:
    lacking = missing_links(demo.PARKS, load_taxonomy("heze"))
    assert {"caoxian-hanfu-park", "juancheng-biomedicine-cluster"} <= lacking.keys()
    assert ("textiles_apparel", "hanfu", "embroidery") in lacking["caoxian-hanfu-park"]
    for park_id, links in lacking.items():
        for link in links:
            working = [p for p in PEOPLE if (p.get("sector"), p.get("chain"), p.get("link")) == link
                       and p["status"] == "away"]
            assert sum(p["contact_consent"] for p in working) >= 3, (park_id, link)
            assert not all(p["contact_consent"] for p in working), (park_id, link)


def test_tasks_and_contacts_are_with_consenting_people_some_overdue_some_long_unreached() -> None:
    tasks = demo_tasks(PEOPLE, demo.PARKS)
    contacts = demo_contacts(PEOPLE)
    assert len(tasks) == 24 and len({task["id"] for task in tasks}) == 24
    assert len(contacts) == 55 and len({contact["id"] for contact in contacts}) == 55
    for task in tasks:
        NewTask.model_validate({k: v for k, v in task.items() if k != "archive_ref"}
                               | {"person_id": "someone"})
        assert BY_REF[task["archive_ref"]]["contact_consent"]
    assert {task["assignee_id"] for task in tasks} == {"heze-staff", "caoxian-staff"}
    assert any(date.fromisoformat(task["due_on"]) < DEMO_TODAY for task in tasks)
    assert any(date.fromisoformat(task["due_on"]) > DEMO_TODAY for task in tasks)
    assert any("lead" in task for task in tasks)
    last_contact: dict[str, date] = {}
    for contact in contacts:
        ContactFields.model_validate({k: v for k, v in contact.items()
                                      if k not in ("id", "archive_ref")})
        assert BY_REF[contact["archive_ref"]]["contact_consent"]
        on = date.fromisoformat(contact["on"])
        last_contact[contact["archive_ref"]] = max(on, last_contact.get(contact["archive_ref"], on))
    long_ago = [ref for ref, on in last_contact.items() if on < DEMO_TODAY - SIX_MONTHS]
    assert 5 <= len(long_ago) < len(last_contact)


def test_the_archive_is_one_ledger_of_a_row_a_person() -> None:
    sheet = load_workbook(io.BytesIO(demo.people_workbook(PEOPLE))).active
    headers = [cell.value for cell in sheet[1]]
    assert sheet.max_row == 501 and {"archive_ref", "name", "station_id"} <= set(headers)
    first = dict(zip(headers, (cell.value for cell in sheet[2]), strict=True))
    assert first["archive_ref"] == PEOPLE[0]["archive_ref"] and first["name"] == PEOPLE[0]["name"]


def test_the_demo_projects_come_from_demo_stations() -> None:
    assert {project["source"] for project in demo.demo_projects()} <= set(STATION_IDS)


def test_a_demo_of_an_earlier_version_under_var_is_named_with_the_way_out() -> None:
    refusing = httpx.Client(base_url="http://portal", transport=httpx.MockTransport(
        lambda request: httpx.Response(409, json={"detail": "station 'hangzhou' differs"})))
    with pytest.raises(RuntimeError, match="make clean"):
        demo.DemoClient(refusing).post("/api/v1/stations", {"id": "hangzhou"}, {})
