"""`PUT /api/v1/parks/{id}` as the portal orders it, against a fake of the services: registry
checks the update first, matching then holds the park within it, registry commits; if registry
refuses after all, matching is told to let the park go."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import HTTPException

from guiyan_contracts import matching, registry
from guiyan_contracts.models import Park, Role
from guiyan_portal import access
from guiyan_portal.auth import mint_token
from guiyan_portal.config import PortalSettings
from guiyan_portal.entrypoints.app import create_app

SECRET = "a test secret of thirty-two bytes or more"
BODY = {"name": "单县返乡创业园", "kind": "return_home_park", "county": "shanxian",
        "sectors": ["agri_processing"], "floor_m2": 30000}


class Services:
    """Answers as registry and matching would, and remembers what it was asked, in order."""

    def __init__(self, refuse_commit: HTTPException | None = None) -> None:
        self.asked: list[Any] = []
        self.refuse_commit = refuse_commit

    async def ask(self, request: Any, result_type: type, **_: Any) -> Any:
        self.asked.append(request)
        if isinstance(request, registry.UpdatePark):
            if not request.validate_only and self.refuse_commit:
                raise self.refuse_commit
            return Park(id=request.park_id, tenant_id=request.tenant_id,
                        created_at="2026-11-01T00:00:00Z", **request.park.model_dump())
        return matching.ParkCommitments(park_id=request.park_id, accepted={})


async def put(services: Services) -> httpx.Response:
    app = create_app(PortalSettings(auth_secret=SECRET))
    app.dependency_overrides[access.gateway] = lambda: services
    token = mint_token(SECRET, "heze-admin", "heze", Role.admin)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://portal") as client:
        return await client.put("/api/v1/parks/shanxian-return-park", json=BODY,
                                headers={"Authorization": f"Bearer {token}"})


def kinds(services: Services) -> list[str]:
    return [("check" if getattr(r, "validate_only", False) else type(r).__name__)
            for r in services.asked]


async def test_registry_checks_before_matching_limits_and_registry_commits_last() -> None:
    services = Services()
    assert (await put(services)).status_code == 200
    assert kinds(services) == ["check", "LimitParkCapacity", "UpdatePark"]


@pytest.mark.parametrize("refusal", [HTTPException(422, [{"loc": ["park"], "msg": "no"}]),
                                     HTTPException(409, "taken meanwhile")])
async def test_a_refusal_after_the_limit_lets_the_park_go_again(refusal) -> None:
    services = Services(refuse_commit=refusal)
    assert (await put(services)).status_code == refusal.status_code
    assert kinds(services) == ["check", "LimitParkCapacity", "UpdatePark", "ReleaseParkLimit"]
    assert services.asked[-1].limit == services.asked[1].limit


async def test_no_answer_from_registry_keeps_the_limit_until_the_parks_next_update() -> None:
    services = Services(refuse_commit=HTTPException(503, "registry did not answer"))
    assert (await put(services)).status_code == 503
    assert kinds(services) == ["check", "LimitParkCapacity", "UpdatePark"]
