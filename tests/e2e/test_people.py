"""Stations, people, contacts, tasks and leads over HTTP, on the whole system of the tests that
write freely (SQLite stores, so that erasure can be checked store by store): a 500-person
archive with bad rows in both modes, a park's leads, erasure from every store and stream, station
performance against the projects' own counts, and what a station's head may see."""

from __future__ import annotations

import asyncio
import contextlib
import io
import random
import sqlite3
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from nats.js.errors import NotFoundError
from openpyxl import Workbook

from guiyan_contracts.models import Role
from guiyan_devstack import demo
from guiyan_devstack.stack import Stack
from guiyan_eventing.bus import connect
from guiyan_eventing.identities import HARNESS
from guiyan_portal.auth import mint_token
from guiyan_portal.periods import city_today

from .conftest import Api, eventually, person, project, station

HEADERS = ["档案编号", "姓名", "联系电话", "人员状态", "家乡县区", "现居省份", "现居城市", "行业",
           "产业链", "环节", "身份", "企业规模", "影响力", "服务站", "同意联系", "同意日期",
           "同意方式"]
BAD_ROWS = {  # row of the sheet → (column, cell) that makes it wrong, and the error's column
    30: ("服务站", "无名站"), 101: ("现居省份", "火星"), 202: ("同意日期", None),
    303: ("姓名", None), 404: ("人员状态", "云游")}
COLUMN_OF = {30: "服务站", 101: "现居省份", 202: None, 303: "姓名", 404: "人员状态"}
SERVICES = ("registry", "matching", "notification")


@pytest.fixture(scope="module")
def admin(scratch: Stack) -> Api:
    return Api(scratch.portal_url, demo.tokens(scratch.config.auth_secret)["admin"])


@pytest.fixture(scope="module")
def staff(scratch: Stack) -> Api:
    return Api(scratch.portal_url, demo.tokens(scratch.config.auth_secret)["staff"])


def tagged() -> str:
    return uuid.uuid4().hex[:10]


def archive_row(tag: str, number: int) -> list[Any]:
    """A returnee (已返乡): no one's lead, so that matching is not kept computing leads for the
    other tests' parks by hundreds of people at once."""
    return [f"{tag}-{number}", f"{tag}人{number}", f"139{number:08d}", "已返乡", "曹县", "浙江",
            "杭州", "纺织服装", "汉服", "设计制版", "企业家", "中型", "一般", "杭州站", "是",
            "2026-01-05", "书面"]


def archive(tag: str, rows: int = 500) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for number in range(2, rows + 2):
        cells = archive_row(tag, number)
        if number in BAD_ROWS:
            column, cell = BAD_ROWS[number]
            cells[HEADERS.index(column)] = cell
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def imported(api: Api, path: str, content: bytes, **form: str) -> dict[str, Any]:
    response = api.client.post(path, files={"file": ("档案.xlsx", content)}, data=form,
                               timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_archive_of_500_with_five_bad_rows_reports_exactly_those_in_both_modes(staff) -> None:
    tag = tagged()
    content = archive(tag)
    refused = imported(staff, "/api/v1/people/import", content, mode="all_or_nothing")
    assert sorted({e["row"] for e in refused["errors"]}) == sorted(BAD_ROWS)
    assert (refused["rows"], refused["imported"]) == (500, 0)
    by_row = {e["row"]: e for e in refused["errors"]}
    assert {row: by_row[row]["column"] for row in BAD_ROWS} == COLUMN_OF
    assert by_row[30]["message_zh"] == "不是本市的服务站"
    assert by_row[202]["message_zh"] == "同意联系须填写同意日期和同意方式"
    assert staff.get("/api/v1/people", q=tag, limit=1)["total"] == 0
    tried = imported(staff, "/api/v1/people/import", content, mode="valid_rows", dry_run="true")
    assert (tried["imported"], sorted({e["row"] for e in tried["errors"]})) == (
        495, sorted(BAD_ROWS))
    taken = imported(staff, "/api/v1/people/import", content, mode="valid_rows")
    assert sorted({e["row"] for e in taken["errors"]}) == sorted(BAD_ROWS)
    assert (taken["imported"], taken["updated"]) == (495, 0)
    assert staff.get("/api/v1/people", q=tag, limit=1)["total"] == 495
    again = imported(staff, "/api/v1/people/import", content, mode="valid_rows")
    assert (again["imported"], again["updated"], again["unchanged"]) == (0, 0, 495)


def test_an_export_of_people_imports_again_unchanged_and_is_logged(staff, admin) -> None:
    tag = tagged()
    assert imported(staff, "/api/v1/people/import", archive(tag, rows=20))["imported"] == 20
    response = staff.client.get("/api/v1/people/export.xlsx", params={"q": tag})
    assert response.status_code == 200, response.text
    back = imported(staff, "/api/v1/people/import", response.content)
    assert (back["imported"], back["updated"], back["errors"]) == (0, 0, [])
    reads = admin.get("/api/v1/people/reads", limit=50)["items"]
    assert any(r["what"] == "people.export" and r["filters"].get("q") == tag for r in reads)
    exports = admin.get("/api/v1/exports", limit=50)["items"]
    assert any(e["what"] == "people" and e["filters"].get("q") == tag for e in exports)


def test_an_unknown_station_is_a_field_error_in_a_project_and_in_a_ledger_row(staff) -> None:
    response = staff.client.post("/api/v1/projects", json=project(source="no-such-station"))
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["type"] == "unknown_station" and "source" in error["loc"]
    workbook = Workbook()
    workbook.active.append(["项目名称", "创始人", "来源服务站", "家乡县区", "行业", "产业链", "环节",
                            "需求面积（平方米）", "投资额（元）", "就业人数", "工商注册日期"])
    for source in ("杭州站", "无名站"):
        workbook.active.append([f"{tagged()}工坊", "张海燕", source, "曹县", "纺织服装", "汉服",
                                "设计制版", 200, 1_000_000, 8, "2026-06-01"])
    out = io.BytesIO()
    workbook.save(out)
    report = imported(staff, "/api/v1/projects/import", out.getvalue(), dry_run="true")
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "来源服务站")]
    assert report["errors"][0]["message_en"] == "Not a service station of this city"


