"""The proposal's transitions and the capacity rules, without I/O: one test pair per rule where
a rule can hold or not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from guiyan_contracts.models import Bilingual, ChainRole, ProposalStatus
from guiyan_contracts.refusals import Conflict
from guiyan_matching.domain.proposal import (
    PLANNER,
    LapsedOffer,
    Proposal,
    held,
    offers_beyond,
    overbooked,
)

NOW = datetime(2026, 11, 1, 9, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


def offer(proposal_id: str = "o1", floor_m2: float = 200, score: float = 10,
          status: ProposalStatus = ProposalStatus.offered, expires_in: timedelta = timedelta(days=7)
          ) -> Proposal:
    return Proposal(id=proposal_id, tenant_id="heze", project_id=f"p-{proposal_id}",
                    project_name="汉服工作室", park_id="a", park_name="曹县返乡创业园",
                    status=status, score=score, chain_role=ChainRole.fill_gap,
                    use={"floor_m2": floor_m2, "land_mu": 0.0, "slots": 0.0, "subsidy_yuan": 0.0},
                    explanation_zh="", explanation_en="", explanation=None, offered_at=NOW,
                    expires_at=NOW + expires_in)


ROOM = {"floor_m2": 500.0}
GONE = Bilingual(zh="项目已撤回", en="the project was withdrawn")


def test_an_offer_accepted_within_the_room_is_accepted_with_one_step() -> None:
    proposal = offer()
    assert proposal.accept("mgr-a", LATER, ROOM, accepted=[offer("o0", 300)], year=2026)
    assert proposal.status == ProposalStatus.accepted and proposal.decided_by == "mgr-a"
    assert [(s.kind, s.actor, s.at) for s in proposal.steps] == [("accepted", "mgr-a", LATER)]


def test_an_accept_that_would_overbook_the_park_is_refused_and_changes_nothing() -> None:
    proposal = offer()
    with pytest.raises(Conflict, match=r"overbook.*floor_m2 by 1"):
        proposal.accept("mgr-a", LATER, ROOM, accepted=[offer("o0", 301)], year=2026)
    assert proposal.status == ProposalStatus.offered and proposal.steps == []


def budgeted_offer(proposal_id: str, by_year: dict[int, float]) -> Proposal:
    proposal = offer(proposal_id)
    proposal.use |= {f"subsidy_yuan:{year}": yuan for year, yuan in by_year.items()}
    return proposal


def test_an_offer_accepted_in_a_later_year_charges_its_shares_from_that_year() -> None:
    proposal = budgeted_offer("o1", {2026: 50_000, 2027: 20_000, 2028: 20_000})
    room = ROOM | {"subsidy_yuan:2027": 100_000, "subsidy_yuan:2028": 100_000,
                   "subsidy_yuan:2029": 100_000}
    assert proposal.accept("mgr-a", LATER, room, accepted=[], year=2027)
    assert {r: yuan for r, yuan in proposal.use.items() if r.startswith("subsidy_yuan:")} == {
        "subsidy_yuan:2027": 50_000, "subsidy_yuan:2028": 20_000, "subsidy_yuan:2029": 20_000}


def test_an_accept_over_one_years_budget_is_refused() -> None:
    proposal = budgeted_offer("o1", {2026: 50_000, 2027: 20_000})
    placed = budgeted_offer("o0", {2026: 10_000, 2027: 90_000})
    room = ROOM | {"subsidy_yuan:2026": 100_000, "subsidy_yuan:2027": 100_000}
    with pytest.raises(Conflict, match=r"overbook.*subsidy_yuan:2027 by 10000"):
        proposal.accept("mgr-a", LATER, room, accepted=[placed], year=2026)
    assert proposal.status == ProposalStatus.offered and "subsidy_yuan:2026" in proposal.use


def test_the_same_decision_again_answers_as_the_first_without_a_step() -> None:
    proposal = offer(status=ProposalStatus.accepted)
    assert not proposal.accept("mgr-a", LATER, ROOM, accepted=[], year=2026)
    assert proposal.steps == []


def test_a_decision_on_a_withdrawn_offer_is_refused_saying_why() -> None:
    proposal = offer()
    proposal.withdraw(GONE, "staff", NOW)
    with pytest.raises(Conflict, match="withdrawn: the project was withdrawn"):
        proposal.reject("mgr-a", LATER, "场地已满")


def test_a_decision_on_a_lapsed_offer_expires_it_and_the_refusal_keeps_the_expiry() -> None:
    proposal = offer(expires_in=timedelta(minutes=30))
    with pytest.raises(LapsedOffer, match="expired at 2026-11-01 09:30") as refused:
        proposal.accept("mgr-a", LATER, ROOM, accepted=[], year=2026)
    assert refused.value.keeps_changes
    assert proposal.status == ProposalStatus.expired and proposal.decided_by == PLANNER
    assert [s.kind for s in proposal.steps] == ["expired"]


def test_an_offer_within_its_time_has_not_lapsed_and_a_decided_one_never_does() -> None:
    assert not offer().lapsed(LATER)
    assert not offer(status=ProposalStatus.accepted, expires_in=timedelta(0)).lapsed(LATER)


def test_a_rejection_keeps_its_reason_in_the_proposal_and_its_step() -> None:
    proposal = offer()
    assert proposal.reject("mgr-a", LATER, "场地已满")
    assert proposal.reject_reason == "场地已满" and proposal.steps[-1].detail == "场地已满"


def test_a_reminder_is_a_step_but_changes_no_status() -> None:
    proposal = offer()
    proposal.remind(NOW)
    assert proposal.status == ProposalStatus.offered and proposal.reminded_at == NOW
    assert proposal.steps[-1].kind == "reminded"


def test_an_accepted_placement_is_withdrawn_when_its_project_leaves() -> None:
    proposal = offer(status=ProposalStatus.accepted)
    proposal.withdraw(GONE, "staff", LATER)
    assert proposal.status == ProposalStatus.withdrawn and not proposal.live


def test_the_contract_states_the_proposal_as_it_is() -> None:
    contract = offer().as_contract()
    assert contract.status == ProposalStatus.offered and contract.park_name == "曹县返乡创业园"


def test_held_sums_each_resource_and_overbooked_names_only_what_is_short() -> None:
    both = [offer("o1", 200), offer("o2", 350)]
    assert held(both)["floor_m2"] == 550
    assert overbooked(ROOM, both) == {"floor_m2": 50}
    assert overbooked(ROOM, both[:1]) == {}


def test_offers_beyond_the_room_go_lowest_score_first_and_accepted_never() -> None:
    placed = offer("o0", 300, score=1, status=ProposalStatus.accepted)
    low, high = offer("o1", 200, score=5), offer("o2", 200, score=9)
    going = offers_beyond({"floor_m2": 520}, [placed, low, high])
    assert [(p.id, short) for p, short in going] == [("o1", ["floor_m2"])]
    assert offers_beyond({"floor_m2": 700}, [placed, low, high]) == []
