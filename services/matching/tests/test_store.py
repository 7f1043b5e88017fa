"""matching's planner and decisions on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from guiyan_contracts.matching import (
    AcceptProposal,
    GetPlacements,
    GetProjectHistory,
    GetProposal,
    ProposalOffered,
    RejectProposal,
)
from guiyan_contracts.refusals import Conflict
from guiyan_contracts.registry import ParkRegistered, ProjectSubmitted
from guiyan_eventing.outbox import OutboxMessage
from guiyan_matching.adapters.orm import ProjectRecord, ProposalRow
from guiyan_matching.config import MatchingSettings
from guiyan_matching.service_layer import handlers
from guiyan_matching.service_layer.planner import Planner

from .conftest import NOW, answer, live_proposals, park, project, record


async def test_pending_offers_hold_capacity_and_the_rest_is_unplaced(uow) -> None:
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=park("a", 500)),
           *(ProjectSubmitted(producer="t", tenant_id="heze", project=project(f"p{i}")) for i in range(3)))
    planner = Planner(uow, MatchingSettings(solver_time_limit_seconds=2))
    report = await planner.plan("heze")
    assert (report.offered, report.unplaced) == (2, 1)  # 2 × 200 m² fit in 500 m²
    assert (await planner.plan("heze")).offered == 0  # nothing moves, nothing is offered twice
    assert len(live_proposals(uow)) == 2
    with uow() as unit:
        placements = handlers.get_placements(GetPlacements(tenant_id="heze",
                                                           project_ids=["p0", "p1", "p2"]), unit)
    statuses = sorted(p.status for p in placements.placements)
    assert statuses == ["proposed", "proposed", "unplaced"]
    unplaced = next(p for p in placements.placements if p.status == "unplaced")
    reason = unplaced.unplaced_reason.en
    assert "outbid" in reason or "not enough room" in reason


async def test_a_rejection_frees_capacity_and_forbids_the_pair_for_good(uow) -> None:
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=park("a", 500)),
           ParkRegistered(producer="t", tenant_id="heze", park=park("b", 500, county="juye")),
           ProjectSubmitted(producer="t", tenant_id="heze", project=project("p0")))
    planner = Planner(uow, MatchingSettings(solver_time_limit_seconds=2))
    await planner.plan("heze")
    first = live_proposals(uow)[0]
    assert first.park_id == "a"  # the hometown park scores higher
    answer(uow, handlers.reject_proposal, RejectProposal(
        tenant_id="heze", proposal_id=first.id, decided_by="mgr-a", reason="场地已满"))
    await planner.plan("heze")
    (second,) = live_proposals(uow)
    assert second.park_id == "b"
    answer(uow, handlers.accept_proposal, AcceptProposal(
        tenant_id="heze", proposal_id=second.id, decided_by="mgr-b"))
    with pytest.raises(Conflict):
        answer(uow, handlers.reject_proposal, RejectProposal(
            tenant_id="heze", proposal_id=second.id, decided_by="mgr-b", reason="改主意"))
    with uow() as unit:
        subjects = [m.subject for m in unit.session.exec(select(OutboxMessage))
                    if ".proposal." in m.subject]
    assert subjects == ["guiyan.matching.proposal.offered.v2", "guiyan.matching.proposal.rejected.v2",
                        "guiyan.matching.proposal.offered.v2", "guiyan.matching.proposal.accepted.v2"]


def test_the_database_refuses_a_second_live_proposal_for_a_project(uow) -> None:
    def proposal(proposal_id: str) -> ProposalRow:
        return ProposalRow(id=proposal_id, tenant_id="heze", project_id="p0", project_name="p",
                           park_id="a", park_name="a", status="offered", chain_role="fill_gap",
                           score=1, explanation_zh="", explanation_en="", offered_at=NOW)

    with uow() as unit:
        unit.session.add(proposal("x1"))
        unit.commit()
    with uow() as unit, pytest.raises(IntegrityError):
        unit.session.add(proposal("x2"))
        unit.commit()


async def test_an_offer_is_stored_as_published_and_clears_its_projects_unplaced_reason(uow) -> None:
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=park("a", 500)),
           *(ProjectSubmitted(producer="t", tenant_id="heze", project=project(f"p{i}")) for i in range(3)))
    planner = Planner(uow, MatchingSettings(solver_time_limit_seconds=2))
    await planner.plan("heze")
    (left_out,) = {"p0", "p1", "p2"} - {row.project_id for row in live_proposals(uow)}
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=park("b", 500, county="juye")))
    await planner.plan("heze")
    with uow() as unit:
        reasons = unit.session.get(ProjectRecord, left_out)
        assert (reasons.unplaced_reason_zh, reasons.unplaced_reason_en,
                reasons.unplaced_reasons_json) == (None, None, None)
        published = [ProposalOffered.model_validate_json(m.payload).proposal
                     for m in unit.session.exec(select(OutboxMessage).order_by(OutboxMessage.position))
                     if m.subject == ProposalOffered.SUBJECT]
        assert published[-1].project_id == left_out
        stored = handlers.get_proposal(GetProposal(tenant_id="heze", proposal_id=published[-1].id), unit)
        assert stored == published[-1]
        history = handlers.project_history(GetProjectHistory(tenant_id="heze", project_id=left_out), unit)
    assert [entry.kind for entry in history.entries] == ["submitted", "unplaced", "offered"]
    assert history.entries[-1].proposal_id == published[-1].id


async def test_a_withdrawal_reason_stored_by_an_earlier_release_is_read_apart(uow) -> None:
    """That release joined the two languages into one string; this one keeps them apart."""
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=park("a", 500)),
           ProjectSubmitted(producer="t", tenant_id="heze", project=project("p0")))
    await Planner(uow, MatchingSettings(solver_time_limit_seconds=2)).plan("heze")
    (offer,) = live_proposals(uow)
    with uow() as unit:
        row = unit.session.get(ProposalRow, offer.id)
        row.status, row.withdraw_reason = "withdrawn", "项目已撤回：资金 / the project was withdrawn"
        unit.commit()
    with uow() as unit:
        reason = unit.matching.proposal("heze", offer.id).withdraw_reason
    assert (reason.zh, reason.en) == ("项目已撤回：资金", "the project was withdrawn")


async def test_an_offer_stores_what_it_charges_each_budget_year_and_the_plan_counts_it(uow) -> None:
    budgeted = park("a", 500).model_copy(update={"annual_subsidy_budget_yuan": 1_000_000})
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=budgeted),
           ProjectSubmitted(producer="t", tenant_id="heze", project=project("p0")))
    await Planner(uow, MatchingSettings(solver_time_limit_seconds=2), today=lambda: date(2027, 3, 1)
                  ).plan("heze")
    (offer,) = live_proposals(uow)
    charged = json.loads(offer.subsidy_by_year_json)
    assert list(charged) == ["subsidy_yuan:2027", "subsidy_yuan:2028", "subsidy_yuan:2029"]
    assert sum(charged.values()) == pytest.approx(offer.subsidy_yuan)
    with uow() as unit:
        held = unit.matching.held("heze")["a"]
    assert {r: held[r] for r in charged} == charged


def test_a_holding_stored_before_budgets_had_years_charges_its_total_to_three_years(uow) -> None:
    accepted_on = datetime(2025, 12, 31, 17, tzinfo=UTC)  # 2026 already in the city (UTC+8)
    with uow() as unit:
        unit.session.add(ProposalRow(
            id="old", tenant_id="heze", project_id="p0", project_name="p", park_id="a",
            park_name="a", status="accepted", chain_role="fill_gap", score=1, subsidy_yuan=90_000,
            explanation_zh="", explanation_en="", offered_at=NOW, decided_at=accepted_on))
        unit.commit()
    with uow() as unit:
        held = unit.matching.held("heze")["a"]
        use = unit.matching.proposal("heze", "old").use
    years = {"subsidy_yuan:2026": 90_000, "subsidy_yuan:2027": 90_000, "subsidy_yuan:2028": 90_000}
    assert {r: amount for r, amount in held.items() if ":" in r} == years
    assert {r: amount for r, amount in use.items() if ":" in r} == years
