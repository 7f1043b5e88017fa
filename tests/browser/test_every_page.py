"""Every main page, as each role sees it, in both languages and at both widths: it fits a
phone without sideways scrolling, and it shows no code and no text of the other language.

A page may show what people typed (names of projects, parks, founders and users, reasons) in
the language they typed it: that is taken out of the text before it is checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from guiyan_contracts.models import ChainRole, ParkKind, ProjectStatus, ProposalStatus, Role
from guiyan_contracts.notification import (
    AttemptOutcome,
    ChannelKind,
    DeliveryStatus,
    Medium,
    NoticeKind,
)
from guiyan_contracts.people import (
    ConsentSource,
    ContactMethod,
    EnterpriseScale,
    Influence,
    PersonRole,
    PersonStatus,
    StationLevel,
    TaskStatus,
)
from guiyan_contracts.regions import PROVINCES
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_devstack.stack import Stack

from .pages import assert_no_sideways_scroll, log_in, screenshot
from .test_paths import proposed_park, submit

# The page's text for people: what is marked as not to be translated (a message's subject, a
# username, a payload) is data, and the language switch names the other language in its own.
READABLE_TEXT = """() => {
  document.querySelectorAll('[translate=no], a[href^="/lang/"]').forEach(e => e.textContent = '');
  return document.body.innerText;
}"""
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
# Latin a Chinese page may show: the unit m² (its "m" is a single letter), and the names of
# file formats and of the web's things, which Chinese writes as they are (DingTalk's signing
# secrets begin "SEC").
LATIN_IN_CHINESE = {"Excel", "CSV", "xlsx", "Webhook", "URL", "SEC"}
FIELD_NAMES = {"floor_m2", "land_mu", "investment_yuan", "subsidy_yuan", "incubator_slots",
               "hometown_county", "registered_on", "expected_tax_yuan_per_year"}


def codes() -> set[str]:
    """Every code that must not reach a person: the taxonomy's, and the contracts' enums."""
    taxonomy = load_taxonomy("heze")
    found = {code for code, *_ in taxonomy.counties} | {code for code, *_ in taxonomy.facilities}
    for sector in taxonomy.sectors:
        found.add(sector.code)
        for chain in sector.chains:
            found.add(chain.code)
            found.update(code for code, *_ in chain.links)
    for kind in (ParkKind, ChainRole, ProjectStatus, ProposalStatus, Role, StationLevel,
                 PersonStatus, PersonRole, EnterpriseScale, Influence, ConsentSource,
                 ContactMethod, TaskStatus, NoticeKind, Medium, ChannelKind, DeliveryStatus,
                 AttemptOutcome):
        found.update(member.value for member in kind)
    found.update(PROVINCES)
    # Codes that are also plain English words are checked only as codes (with "_" in them) or
    # on Chinese pages, where no English word may appear anyway.
    return found | FIELD_NAMES


CODES = codes()


def typed_by_people(stack: Stack, tokens: dict[str, Any], person_ids: list[str]) -> list[str]:
    """What people entered, longest first, so that a name is taken out before a part of it:
    besides projects, parks and users, the stations, the people, the tasks, and the contacts
    with the people whose pages are visited."""
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    with httpx.Client(base_url=stack.portal_url, headers=headers, timeout=30) as client:
        parks = client.get("/api/v1/parks", params={"limit": 1000}).json()["items"]
        projects = client.get("/api/v1/projects", params={"limit": 1000}).json()["items"]
        users = client.get("/api/v1/users", params={"limit": 1000}).json()["items"]
        stations = client.get("/api/v1/stations", params={"limit": 1000}).json()["items"]
        people = client.get("/api/v1/people", params={"limit": 1000}).json()["items"]
        tasks = client.get("/api/v1/tasks", params={"limit": 1000}).json()["items"]
        contacts = [contact for person_id in person_ids for contact in client.get(
            f"/api/v1/people/{person_id}/contacts").json()["items"]]
    entered = [p["name"] for p in parks] + [u["name"] for u in users]
    for station in stations:
        entered += [station["name"], station["host_city"], station["head_name"],
                    *(c["name"] for c in station["contacts"]),
                    *(c.get("duty") or "" for c in station["contacts"])]
    for person in people:
        entered += [person["name"], person["current_city"], person.get("enterprise") or ""]
    entered += [task["notes"] for task in tasks]
    entered += [text for c in contacts for text in (c["notes"], c.get("with_whom") or "")]
    entered += [u["username"] for u in users if u.get("username")]
    for item in projects:
        project = item["project"]
        # A project's source is a station's id, named by the station on every page.
        entered += [project["name"], project["founder"], project.get("withdrawn_reason") or ""]
    entered += ["场地已另作他用", "创业者决定留在杭州"]
    return sorted({text for text in entered if text}, key=len, reverse=True)


def offending(text: str, locale: str, entered: list[str]) -> list[str]:
    for typed in entered:
        text = text.replace(typed, " ")
    words = set(LATIN_WORD.findall(text))
    found = sorted(word for word in words if word in CODES and ("_" in word or locale == "zh"))
    if locale == "zh":
        found += sorted(word for word in words - LATIN_IN_CHINESE if word not in found)
    else:
        found += sorted(set(CJK.findall(text)))
    return found


@pytest.fixture(scope="module")
def a_proposal(browser: Any, stack: Stack, tokens: dict[str, Any],
               accounts: dict[str, Any]) -> dict[str, Any]:
    """A project proposed to a park, so that the pages have something to show."""
    context = browser.new_context(base_url=stack.portal_url, locale="zh-CN")
    page = context.new_page()
    page.goto("/login")
    log_in(page, accounts["staff"]["username"], accounts["staff"]["password"])
    url = submit(page, "汉服制版工作室")
    context.close()
    return proposed_park(stack, tokens, url)


@pytest.fixture(scope="module")
def people_of_the_city(stack: Stack, tokens: dict[str, Any]) -> dict[str, str]:
    """The records the pages of people open: a station, a person with contacts, and one whom
    the demo station head's station knows."""
    headers = {"Authorization": f"Bearer {tokens['staff']}"}
    with httpx.Client(base_url=stack.portal_url, headers=headers, timeout=30) as client:
        contacted = client.get("/api/v1/people", params={
            "sort": "least_recently_contacted", "limit": 1000}).json()["items"]
        heads = client.get("/api/v1/users", headers={
            "Authorization": f"Bearer {tokens['admin']}"}, params={"limit": 1000}).json()["items"]
        station = next(user["station_id"] for user in heads if user["role"] == "station")
        known = client.get("/api/v1/people", params={"station_id": station, "limit": 1}
                           ).json()["items"]
    person = next(p for p in reversed(contacted) if p["last_contact_on"])
    return {"station": station, "person": person["id"], "station_person": known[0]["id"]}


