"""The pages of stations, people, contacts, tasks and a park's leads render for the roles that
open them, in both languages, naming every code (a province, a link, a scale) by its name."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest

from guiyan_contracts import matching, registry
from guiyan_contracts import people as registry_people
from guiyan_contracts.models import ChainRole, Role, User
from guiyan_contracts.people import Contact, Person, Station, Task
from guiyan_contracts.refusals import NotFound

from .fakes import FakeGateway, Portal, token
from .two_cities import HEZE, PARK, two_cities

NOW = datetime(2026, 11, 1, tzinfo=UTC)
STATION = Station(id="hangzhou-station", tenant_id=HEZE, created_at=NOW, name="杭州站",
                  level="county", county="caoxian", host_city="杭州", host_province="zhejiang",
                  head_name="李站长", staff_ids=["heze-staff"])
PERSON = Person(id="wang-fang", tenant_id=HEZE, created_at=NOW, name="王芳", phone="13800000000",
                status="away", hometown_county="caoxian", current_province="zhejiang",
                current_city="杭州", sector="textiles_apparel", chain="hanfu",
                link="design_pattern", role="entrepreneur", enterprise="杭州汉服设计",
                enterprise_scale="large", influence="key", station_id=STATION.id,
                contact_consent=True, consent_on=date(2026, 3, 1), consent_source="written",
                last_contact_on=date(2026, 10, 1))
CONTACT = Contact(id="contact-1", tenant_id=HEZE, person_id=PERSON.id, recorded_by="heze-staff",
                  recorded_at=NOW, method="visit", on=date(2026, 10, 1), notes="谈了回乡设厂")
TASK = Task(id="task-1", tenant_id=HEZE, person_id=PERSON.id, assignee_id="heze-staff",
            due_on=date(2026, 10, 20), notes="再谈一次", created_by="heze-staff", created_at=NOW)
STATION_HEAD = User(id="heze-station", tenant_id=HEZE, name="李站长", role=Role.station,
                    station_id=STATION.id)
# Codes a reader must never see as words on a page; some are English words as well, which a
# page in English may say.
CODES = {"zh": ("zhejiang", "caoxian", "design_pattern", "hanfu", "entrepreneur", "written",
                "county", "large", "key", "away"),
         "en": ("zhejiang", "caoxian", "design_pattern", "hanfu", "entrepreneur")}


def people_services() -> FakeGateway:
    services = two_cities()
    known_user = services.replies[registry.GetUser.SUBJECT]

    def user(request: Any) -> registry.UserView:
        if request.user_id == STATION_HEAD.id:
            return registry.UserView(user=STATION_HEAD, managed_park_ids=[])
        return known_user(request)  # type: ignore[operator,no-any-return]

    def person(request: Any) -> Person:
        if request.person_id != PERSON.id:
            raise NotFound("no such person")
        return PERSON

    lead = matching.Lead(person_id=PERSON.id, score=90.0, terms=[],
                         why={"zh": "大型企业、重点人士、曹县同乡", "en": "large firm, key person, from Caoxian"})
    services.replies |= {
        registry.GetUser.SUBJECT: user,
        registry_people.GetStation.SUBJECT: STATION,
        registry_people.ListStations.SUBJECT: registry_people.StationList(stations=[STATION],
                                                                          total=1),
        registry_people.GetPerson.SUBJECT: person,
        registry_people.GetPeople.SUBJECT: registry_people.PersonList(people=[PERSON], total=1),
        registry_people.ListPeople.SUBJECT: registry_people.PersonList(people=[PERSON], total=1),
        registry_people.ListContacts.SUBJECT: registry_people.ContactList(contacts=[CONTACT],
                                                                          total=1),
        registry_people.ListTasks.SUBJECT: registry_people.TaskList(tasks=[TASK], total=1),
        registry_people.RecordContact.SUBJECT: CONTACT,
        registry_people.CreateTask.SUBJECT: TASK,
        registry_people.UpdateTask.SUBJECT: TASK,
        matching.GetStationPerformance.SUBJECT: matching.StationPerformanceList(stations=[
            matching.StationPerformance(station_id=STATION.id, recommended=3, proposed=2,
                                        placed=1, withdrawn=0, investment_yuan=5_000_000,
                                        jobs=20)]),
        matching.GetParkLeads.SUBJECT: matching.ParkLeads(
            park_id=PARK, park_name="曹县汉服产业园", computed_at=NOW, links=[matching.LinkLeads(
                sector="textiles_apparel", chain="hanfu", link="design_pattern",
                role=ChainRole.fill_gap, leads=[lead], total=1)]),
    }
    return services


def get(portal: Portal, path: str, who: str, role: Role, lang: str = "zh") -> Any:
    return asyncio.run(portal.request("GET", path, token(who, HEZE, role),
                                      headers={"Accept-Language": lang}))


def shown(html: str) -> str:
    """The page's words as a reader sees them: no tags, attributes or scripts."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S))