def test_a_park_s_leads_are_the_consenting_people_away_on_its_missing_link(staff, admin) -> None:
    tag = tagged()
    park = admin.post("/api/v1/parks", {
        "id": f"leads-{tag}", "name": f"线索测试园{tag}", "kind": "return_home_park",
        "county": "caoxian", "sectors": ["textiles_apparel"], "floor_m2": 10_000,
        "hosted_links": [{"chain": "hanfu", "link": "jacquard_weaving"},
                         {"chain": "hanfu", "link": "cutting_sewing"}]}, expect=201)
    on_link = {"sector": "textiles_apparel", "chain": "hanfu", "link": "design_pattern"}
    lead = staff.post("/api/v1/people", person(name=f"{tag}甲", **on_link,
                                               enterprise_scale="large", influence="key"),
                      expect=201)
    unwilling = staff.post("/api/v1/people", person(
        name=f"{tag}乙", **on_link, contact_consent=False, consent_on=None,
        consent_source=None), expect=201)
    home = staff.post("/api/v1/people", person(name=f"{tag}丙", **on_link, status="returned"),
                      expect=201)

    def design_leads() -> list[dict[str, Any]] | None:
        view = staff.get(f"/api/v1/parks/{park['id']}/leads", per_link=200)
        links = {link["link"]: link for link in view["links"]}
        found = links.get("design_pattern")
        ids = {each["person"]["id"] for each in found["leads"]} if found else set()
        return found if lead["id"] in ids else None

    link = eventually(design_leads, timeout=60)
    assert link["role"] == "fill_gap"
    ids = {each["person"]["id"] for each in link["leads"]}
    assert unwilling["id"] not in ids and home["id"] not in ids
    unconsenting = {p["id"] for p in staff.items("/api/v1/people", contact_consent="false",
                                                 link="design_pattern", limit=1000)}
    assert not ids & unconsenting
    mine = next(each for each in link["leads"] if each["person"]["id"] == lead["id"])
    assert mine["why"]["zh"] and mine["why"]["en"] and "phone" not in mine["person"]
    # Consent withdrawn: no longer a lead, at once (registry is asked for the names).
    withdrawn = {k: v for k, v in lead.items() if k not in (
        "id", "tenant_id", "created_at", "updated_at", "last_contact_on", "project_ids")}
    response = staff.client.put(f"/api/v1/people/{lead['id']}", json={
        **withdrawn, "contact_consent": False, "consent_on": None, "consent_source": None})
    assert response.status_code == 200, response.text
    view = staff.get(f"/api/v1/parks/{park['id']}/leads", per_link=200)
    assert lead["id"] not in {each["person"]["id"] for link in view["links"]
                              for each in link["leads"]}
    # A lead turns into a task that keeps it.
    task = staff.post("/api/v1/tasks", {
        "person_id": home["id"], "assignee_id": "heze-staff", "due_on": "2026-01-01",
        "lead": {"park_id": park["id"], "chain": "hanfu", "link": "design_pattern"}},
        expect=201)
    overdue = staff.items("/api/v1/tasks", assignee_id="heze-staff", overdue="true")
    assert task["id"] in {t["id"] for t in overdue}


