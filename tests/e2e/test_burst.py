"""A burst of 1,000 submissions, on a stack of its own with the default debounce window: the
planner solves a few times, bounded by time rather than by submissions, and every project ends
up offered or unplaced with its reason."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import pytest

from guiyan_devstack import demo, load
from guiyan_devstack.stack import Stack
from guiyan_matching.config import MatchingSettings

from ..system import running_stack
from .conftest import Api, eventually

BURST = 1000


@pytest.fixture(scope="module")
def calm(tmp_path_factory: pytest.TempPathFactory,
         postgres_database: Callable[[], str] | None) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("burst"), postgres_database, {}) as running:
        yield running


def test_a_burst_of_1000_submissions_is_planned_in_a_few_solves(calm: Stack) -> None:
    token = demo.tokens(calm.config.auth_secret)["staff"]
    staff = Api(calm.portal_url, token)
    started = time.monotonic()
    burst = asyncio.run(load.submit(calm.portal_url, token, load.projects("heze", BURST), 20))
    assert [s.status for s in burst] == [202] * BURST

    def settled() -> bool:
        page = staff.get("/api/v1/projects", limit=BURST)
        return page["total"] == BURST and all(view["placement"]["status"] != "submitted"
                                              for view in page["items"])

    # A plan reads every open project when it starts, so it may place projects whose changes
    # came in after its batch was taken; those changes are counted by the plan that follows.
    def accounted() -> bool:
        return sum(p["triggers_total"] for p in staff.items("/api/v1/plans", limit=500)) >= BURST

    eventually(settled, timeout=180, every=1.0)
    eventually(accounted, timeout=60, every=1.0)
    took = time.monotonic() - started
    plans = staff.items("/api/v1/plans", limit=500)
    # Each plan waits out the window first, so however fast projects come, plans cannot
    # outnumber the windows that fit in the burst.
    window = MatchingSettings().plan_debounce_seconds
    assert len(plans) <= took / window + 1, (len(plans), took)
