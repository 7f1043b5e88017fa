"""A city's term across replicas: a claim takes the city only from an older lease revision, a
former leader's news of its solve never overwrites its successor's, a replica whose plans the
database refuses while it holds the lease says so, and a replica that lost a city's lease no
longer names it in its health."""

from __future__ import annotations

import asyncio

from sqlmodel import select

from guiyan_contracts.models import SolveProgress
from guiyan_eventing.outbox import OutboxMessage
from guiyan_matching.adapters.repository import SetAside
from guiyan_matching.config import MatchingSettings
from guiyan_matching.service_layer.planner import Planner

from .conftest import NOW


def claim(uow, term: str, revision: int) -> bool:
    with uow() as unit:
        claimed = unit.city_planning.claim("heze", term, revision)
        unit.commit()
    return claimed


def stored_term(uow) -> str | None:
    with uow() as unit:
        return unit.city_planning.term("heze")


def progress(plan_id: str) -> SolveProgress:
    return SolveProgress(plan_id=plan_id, tenant_id="heze", started_at=NOW, seconds=1.0,
                         time_limit_seconds=10.0, objective=None, bound=None, triggers_total=1)


def test_a_late_claim_of_an_older_lease_leaves_the_newer_leaders_term(uow) -> None:
    assert claim(uow, "a#5", 5)
    assert claim(uow, "b#9", 9)
    assert not claim(uow, "a#5", 5)  # waited in the queue while the lease passed on
    assert stored_term(uow) == "b#9"
    assert claim(uow, "a#12", 12)  # A's later tenure takes it back
    assert stored_term(uow) == "a#12"


async def test_a_replica_whose_claim_came_too_late_does_not_lead(uow) -> None:
    claim(uow, "b#9", 9)
    planner = Planner(uow, MatchingSettings())
    await planner.lead("heze", "a#5")
    assert stored_term(uow) == "b#9"
    with uow() as unit:
        assert unit.plan_queue.count("heze") == 0  # nothing asked of a city it does not plan


async def test_a_former_leader_neither_overwrites_nor_clears_its_successors_solve(uow) -> None:
    planner = Planner(uow, MatchingSettings())
    await planner.lead("heze", "a#5")
    claim(uow, "b#9", 9)  # A stalled past its lease; B leads now, solving
    with uow() as unit:
        unit.city_planning.note_solving("heze", progress("b-plan"))
        unit.commit()
    planner._tell("heze", "a#5", progress("a-plan"), None)
    planner._tell("heze", "a#5", None, None)  # the end of A's solve
    with uow() as unit:
        solving = unit.city_planning.solving("heze")
        published = list(unit.session.exec(select(OutboxMessage)))
    assert solving is not None and solving.plan_id == "b-plan"
    assert published == []


async def test_plans_refused_while_the_lease_is_held_here_are_a_problem(uow) -> None:
    planner = Planner(uow, MatchingSettings(plan_debounce_seconds=0.0, plan_poll_seconds=0.05))
    await planner.lead("heze", "a#5")
    claim(uow, "b#9", 9)  # the database has another leader, the lease bucket still says A
    running = asyncio.create_task(planner.run())
    try:
        async with asyncio.timeout(30):
            while not planner.problems():
                await asyncio.sleep(0.05)
    finally:
        running.cancel()
    [problem] = planner.problems()
    assert problem.city == "heze" and "a#5" in problem.reason


def test_a_city_whose_lease_is_lost_leaves_the_health_report() -> None:
    planner = Planner(lambda: None, MatchingSettings())
    planner._failed("heze", RuntimeError("the solver failed"))
    planner._note_set_aside("heze", [SetAside("project", "p0", "heze", "unreadable")])
    assert {problem.city for problem in planner.problems()} == {"heze"}
    planner.step_down("heze")
    assert planner.problems() == []
