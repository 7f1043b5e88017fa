"""Offers with a short time to live, on a stack of their own: the manager is reminded, the offer
expires, a late accept gets 409 with the reason, and the project goes into the next plan."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from guiyan_devstack import demo

from ..system import running_stack
from .conftest import Api, eventually, project
from .test_flow import inbox_has, placement

TTL_SECONDS = 6


@pytest.fixture(scope="module")
def short_lived(tmp_path_factory: pytest.TempPathFactory,
                postgres_database: Callable[[], str] | None) -> Iterator[Callable[[str], Api]]:
    with running_stack(tmp_path_factory.mktemp("expiry"), postgres_database, {
            "PLAN_DEBOUNCE_SECONDS": "0.1", "ACK_WAIT_SECONDS": "5",
            "OFFER_TTL_SECONDS": str(TTL_SECONDS), "OFFER_REMINDER_SECONDS": "4",
            "EXPIRY_SWEEP_SECONDS": "0.5"}) as running:
        tokens: dict[str, Any] = demo.tokens(running.config.auth_secret)
        yield lambda role: Api(running.portal_url, tokens["managers"].get(role) or tokens[role])


def test_an_undecided_offer_is_reminded_expires_and_its_project_is_planned_again(short_lived) -> None:
    staff = short_lived("staff")
    submitted = staff.post("/api/v1/projects", project(), expect=202)
    first = eventually(lambda: placement(staff, submitted["id"], "proposed"))["placement"]["proposal"]
    manager = short_lived(first["park_id"])
    eventually(lambda: inbox_has(manager, "proposal_reminded", first["id"]))
    eventually(lambda: inbox_has(manager, "proposal_expired", first["id"]), timeout=TTL_SECONDS + 20)

    late = manager.client.post(f"/api/v1/proposals/{first['id']}/accept")
    assert late.status_code == 409 and "expired" in late.json()["detail"]

    def offered_again() -> dict[str, Any] | None:
        view = placement(staff, submitted["id"], "proposed")
        return view if view and view["placement"]["proposal"]["id"] != first["id"] else None

    eventually(offered_again)
    kinds = [e["kind"] for e in staff.get(f"/api/v1/projects/{submitted['id']}/history")["entries"]]
    assert kinds[:5] == ["submitted", "offered", "reminded", "expired", "offered"]