STAFF_PAGES = ["/stations", f"/stations/{STATION.id}", "/stations/new",
               f"/stations/{STATION.id}/edit", "/people", "/people?quiet=on&consent=yes",
               f"/people/{PERSON.id}", "/people/new", f"/people/{PERSON.id}/edit",
               f"/people/{PERSON.id}/contacts/new", f"/people/{PERSON.id}/erase", "/tasks",
               "/tasks?view=overdue", "/tasks?view=all",
               f"/tasks/new?person_id={PERSON.id}&park_id={PARK}&chain=hanfu&link=design_pattern",
               f"/parks/{PARK}/leads", f"/projects/new?contact_id={CONTACT.id}&person_id={PERSON.id}",
               "/people/import", "/dashboard"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_open_every_page_of_people_with_names_not_codes(path: str, lang: str) -> None:
    response = get(Portal(people_services()), path, "heze-staff", Role.staff, lang)
    assert response.status_code == 200, response.text
    words = shown(response.text)
    for code in CODES[lang]:
        assert not re.search(rf"(?<![\w-]){code}(?![\w-])", words), (code, path)


def test_a_lead_says_why_in_the_page_language_and_offers_a_task() -> None:
    portal = Portal(people_services())
    zh = get(portal, f"/parks/{PARK}/leads", "heze-staff", Role.staff, "zh").text
    en = get(portal, f"/parks/{PARK}/leads", "heze-staff", Role.staff, "en").text
    assert "重点人士" in zh and "key person" not in zh
    assert "key person" in en and "重点人士" not in en
    assert f"/tasks/new?person_id={PERSON.id}&amp;park_id={PARK}" in zh


def test_a_project_from_a_contact_is_prefilled_with_the_station_and_carries_the_contact() -> None:
    page = get(Portal(people_services()),
               f"/projects/new?contact_id={CONTACT.id}&person_id={PERSON.id}", "heze-staff",
               Role.staff).text
    assert f'<option value="{STATION.id}" selected>杭州站</option>' in page
    assert f'name="contact_id" value="{CONTACT.id}"' in page


def test_a_station_head_sees_their_station_and_its_people_only() -> None:
    portal = Portal(people_services())
    nav = get(portal, "/people", STATION_HEAD.id, Role.station).text
    assert f'href="/stations/{STATION.id}"' in nav and 'href="/projects"' not in nav
    assert get(portal, "/stations", STATION_HEAD.id, Role.station).status_code == 303
    assert get(portal, f"/people/{PERSON.id}", STATION_HEAD.id, Role.station).status_code == 200
    assert get(portal, "/tasks", STATION_HEAD.id, Role.station).status_code == 403


def test_leaders_see_stations_and_the_ranking_but_no_person() -> None:
    portal = Portal(people_services())
    station = get(portal, f"/stations/{STATION.id}", "heze-leader", Role.leader)
    assert station.status_code == 200 and PERSON.name not in station.text
    assert "杭州站" in get(portal, "/dashboard", "heze-leader", Role.leader).text
    assert get(portal, "/people", "heze-leader", Role.leader).status_code == 403
    assert get(portal, f"/people/{PERSON.id}", "heze-leader", Role.leader).status_code == 403


def test_a_station_head_starts_at_their_station() -> None:
    portal = Portal(people_services())
    start = get(portal, "/", STATION_HEAD.id, Role.station)
    assert start.status_code == 303 and start.headers["location"] == "/stations"


def test_each_filter_of_a_list_reaches_its_query() -> None:
    portal = Portal(people_services())
    get(portal, "/people?q=王&status=founder&consent=no&quiet=on&county=caoxian"
                "&link=textiles_apparel/hanfu/design_pattern&province=zhejiang", "heze-staff",
        Role.staff)
    get(portal, "/projects?status=placed&county=caoxian&source=hangzhou", "heze-staff",
        Role.staff)
    people = next(a for a in portal.services.asked if isinstance(a, registry_people.ListPeople))
    assert (people.q, people.status, people.contact_consent, people.hometown_county,
            people.link, people.province) == ("王", "founder", False, "caoxian",
                                              "design_pattern", "zhejiang")
    assert people.not_contacted_since is not None
    projects = next(a for a in portal.services.asked if isinstance(a, matching.ListProjects))
    assert (projects.statuses, projects.county, projects.source) == (["placed"], "caoxian",
                                                                     "hangzhou")


def post(portal: Portal, path: str, form: dict[str, str], who: str = "heze-staff",
         role: Role = Role.staff) -> Any:
    return asyncio.run(portal.request("POST", path, token(who, HEZE, role), data=form,
                                      headers={"Accept-Language": "zh"}))


def test_a_person_form_says_what_consent_lacks_at_its_field_in_chinese() -> None:
    portal = Portal(people_services())
    form = {"name": "王芳", "status": "away", "hometown_county": "caoxian",
            "current_province": "zhejiang", "current_city": "杭州", "contact_consent": "on"}
    answer = post(portal, "/people/new", form)
    assert answer.status_code == 422
    assert "同意联系须填写同意日期和同意方式" in answer.text
    assert portal.services.commands() == []


def test_a_station_form_names_the_county_a_county_level_station_lacks() -> None:
    portal = Portal(people_services())
    form = {"name": "杭州站", "level": "county", "host_city": "杭州",
            "host_province": "zhejiang", "head_name": "李站长"}
    answer = post(portal, "/stations/new", form)
    assert answer.status_code == 422 and 'id="county-error"' in answer.text


def test_a_task_is_closed_with_its_whole_record_and_the_page_goes_back() -> None:
    portal = Portal(people_services())
    answer = post(portal, f"/tasks/{TASK.id}/done", {"person_id": PERSON.id,
                                                     "back": "/tasks?view=all"})
    assert answer.status_code == 303 and answer.headers["location"] == "/tasks?view=all&notice=done"
    update = next(a for a in portal.services.asked
                  if isinstance(a, registry_people.UpdateTask))
    assert (update.status, update.task.notes, update.task.due_on) == ("done", TASK.notes,
                                                                      TASK.due_on)
