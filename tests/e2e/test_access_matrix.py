"""Every cell of the access matrix (`access_matrix.py`), sent to a running system of two cities:
each endpoint, as each kind of caller, on a resource of the caller's city and of the other."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from guiyan_contracts.models import Role
from guiyan_contracts.registry import ProjectSubmitted
from guiyan_devstack.stack import Stack
from guiyan_portal.auth import mint_token
from guiyan_receivers import WebhookReceiver

from .access_matrix import (
    BAD_TOKENS,
    CALLERS,
    EMPTY_FORM,
    MATRIX,
    OTHER_CITY_ROLES,
    Row,
    rewritten,
)
from .conftest import Api, eventually, person, project, publish, station

HEZE, JINING = "heze", "jining"
PARK, OTHER_PARK = "caoxian-hanfu-park", "juye-chemical-park"
JINING_PARK = {"id": "jining-matrix-park", "name": "济宁汉服产业园", "kind": "return_home_park",
               "county": "caoxian", "sectors": ["textiles_apparel"], "floor_m2": 50_000,
               "manager_ids": ["jining-mgr"]}
SECURITY_PAGE = Path(__file__).parents[2] / "docs" / "security.md"


def token(stack: Stack, user: str, city: str, role: Role) -> str:
    return mint_token(stack.config.auth_secret, user, city, role)


def as_user(stack: Stack, user: str, city: str, role: Role) -> Api:
    return Api(stack.portal_url, token(stack, user, city, role))


def project_fields(view: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in view.items() if k not in (
        "id", "tenant_id", "submitted_by", "submitted_at", "updated_at", "withdrawn_at",
        "withdrawn_reason")}


def park_fields(park: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in park.items() if k not in ("id", "tenant_id", "created_at")}


def station_fields(found: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in found.items() if k not in ("id", "tenant_id", "created_at",
                                                        "updated_at")}


def person_fields(found: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in found.items() if k not in (
        "id", "tenant_id", "created_at", "updated_at", "last_contact_on", "project_ids")}


def task_fields(found: dict[str, Any]) -> dict[str, Any]:
    return {k: found[k] for k in ("person_id", "assignee_id", "due_on", "notes", "lead")}


def channels_of(admin: Api, park_id: str, receiver: WebhookReceiver) -> dict[str, Any]:
    """A webhook of the park's, signed with a secret its receiver does not know, so that each
    offer's delivery fails (a refusal is not retried); and a channel deleted already."""
    body = {"kind": "webhook", "name": "矩阵回调", "park_id": park_id, "url": receiver.url}
    channel = admin.post("/api/v1/channels", {**body, "secret": "not the receiver's"},
                         expect=201)
    deleted = admin.post("/api/v1/channels", {**body, "name": "矩阵旧回调", "secret": "s"},
                         expect=201)["id"]
    assert admin.client.delete(f"/api/v1/channels/{deleted}").status_code == 200
    return {"channel": channel["id"], "channel_body": body, "deleted_channel": deleted}


