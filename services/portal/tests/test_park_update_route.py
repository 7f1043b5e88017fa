"""`PUT /api/v1/parks/{id}` as the portal orders it, against a fake of the services: registry
checks the update first, matching then holds the park within it, registry commits; if registry
refuses after all, matching is told to let the park go."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from guiyan_contracts import matching, registry
from guiyan_contracts.envelope import ErrorBody
from guiyan_contracts.models import Park, Role
from guiyan_contracts.refusals import Conflict, Invalid, NotFound
from guiyan_eventing.rpc import RemoteError

from .fakes import FakeGateway, Portal, token
from .two_cities import NOW, PARK_FIELDS


def services(refuse_commit: Exception | None = None) -> FakeGateway:
    """Registry and matching agreeing to every update, but registry's commit refused so."""

    def update(request: registry.UpdatePark) -> Park:
        if not request.validate_only and refuse_commit:
            raise refuse_commit
        return Park(id=request.park_id, tenant_id=request.tenant_id, created_at=NOW,
                    **request.park.model_dump())

    commitments = matching.ParkCommitments(park_id="shanxian-return-park", accepted={})
    def no_such_user(request: registry.GetUser) -> registry.UserView:
        raise NotFound(f"no user {request.user_id}")  # the token's own, as the first admin's

    return FakeGateway({registry.GetUser.SUBJECT: no_such_user,
                        registry.UpdatePark.SUBJECT: update,
                        matching.LimitParkCapacity.SUBJECT: commitments,
                        matching.ReleaseParkLimit.SUBJECT: commitments})


async def put(fake: FakeGateway) -> httpx.Response:
    return await Portal(fake).request("PUT", "/api/v1/parks/shanxian-return-park",
                                      token("heze-admin", "heze", Role.admin), PARK_FIELDS)


def changes(fake: FakeGateway) -> list[Any]:
    """What the route asked, the caller's own look-up aside."""
    return [r for r in fake.asked if not isinstance(r, registry.GetUser)]


def kinds(fake: FakeGateway) -> list[str]:
    return [("check" if getattr(r, "validate_only", False) else type(r).__name__)
            for r in changes(fake)]


async def test_registry_checks_before_matching_limits_and_registry_commits_last() -> None:
    fake = services()
    assert (await put(fake)).status_code == 200
    assert kinds(fake) == ["check", "LimitParkCapacity", "UpdatePark"]


@pytest.mark.parametrize(("refusal", "status"), [(Invalid.at(["park"], "no"), 422),
                                                 (Conflict("taken meanwhile"), 409)])
async def test_a_refusal_after_the_limit_lets_the_park_go_again(refusal: Any, status: int):
    fake = services(refuse_commit=refusal)
    assert (await put(fake)).status_code == status
    assert kinds(fake) == ["check", "LimitParkCapacity", "UpdatePark", "ReleaseParkLimit"]
    assert changes(fake)[-1].limit == changes(fake)[1].limit


async def test_no_answer_from_registry_keeps_the_limit_until_the_parks_next_update() -> None:
    fake = services(refuse_commit=RemoteError(ErrorBody(kind="unavailable",
                                                        message="registry did not answer")))
    assert (await put(fake)).status_code == 503
    assert kinds(fake) == ["check", "LimitParkCapacity", "UpdatePark"]
