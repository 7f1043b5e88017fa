"""The rules of stations, people and tasks, and what erasure finds of a person: pure
functions, each with the case it passes and the case it refuses."""

from __future__ import annotations

from datetime import date
from typing import Any

from guiyan_contracts.models import Role, User
from guiyan_contracts.people import LeadRef, PersonFields, StationFields, TaskFields
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_registry.domain.erasure import ERASED, PersonTrace, scrubbed
from guiyan_registry.domain.rules import (
    assignee_errors,
    consent_errors,
    contact_day_errors,
    person_errors,
    station_errors,
    station_record_errors,
    task_errors,
)

TAXONOMY = load_taxonomy("heze")
USERS = {
    "staff-1": User(id="staff-1", tenant_id="heze", name="赵专员", role=Role.staff),
    "admin-1": User(id="admin-1", tenant_id="heze", name="管理员", role=Role.admin),
    "leader-1": User(id="leader-1", tenant_id="heze", name="领导", role=Role.leader),
}


def person(**overrides: Any) -> PersonFields:
    fields: dict[str, Any] = {
        "name": "张海燕", "hometown_county": "caoxian", "current_province": "zhejiang",
        "current_city": "杭州", "sector": "textiles_apparel", "chain": "hanfu",
        "link": "design_pattern", "station_id": "hangzhou"}
    return PersonFields(**(fields | overrides))


def types(errors: list[Any]) -> list[tuple[list[str | int], str]]:
    return [(e.loc, e.type) for e in errors]


def test_a_known_station_passes_and_an_unknown_one_is_named_at_its_field() -> None:
    assert station_errors("hangzhou", {"hangzhou"}, ["project", "source"]) == []
    assert station_errors(None, set(), ["person", "station_id"]) == []
    assert types(station_errors("杭州站", {"hangzhou"}, ["project", "source"])) == [
        (["project", "source"], "unknown_station")]


def test_a_person_of_the_citys_counties_links_and_stations_passes() -> None:
    assert person_errors(person(), TAXONOMY, {"hangzhou"}) == []
    assert person_errors(person(sector="textiles_apparel", chain=None, link=None,
                                station_id=None), TAXONOMY, set()) == []


def test_a_person_with_an_unknown_county_link_or_station_has_each_error() -> None:
    errors = person_errors(person(hometown_county="atlantis", link="spaceships",
                                  station_id="lhasa"), TAXONOMY, {"hangzhou"})
    assert types(errors) == [(["person", "hometown_county"], "unknown_county"),
                             (["person", "link"], "link_not_in_chain"),
                             (["person", "station_id"], "unknown_station")]
    assert types(person_errors(person(sector="tourism", chain=None, link=None), TAXONOMY,
                               {"hangzhou"})) == [(["person", "sector"], "unknown_sector")]


def test_a_county_level_station_names_a_county_of_the_city_and_staff_who_exist() -> None:
    station = StationFields(name="曹县驻杭州服务站", level="county", county="caoxian",
                            host_city="杭州", host_province="zhejiang", head_name="李站长",
                            staff_ids=["staff-1"])
    assert station_record_errors(station, TAXONOMY, USERS) == []
    wrong = station.model_copy(update={"county": "atlantis", "staff_ids": ["ghost"]})
    assert types(station_record_errors(wrong, TAXONOMY, USERS)) == [
        (["station", "county"], "unknown_county"), (["station", "staff_ids", 0], "unknown_user")]


def test_tasks_go_to_staff_and_admins_only() -> None:
    assert assignee_errors("staff-1", USERS, ["task", "assignee_id"]) == []
    assert assignee_errors("admin-1", USERS, ["task", "assignee_id"]) == []
    assert types(assignee_errors("leader-1", USERS, ["task", "assignee_id"])) == [
        (["task", "assignee_id"], "not_staff")]


def test_a_task_names_a_known_person_and_a_lead_of_a_known_park() -> None:
    task = TaskFields(person_id="p1", assignee_id="staff-1", due_on=date(2026, 1, 10),
                      lead=LeadRef(park_id="hanfu", chain="hanfu", link="embroidery"))
    assert task_errors(task, True, USERS, {"hanfu"}) == []
    assert types(task_errors(task, False, USERS, set())) == [
        (["task", "person_id"], "unknown_person"), (["task", "lead", "park_id"], "unknown_park")]


def test_a_contact_on_the_city_s_today_or_before_is_recorded() -> None:
    assert contact_day_errors(date(2026, 12, 3), date(2026, 12, 3)) == []


def test_a_contact_on_a_day_still_to_come_is_refused() -> None:
    assert types(contact_day_errors(date(2026, 12, 4), date(2026, 12, 3))) == [
        (["contact", "on"], "day_ahead")]


def test_a_person_who_agreed_to_be_contacted_may_be_asked_after() -> None:
    assert consent_errors(True, ["task", "person_id"]) == []


def test_a_person_who_never_agreed_or_withdrew_is_asked_after_by_nobody() -> None:
    assert types(consent_errors(False, ["task", "person_id"])) == [
        (["task", "person_id"], "no_consent")]


def test_a_logged_filter_loses_the_person_and_keeps_everyone_else() -> None:
    trace = PersonTrace(person_id="p1", name="张海燕", phone="13800000000")
    assert scrubbed({"person_ids": "p10,p1,p2", "q": "张海燕", "province": "zhejiang"}, trace) == {
        "person_ids": "p10,p2", "q": ERASED, "province": "zhejiang"}
    assert scrubbed({"person_ids": "p10", "q": "张"}, trace) == {"person_ids": "p10", "q": "张"}


def test_a_trace_finds_the_name_as_json_escapes_it_too() -> None:
    trace = PersonTrace(person_id="p1", name="张海燕", phone=None)
    assert "\\u5f20\\u6d77\\u71d5" in trace.texts() and trace.words()[0] == "p1"