def test_station_performance_counts_are_the_projects_by_their_source(staff, admin) -> None:
    tag = tagged()
    ours = admin.post("/api/v1/stations", station(name=f"绩效站{tag}"), expect=201)
    submitted = [staff.post("/api/v1/projects", project(name=f"{tag}工坊{n}", source=ours["id"]),
                            expect=202)["id"] for n in range(3)]
    staff.client.post(f"/api/v1/projects/{submitted[0]}/withdraw", json={"reason": "绩效"})

    def counted(source: str, **status: str) -> int:
        return staff.get("/api/v1/projects", source=source, limit=1, **status)["total"]

    eventually(lambda: counted(ours["id"]) == 3
               and counted(ours["id"], status="withdrawn") == 1, timeout=60)
    row = staff.get(f"/api/v1/stations/{ours['id']}/performance")
    assert (row["recommended"], row["withdrawn"]) == (3, 1)
    ranking = staff.get("/api/v1/stations/performance")["stations"]
    stations = {each["station"]["id"]: each for each in ranking}
    assert ours["id"] in stations and "hangzhou" in stations
    assert [each["rank"] for each in ranking] == sorted(each["rank"] for each in ranking)
    for station_id, each in stations.items():
        assert each["recommended"] == counted(station_id), station_id
        assert each["placed"] == counted(station_id, status="placed"), station_id
        assert each["withdrawn"] == counted(station_id, status="withdrawn"), station_id


def test_a_period_counts_the_projects_submitted_in_it(staff) -> None:
    period = staff.get("/api/v1/stations/performance", **{"from": "2000-01-01",
                                                           "to": "2000-12-31"})
    assert period["stations"] and all(each["recommended"] == 0 for each in period["stations"])
    today = city_today().isoformat()
    assert staff.get("/api/v1/stations/performance", **{"from": today, "to": today})["stations"]
    backwards = staff.client.get("/api/v1/stations/performance",
                                 params={"from": "2026-02-01", "to": "2026-01-01"})
    assert backwards.status_code == 422


def test_a_station_s_head_sees_their_station_and_its_people_only(scratch, staff, admin) -> None:
    tag = tagged()
    ours = admin.post("/api/v1/stations", station(name=f"站长站{tag}"), expect=201)
    head = f"head-{tag}"
    admin.post("/api/v1/users", {"id": head, "name": "站长", "role": "station",
                                 "station_id": ours["id"]}, expect=201)
    known = staff.post("/api/v1/people", person(name=f"{tag}本站", station_id=ours["id"]),
                       expect=201)
    other = staff.post("/api/v1/people", person(name=f"{tag}他站", station_id="hangzhou"),
                       expect=201)
    them = Api(scratch.portal_url, mint_token(scratch.config.auth_secret, head, "heze",
                                              Role.station))
    assert {p["id"] for p in them.items("/api/v1/people")} == {known["id"]}
    assert them.client.get("/api/v1/people", params={"station_id": "hangzhou"}).status_code == 403
    assert them.get(f"/api/v1/people/{known['id']}")["name"] == f"{tag}本站"
    assert them.client.get(f"/api/v1/people/{other['id']}").status_code == 404
    assert them.client.get("/api/v1/stations/hangzhou").status_code == 404
    assert them.get(f"/api/v1/stations/{ours['id']}/performance")["recommended"] == 0
    contact = them.post(f"/api/v1/people/{known['id']}/contacts",
                        {"method": "visit", "on": "2026-11-20", "notes": "拜访"}, expect=201)
    assert contact["recorded_by"] == head
    for path in ("/api/v1/parks", "/api/v1/projects", "/api/v1/proposals", "/api/v1/tasks",
                 "/api/v1/stations", "/api/v1/stats/funnel"):
        assert them.client.get(path).status_code == 403, path


