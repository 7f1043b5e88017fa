"""Replicas share one PostgreSQL database: a decision on a proposal locks it as it reads it, so
two at once on two replicas never both take; the second waits, then sees the first."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from guiyan_contracts.matching import AcceptProposal, RejectProposal
from guiyan_contracts.refusals import Conflict
from guiyan_contracts.registry import ParkRegistered, ProjectSubmitted
from guiyan_matching.config import MatchingSettings
from guiyan_matching.service_layer import handlers
from guiyan_matching.service_layer.planner import Planner

from .conftest import answer, live_proposals, park, project, record

WAITING_ON_A_LOCK = text("SELECT count(*) FROM pg_stat_activity "
                         "WHERE wait_event_type = 'Lock' AND datname = current_database()")


def until_one_waits_on_a_lock(uow) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with uow() as probe:
            if probe.session.execute(WAITING_ON_A_LOCK).scalar_one():
                return
        time.sleep(0.02)
    raise AssertionError("the second decision never waited for the first")


async def test_an_accept_waits_for_a_rejection_under_way_and_is_refused(uow, database_url) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite runs one write at a time: nothing to race")
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=park("a", 500)),
           ProjectSubmitted(producer="t", tenant_id="heze", project=project("p0")))
    await Planner(uow, MatchingSettings(solver_time_limit_seconds=2)).plan("heze")
    (offer,) = live_proposals(uow)
    with ThreadPoolExecutor(1) as other_replica:
        with uow() as rejecting:
            handlers.reject_proposal(RejectProposal(tenant_id="heze", proposal_id=offer.id,
                                                    decided_by="mgr-a", reason="场地已满"),
                                     rejecting)
            accepting = other_replica.submit(answer, uow, handlers.accept_proposal, AcceptProposal(
                tenant_id="heze", proposal_id=offer.id, decided_by="mgr-a"))
            await asyncio.to_thread(until_one_waits_on_a_lock, uow)
            rejecting.commit()
        with pytest.raises(Conflict):
            accepting.result(timeout=30)
    assert live_proposals(uow) == []