def resources_of(stack: Stack, city: str, park_id: str, manager: Api,
                 receiver: WebhookReceiver) -> dict[str, Any]:
    """A park with its webhook, a project proposed to it, two of its proposals, a project to
    withdraw, a plan, a dead letter, the notification the manager got of an offer and a failed
    delivery of it, all of `city`."""
    admin = as_user(stack, f"{city}-admin", city, Role.admin)
    staff = as_user(stack, f"{city}-staff", city, Role.staff)
    channels = channels_of(admin, park_id, receiver)
    own_station = admin.post("/api/v1/stations", station(id=f"{city}-matrix-station"),
                             expect=201)  # a station id is one across cities: each has its own
    submitted = [staff.post("/api/v1/projects", project(name=f"矩阵工坊{n}",
                                                        source=own_station["id"]),
                            expect=202)["id"] for n in range(4)]

    def offered_here() -> list[dict[str, Any]]:
        offers = manager.items("/api/v1/proposals", status="offered")
        return [p for p in offers if p["project_id"] in submitted]

    mine = eventually(lambda: len(found := offered_here()) >= 2 and found)
    publish(stack, ProjectSubmitted.SUBJECT, [json.dumps({"tenant_id": city}).encode()])
    letters = eventually(lambda: admin.items("/api/v1/dead-letters"))
    user = f"{city}-matrix-user"  # one who signs in, for an admin to change and reset
    admin.post("/api/v1/users", {"id": user, "name": "矩阵", "role": "staff", "username": user,
                                 "password": "matrix-password-1"}, expect=201)
    admin.post("/api/v1/users", {"id": f"{city}-station", "name": "矩阵站长", "role": "station",
                                 "station_id": own_station["id"]}, expect=201)
    someone = admin.post("/api/v1/people", person(station_id=own_station["id"]), expect=201)
    erased = admin.post("/api/v1/people", person(name="矩阵已删除"), expect=201)["id"]
    assert admin.client.delete(f"/api/v1/people/{erased}").status_code == 200
    task = admin.post("/api/v1/tasks", {"person_id": someone["id"], "assignee_id": f"{city}-staff",
                                        "due_on": "2026-12-31"}, expect=201)
    return {
        **channels,
        "notification": eventually(lambda: manager.items("/api/v1/inbox"))[0]["id"],
        "delivery": eventually(lambda: admin.items(
            f"/api/v1/channels/{channels['channel']}/deliveries"))[0]["id"],
        "user": user,
        "station": own_station["id"], "station_body": station_fields(own_station),
        "person": someone["id"], "person_body": person_fields(someone),
        "erased": erased, "task": task["id"], "task_body": task_fields(task),
        "park": park_id, "park_body": park_fields(admin.get(f"/api/v1/parks/{park_id}")),
        "project": mine[0]["project_id"],
        "project_body": project_fields(admin.get(f"/api/v1/projects/{mine[0]['project_id']}")
                                       ["project"]),
        "accept": mine[0]["id"], "reject": mine[1]["id"],
        "withdraw": next(p for p in submitted if p not in {m["project_id"] for m in mine[:2]}),
        "plan": eventually(lambda: admin.items("/api/v1/plans"))[0]["id"],
        "letter": letters[0]["stream_sequence"],
    }


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver("the receiver's own secret") as running:
        yield running


@pytest.fixture(scope="module")
def world(scratch: Stack, receiver: WebhookReceiver) -> dict[str, dict[str, Any]]:
    stack = scratch
    jining_admin = as_user(stack, "jining-admin", JINING, Role.admin)
    for user, role in (("jining-admin", "admin"), ("jining-staff", "staff"),
                       ("jining-mgr", "park_manager")):
        jining_admin.post("/api/v1/users", {"id": user, "name": user, "role": role}, expect=201)
    jining_admin.post("/api/v1/parks", JINING_PARK, expect=201)
    return {
        HEZE: resources_of(stack, HEZE, PARK, as_user(stack, f"mgr-{PARK}", HEZE,
                                                    Role.park_manager), receiver),
        JINING: resources_of(stack, JINING, JINING_PARK["id"],
                             as_user(stack, "jining-mgr", JINING, Role.park_manager), receiver),
    }


def bad_token(stack: Stack, kind: str) -> str | None:
    secret = stack.config.auth_secret
    claims = {"sub": "heze-admin", "tenant": HEZE, "role": "admin", "exp": 4102444800}
    return {
        "none": None,
        "forged": jwt.encode(claims, "another secret, 32 bytes or longer!", algorithm="HS256"),
        "expired": mint_token(secret, "heze-admin", HEZE, Role.admin, timedelta(seconds=-5)),
        "alg none": jwt.encode(claims, None, algorithm="none"),
        "HS512": jwt.encode(claims, secret, algorithm="HS512"),
        "unknown city": mint_token(secret, "heze-admin", "atlantis", Role.admin),
    }[kind]


def caller_token(stack: Stack, caller: str) -> tuple[str | None, str]:
    """The caller's token, and the city whose resources are its own."""
    if caller in BAD_TOKENS:
        return bad_token(stack, caller), HEZE
    if caller in OTHER_CITY_ROLES:
        role = caller.removeprefix("other city's ")
        user, kind = {"staff": ("jining-staff", Role.staff), "admin": ("jining-admin", Role.admin),
                      "manager": ("jining-mgr", Role.park_manager)}[role]
        return token(stack, user, JINING, kind), JINING
    user, kind = {"staff": ("heze-staff", Role.staff), "admin": ("heze-admin", Role.admin),
                  "leader": ("heze-leader", Role.leader),
                  "park's manager": (f"mgr-{PARK}", Role.park_manager),
                  "other park's manager": (f"mgr-{OTHER_PARK}", Role.park_manager),
                  "unregistered manager": ("mgr-nobody", Role.park_manager),
                  "station": ("heze-station", Role.station)}[caller]
    return token(stack, user, HEZE, kind), HEZE


