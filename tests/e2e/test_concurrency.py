"""No overbooking under concurrency, on real NATS: 50 accepts, rejects and repeated decisions race
each other while an admin shrinks and grows the parks they compete for. Accepted space never
exceeds what registry says a park has, every decision answers 200 or 409, and each proposal ends
in exactly the state its successful decisions say."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from typing import Any

import httpx

from .conftest import Api, eventually, project

FACILITY = "clean_room"  # only these parks have it, so these projects go nowhere else
PARKS = [{"id": f"e2e-race-{name}", "name": f"测试洁净园{name}", "kind": "return_home_park",
          "county": "caoxian", "sectors": ["textiles_apparel"], "floor_m2": 2400,
          "facilities": [FACILITY]} for name in ("a", "b")]
PROJECTS, FLOOR = 20, 200  # 4,000 m² offered across 4,800 m²
# Floor space each park is set to while the decisions run; below what is accepted, a 409.
CAPACITY_STEPS = [("a", 1200), ("b", 800), ("a", 600), ("b", 2000), ("a", 400), ("b", 1400),
                  ("a", 1800), ("b", 200)]


def decisions(offers: list[dict[str, Any]], rng: random.Random) -> list[tuple[str, str]]:
    """50 decisions, shuffled: 10 offers accepted twice, 5 accepted twice and rejected once, and
    5 rejected three times."""
    ids = [o["id"] for o in offers]
    chosen = [("accept", i) for i in ids[:15] for _ in range(2)] \
        + [("reject", i) for i in ids[10:15]] + [("reject", i) for i in ids[15:] for _ in range(3)]
    rng.shuffle(chosen)
    return chosen


async def race(base_url: str, token: str, planned: list[tuple[str, str]],
               park_fields: dict[str, dict[str, Any]]) -> tuple[list, list]:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as client:
        async def decide(verb: str, proposal_id: str) -> tuple[str, str, httpx.Response]:
            body = {"reason": "园区已无合适空间"} if verb == "reject" else None
            return verb, proposal_id, await client.post(
                f"/api/v1/proposals/{proposal_id}/{verb}", json=body)

        async def resize() -> list[tuple[str, float, httpx.Response]]:
            answers = []
            for name, floor in CAPACITY_STEPS:
                park_id = f"e2e-race-{name}"
                fields = park_fields[park_id] | {"floor_m2": floor}
                answers.append((park_id, floor, await client.put(f"/api/v1/parks/{park_id}",
                                                                 json=fields)))
                await asyncio.sleep(0.02)
            return answers

        resized, *decided = await asyncio.gather(resize(), *(decide(v, p) for v, p in planned))
    return decided, resized


def test_fifty_concurrent_decisions_never_overbook_while_capacities_change(as_role, stack,
                                                                           tokens) -> None:
    admin, staff = as_role("admin"), as_role("staff")
    for park in PARKS:
        admin.post("/api/v1/parks", park, expect=201)
    for index in range(PROJECTS):
        staff.post("/api/v1/projects", project(id=f"e2e-race-{index}", name=f"洁净{index}",
                                               floor_m2=FLOOR, required_facilities=[FACILITY]), expect=202)

    def ours(status: str) -> list[dict[str, Any]]:
        return [o for p in PARKS for o in admin.items("/api/v1/proposals", park_id=p["id"],
                                                     status=status)
                if o["project_id"].startswith("e2e-race-")]

    offers = eventually(lambda: (found := ours("offered")) and len(found) == PROJECTS and found)
    planned = decisions(offers, random.Random(4))
    assert len(planned) == 50
    fields = {p["id"]: {k: v for k, v in p.items() if k != "id"} for p in PARKS}
    decided, resized = asyncio.run(race(stack.portal_url, tokens["admin"], planned, fields))

    assert all(r.status_code in (200, 409) for *_, r in decided), \
        [r.text for *_, r in decided if r.status_code not in (200, 409)]
    for _, _, response in resized:
        assert response.status_code in (200, 409), response.text
        if response.status_code == 409:
            assert "accepted placements" in response.json()["detail"]

    # Each proposal ends as its successful decisions say, and never both accepted and rejected.
    succeeded: dict[str, set[str]] = defaultdict(set)
    for _, proposal_id, response in decided:
        if response.status_code == 200:
            succeeded[proposal_id].add(response.json()["status"])
    final = {o["id"]: admin.get(f"/api/v1/proposals/{o['id']}")["status"] for o in offers}
    for proposal_id, statuses in succeeded.items():
        assert len(statuses) == 1, (proposal_id, statuses)
        assert final[proposal_id] == statuses.pop()

    # Accepted space never exceeds what registry now says each park has; once matching has heard
    # of the last update, offers and placements together fit too.
    accepted = ours("accepted")
    assert accepted and any(r.status_code == 409 for *_, r in decided)
    for park in PARKS:
        floor = admin.get(f"/api/v1/parks/{park['id']}")["floor_m2"]
        used = FLOOR * sum(o["park_id"] == park["id"] for o in accepted)
        assert used <= floor, (park["id"], used, floor)
        eventually(lambda park_id=park["id"], floor=floor: held(admin, park_id) <= floor)


def held(admin: Api, park_id: str) -> float:
    return FLOOR * sum(len(admin.items("/api/v1/proposals", park_id=park_id, status=status))
                       for status in ("offered", "accepted"))