def test_people_not_contacted_for_six_months(staff) -> None:
    tag = tagged()
    recent = staff.post("/api/v1/people", person(name=f"{tag}近"), expect=201)
    never = staff.post("/api/v1/people", person(name=f"{tag}从未"), expect=201)
    staff.post(f"/api/v1/people/{recent['id']}/contacts",
               {"method": "call", "on": city_today().isoformat()}, expect=201)
    stale = {p["id"] for p in staff.items("/api/v1/people", q=tag, not_contacted_months=6)}
    assert stale == {never["id"]}


# --- erasure ----------------------------------------------------------------------------------

def store_rows(stack: Stack, service: str) -> Iterator[tuple[str, str]]:
    """Every row of every table of the service's SQLite store, as text: (table, row)."""
    path = stack.config.database_url(service).removeprefix("sqlite:///")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        tables = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                yield table, " ".join(map(_text, row))


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def stream_messages(stack: Stack) -> list[tuple[str, str]]:
    """Every message kept in every JetStream stream: (subject, data and headers as text)."""
    async def read() -> list[tuple[str, str]]:
        connection = await connect(stack.bus(HARNESS), HARNESS)
        js = connection.jetstream()
        found = []
        try:
            for info in await js.streams_info():
                state = info.state
                if not state.messages:  # an empty stream's first sequence is no message's
                    continue
                for sequence in range(state.first_seq, state.last_seq + 1):
                    try:
                        message = await js.get_msg(info.config.name, sequence)
                    except NotFoundError:  # deleted from the middle of the stream
                        continue
                    found.append((message.subject,
                                  message.data.decode("utf-8", "replace")
                                  + str(message.headers or {})))
        finally:
            await connection.close()
        return found

    return asyncio.run(read())


def test_an_erased_person_leaves_no_trace_in_any_store_or_stream(scratch, staff, admin) -> None:
    tag = tagged()
    name, phone = f"抹除{tag}", f"137{random.randrange(10**8):08d}"
    erased = staff.post("/api/v1/people", person(name=name, phone=phone, station_id="hangzhou"),
                        expect=201)
    park_tag = tagged()  # not the person's: the park stays
    park = admin.post("/api/v1/parks", {
        "id": f"erase-{park_tag}", "name": f"抹除测试园{park_tag}", "kind": "return_home_park",
        "county": "caoxian", "sectors": ["textiles_apparel"], "floor_m2": 10_000,
        "hosted_links": [{"chain": "hanfu", "link": "jacquard_weaving"},
                         {"chain": "hanfu", "link": "cutting_sewing"}]}, expect=201)
    staff.post(f"/api/v1/people/{erased['id']}/contacts",
               {"method": "visit", "on": "2026-11-02", "notes": f"拜访{name}"}, expect=201)
    staff.post("/api/v1/tasks", {"person_id": erased["id"], "assignee_id": "heze-staff",
                                 "due_on": "2026-12-31", "notes": f"回访{name}"}, expect=201)
    assert staff.get("/api/v1/people", q=name)["total"] == 1  # a logged read naming them

    def known_everywhere() -> bool:
        leads = staff.get(f"/api/v1/parks/{park['id']}/leads", per_link=200)
        return any(each["person"]["id"] == erased["id"] for link in leads["links"]
                   for each in link["leads"])

    eventually(known_everywhere, timeout=60)
    # Registry and matching held them (notification holds their task, by its id): the check
    # below looks where they were.
    for service in ("registry", "matching"):
        assert any(erased["id"] in row for _, row in store_rows(scratch, service)), service

    response = staff.client.delete(f"/api/v1/people/{erased['id']}")
    assert response.status_code == 200, response.text
    assert response.json()["person_id"] == erased["id"]
    assert staff.client.get(f"/api/v1/people/{erased['id']}").status_code == 404
    assert staff.client.delete(f"/api/v1/people/{erased['id']}").status_code == 404

    def traces() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for service in SERVICES:
            for table, row in store_rows(scratch, service):
                if tag in row or phone in row or (
                        erased["id"] in row and not is_erasure_event(row)):
                    found.setdefault(service, []).append(f"{table}: {row[:300]}")
        return found

    with contextlib.suppress(AssertionError):  # the other services drop theirs in a while
        eventually(lambda: not traces(), timeout=60)
    assert traces() == {}
    # Streams keep what was published: ids only, never a name, phone or note.
    for subject, text in stream_messages(scratch):
        assert tag not in text and phone not in text, subject


def is_erasure_event(row: str) -> bool:
    """Registry's outbox row of `PersonErased`: the id alone, by which the other services find
    their copies (`services/registry/.../erasure.py`)."""
    return "person.erased" in row
