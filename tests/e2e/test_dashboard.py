"""The dashboard's figures equal counts taken from the stores: after projects are submitted,
planned and one accepted, every figure of `GET /api/v1/stats/*` against what the lists and
each park's occupancy say, and each Excel download against its JSON."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from guiyan_devstack import demo
from guiyan_devstack.stack import Stack

from .conftest import Api, eventually, project

STATUSES = ("submitted", "proposed", "placed", "unplaced", "withdrawn")
CITY_TIME = timedelta(hours=8)  # Heze's months are UTC+8's


@pytest.fixture(scope="module")
def as_role(scratch: Stack) -> Callable[[str], Api]:
    """The roles on the scratch system: the accepted offer below would otherwise make its park
    host the link, and change the chain role other tests' projects get on the shared one."""
    issued = demo.tokens(scratch.config.auth_secret)
    return lambda role: Api(scratch.portal_url, issued["managers"].get(role) or issued[role])


@pytest.fixture(scope="module")
def decided(as_role) -> str:
    """Three projects of a tag of their own, planned, and the first offer among them accepted."""
    staff, admin, tag = as_role("staff"), as_role("admin"), uuid.uuid4().hex[:8]
    for suffix, overrides in (("甲", {"jobs": 9}), ("乙", {"jobs": 31, "source": "yiwu"}),
                              ("丙", {"hometown_county": "juye"})):
        staff.post("/api/v1/projects", project(name=f"{tag}{suffix}", **overrides), expect=202)
    eventually(lambda: len(items := staff.get("/api/v1/projects", q=tag)["items"]) == 3 and all(
        view["placement"]["status"] != "submitted" for view in items), timeout=60)
    offer = eventually(lambda: admin.get("/api/v1/proposals", q=tag, status="offered")["items"])
    admin.post(f"/api/v1/proposals/{offer[0]['id']}/accept")
    return tag


def settled(read: Any) -> Any:
    """`read()` once it gives the same twice running: no plan moved anything in between."""
    last: list[Any] = [None]

    def steady() -> Any:
        now = read()
        same, last[0] = now == last[0], now
        return now if same else None

    return eventually(steady, timeout=60, every=0.5)


def from_lists(admin) -> dict[str, Any]:
    projects = admin.items("/api/v1/projects", limit=1000)
    proposals = admin.items("/api/v1/proposals", limit=500)
    return {"projects": projects, "proposed": len({p["project_id"] for p in proposals}),
            "totals": {status: admin.get("/api/v1/projects", status=status, limit=1)["total"]
                       for status in STATUSES}}


def test_the_funnel_equals_the_counts_of_the_lists(decided, as_role) -> None:
    leader, admin = as_role("leader"), as_role("admin")
    funnel, lists = settled(lambda: (leader.get("/api/v1/stats/funnel"), from_lists(admin)))
    totals = lists["totals"]
    stages = {stage["key"]: stage["projects"] for stage in funnel["stages"]}
    assert stages == {"submitted": len(lists["projects"]), "proposed": lists["proposed"],
                      "placed": totals["placed"]}
    assert {s["key"]: s["projects"] for s in funnel["statuses"]} == totals
    assert funnel["placement_rate"] == pytest.approx(totals["placed"] / len(lists["projects"]))
    assert totals["placed"] >= 1


def grouped(projects: list[dict], key: Any) -> dict[str, tuple[int, int, float, int]]:
    groups: dict[str, list[int | float]] = defaultdict(lambda: [0, 0, 0.0, 0])
    for view in projects:
        if view["placement"]["status"] == "withdrawn":
            continue
        group = groups[key(view["project"])]
        group[0] += 1
        group[1] += view["placement"]["status"] == "placed"
        group[2] += view["project"]["investment_yuan"]
        group[3] += view["project"]["jobs"]
    return {name: (int(a), int(b), pytest.approx(c), int(d)) for name, (a, b, c, d) in groups.items()}


def month(moment: str) -> str:
    return f"{datetime.fromisoformat(moment.replace('Z', '+00:00')) + CITY_TIME:%Y-%m}"


KEYS = {"sector": lambda p: p["sector"], "source": lambda p: p["source"],
        "county": lambda p: p["hometown_county"], "month": lambda p: month(p["submitted_at"])}


@pytest.mark.parametrize("by", KEYS)
def test_each_breakdown_equals_the_project_list_grouped(decided, as_role, by) -> None:
    leader, admin = as_role("leader"), as_role("admin")
    found, projects = settled(lambda: (leader.get("/api/v1/stats/breakdown", by=by),
                                       admin.items("/api/v1/projects", limit=1000)))
    assert {row["key"]: (row["projects"], row["placed"], row["investment_yuan"], row["jobs"])
            for row in found["rows"]} == grouped(projects, KEYS[by])
    if by in ("sector", "county"):  # codes of the taxonomy are named, never shown
        assert all(row["label"] != row["key"] for row in found["rows"])


def test_every_parks_use_equals_its_occupancy(decided, as_role) -> None:
    leader, admin = as_role("leader"), as_role("admin")

    def both() -> tuple[dict, dict]:
        found = leader.get("/api/v1/stats/parks")
        return found, {park["park_id"]: admin.get(f"/api/v1/parks/{park['park_id']}/occupancy")
                       for park in found["parks"]}

    found, occupancy = settled(both)
    assert len(found["parks"]) == admin.get("/api/v1/parks")["total"]
    for park in found["parks"]:
        fields = ("resource", "capacity", "accepted", "offered", "free")
        assert [{f: room[f] for f in fields} for room in park["resources"]] == \
            occupancy[park["park_id"]]["resources"]


def test_the_latest_plans_and_the_unplaced_equal_the_plan_list(decided, as_role) -> None:
    leader, admin = as_role("leader"), as_role("admin")
    found, plans, unplaced = settled(lambda: (
        leader.get("/api/v1/stats/plans"), admin.get("/api/v1/plans", limit=10)["items"],
        admin.get("/api/v1/projects", status="unplaced", limit=1)["total"]))
    assert [(p["id"], p["objective"], p["bound"], p["unplaced"]) for p in found["plans"]] == \
        [(p["id"], p["objective"], p["bound"], p["unplaced"]) for p in plans]
    assert found["unplaced"] == unplaced
    assert all(reason["projects"] <= unplaced for reason in found["reasons"])


def test_each_figure_downloads_as_a_workbook_of_the_same_numbers(decided, as_role) -> None:
    leader = as_role("leader")
    response = leader.client.get("/api/v1/stats/breakdown", params={"by": "sector",
                                                                   "format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("产业", "项目", "已落地", "投资额（元）", "吸纳就业")
    assert sheet.freeze_panes == "A2"
    found = leader.get("/api/v1/stats/breakdown", by="sector")["rows"]
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        (row["label"], row["projects"], round(row["investment_yuan"])) for row in found]
    for figure in ("funnel", "parks", "plans"):
        got = leader.client.get(f"/api/v1/stats/{figure}", params={"format": "xlsx"})
        assert got.status_code == 200 and got.content[:2] == b"PK"  # a zip, as xlsx is


def test_a_leader_reads_everything_and_changes_nothing(decided, as_role) -> None:
    leader = as_role("leader")
    assert leader.get("/api/v1/projects", q=decided)["total"] == 3
    assert leader.get("/api/v1/proposals", q=decided)["total"] >= 1
    refused = leader.client.post("/api/v1/projects", json=project(name=f"{decided}丁"))
    assert refused.status_code == 403
    assert leader.get("/api/v1/projects", q=decided)["total"] == 3