def request(entry: Row, target: dict[str, Any]) -> tuple[str, str, dict | None]:
    """The cell's method, path and body, for the resources of `target`."""
    path = entry.path.replace(" (of {park})", "")
    for name in ("park", "project", "plan", "letter", "user", "station", "person", "erased",
                 "task", "channel", "deleted_channel", "notification", "delivery"):
        path = path.replace(f"{{{name}}}", str(target[name]))
    path = path.replace("{service}", "matching").replace("{locale}", "en")
    if "{proposal}" in path:
        path = path.replace("{proposal}", target["accept" if path.endswith("accept") else "reject"])
    if path.endswith("/withdraw"):
        path = path.replace(str(target["project"]), target["withdraw"])
    body = {
        "/api/v1/users": {"id": f"matrix-{uuid.uuid4().hex[:8]}", "name": "矩阵", "role": "staff"},
        "/api/v1/parks": {**JINING_PARK, "id": f"matrix-{uuid.uuid4().hex[:8]}",
                          "sectors": ["biomedicine"], "manager_ids": []},
        "/api/v1/projects": project(name="矩阵新项目", source=target["station"]),
        "/api/v1/plans/preview": {"changes": [{"park_id": target["park"], "floor_m2": 100}]},
        "/api/v1/me/password": {"current_password": "not-the-password",
                                "new_password": "matrix-password-2"},
        f"/api/v1/users/{target['user']}/password": {"new_password": "matrix-password-2"},
        "/api/v1/stations": station(name=f"矩阵站{uuid.uuid4().hex[:6]}"),
        "/api/v1/people": person(name="矩阵新人"),
        f"/api/v1/people/{target['person']}/contacts": {"method": "call", "on": "2026-11-02"},
        "/api/v1/tasks": {**target["task_body"], "due_on": "2027-01-31"},
        "/api/v1/channels": {**target["channel_body"], "name": f"矩阵{uuid.uuid4().hex[:6]}",
                             "secret": "s"},
        "/api/v1/inbox/read": {"item_ids": None},
        "/api/v1/preferences": {"items": [{"kind": "proposal_accepted", "media": ["inbox"]}]},
    }.get(path)
    if path.startswith("/api/v1/users/") and entry.method == "PUT":
        body = {"name": "矩阵", "role": "staff"}
    elif entry.method == "PUT" and body is None:
        kind = path.split("/")[3]  # parks, projects, stations, people, tasks, channels
        body = target[{"parks": "park_body", "projects": "project_body",
                       "stations": "station_body", "people": "person_body",
                       "tasks": "task_body", "channels": "channel_body"}[kind]]
    elif path.endswith(("/withdraw", "/reject")):
        body = {"reason": "矩阵"}
    return entry.method, path, body


def statuses(stack: Stack, world: dict, entry: Row, caller: str) -> str:
    bearer, own = caller_token(stack, caller)
    other = JINING if own == HEZE else HEZE
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    targets = [own, other] if entry.of_a_resource else [own]
    found = []
    for city in targets:
        method, path, body = request(entry, world[city])
        if path.startswith("/api/"):
            sent: dict[str, Any] = {"json": body, "headers": headers}
        else:  # a web page: its form posted empty
            sent = {"headers": {**headers, **(EMPTY_FORM if method == "POST" else {})}}
        response = httpx.request(method, f"{stack.portal_url}{path}", timeout=30, **sent)
        found.append(str(response.status_code))
    return " · ".join(found)


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("entry", MATRIX, ids=lambda entry: entry.operation)
def test_every_caller_gets_the_status_the_access_matrix_gives(scratch, world, entry: Row):
    seen = {caller: statuses(scratch, world, entry, caller) for caller in CALLERS}
    expected = {caller: entry.expected(caller) for caller in CALLERS}
    assert seen == expected


def test_the_access_documentation_is_the_matrix() -> None:
    page = SECURITY_PAGE.read_text("utf-8")
    assert page == rewritten(page), "run `make docs` and commit docs/security.md"