def pages_of(role: str, proposal: dict[str, Any], people: dict[str, str]
             ) -> list[tuple[str, str]]:
    park, project = proposal["park_id"], proposal["project_id"]
    station, person = people["station"], people["person"]
    return {
        "staff": [("not-found", "/projects/no-such-project"), ("projects", "/projects"), ("new-project", "/projects/new"),
                  ("project", f"/projects/{project}"), ("edit-project", f"/projects/{project}/edit"),
                  ("parks", "/parks"), ("park", f"/parks/{park}"), ("chains", "/chains"),
                  ("park-chains", f"/chains?park_id={park}"), ("plans", "/plans"),
                  ("account", "/account"), ("stations", "/stations"),
                  ("station", f"/stations/{station}"), ("new-station", "/stations/new"),
                  ("people", "/people"), ("quiet-people", "/people?quiet=on&consent=yes"),
                  ("person", f"/people/{person}"), ("edit-person", f"/people/{person}/edit"),
                  ("contact-form", f"/people/{person}/contacts/new"),
                  ("erase-person", f"/people/{person}/erase"), ("import-people", "/people/import"),
                  ("tasks", "/tasks"), ("overdue-tasks", "/tasks?view=overdue"),
                  ("all-tasks", "/tasks?view=all"), ("task-form", f"/tasks/new?person_id={person}"),
                  ("park-leads", f"/parks/{park}/leads")],
        "manager": [("proposals", "/proposals"), ("proposal-page", f"/proposals/{proposal['id']}"),
                    ("my-park", f"/parks/{park}"), ("my-chains", f"/chains?park_id={park}"),
                    ("inbox", "/inbox"), ("preferences", "/account/notifications")],
        "admin": [("users", "/admin/users"), ("new-user", "/admin/users/new"),
                  ("edit-user", "/admin/users/heze-staff"), ("new-park", "/admin/parks/new"),
                  ("edit-park", f"/admin/parks/{park}/edit"), ("dead-letters", "/admin/dead-letters"),
                  ("channels", "/admin/channels"), ("new-channel", "/admin/channels/new"),
                  ("deliveries", "/admin/deliveries")],
        "leader": [("dashboard", "/dashboard"), ("leader-chains", "/chains"),
                   ("leader-project", f"/projects/{project}"), ("leader-park", f"/parks/{park}"),
                   ("leader-stations", "/stations"), ("leader-station", f"/stations/{station}")],
        "station": [("my-station", f"/stations/{station}"), ("station-people", "/people"),
                    ("station-person", f"/people/{people['station_person']}")],
    }[role]


@pytest.mark.parametrize("role", ["staff", "manager", "admin", "leader", "station"])
def test_every_page_fits_a_phone_and_speaks_one_language(
        role: str, open_page: Callable[..., Page], accounts: dict[str, Any], stack: Stack,
        tokens: dict[str, Any], a_proposal: dict[str, Any],
        people_of_the_city: dict[str, str]) -> None:
    account = (accounts["managers"][a_proposal["park_id"]] if role == "manager"
               else accounts[role])
    entered = typed_by_people(stack, tokens, [people_of_the_city["person"],
                                              people_of_the_city["station_person"]])
    wrong: dict[str, list[str]] = {}
    for form in ("desktop", "phone"):
        page = open_page(form)
        for locale in ("en", "zh"):  # the sign-in page, in each language, before signing in
            page.goto(f"/lang/{locale}?next=/login")
            if found := offending(page.evaluate(READABLE_TEXT), locale, []):
                wrong[f"{locale} /login"] = found
        screenshot(page, "sign-in")
        log_in(page, account["username"], account["password"])
        for locale in ("zh", "en"):
            page.goto(f"/lang/{locale}?next=/")
            for name, path in pages_of(role, a_proposal, people_of_the_city):
                answer = page.goto(path)
                expected = 404 if name == "not-found" else 200
                assert answer is not None and answer.status == expected, f"{path}: {answer and answer.status}"
                if form == "phone":
                    assert_no_sideways_scroll(page)
                if locale == "zh":
                    screenshot(page, name)
                text = page.evaluate(READABLE_TEXT)
                if found := offending(text, locale, entered):
                    wrong[f"{locale} {path}"] = found
    assert not wrong, f"codes or the other language's words on pages: {wrong}"
