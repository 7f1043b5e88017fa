"""Writing what happened to proposals: their new state, a history entry for each step, and the
event each step publishes to the people it concerns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from guiyan_contracts import matching as events
from guiyan_contracts.envelope import Event
from guiyan_contracts.models import HistoryEntry

from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.proposal import Proposal, Step
from . import PRODUCER


@dataclass(frozen=True)
class Audience:
    """Who hears of a proposal's steps: the park's managers and the staff who submitted it."""

    manager_ids: list[str]
    submitted_by: str


def record(uow: MatchingUnitOfWork, proposal: Proposal, correlation_id: str | None = None) -> None:
    """A proposal read and changed in this transaction."""
    uow.matching.save(proposal)
    announce(uow, [proposal], lambda p: _audience(uow, p), correlation_id)


def announce(uow: MatchingUnitOfWork, proposals: Sequence[Proposal],
             audience: Callable[[Proposal], Audience], correlation_id: str | None = None) -> None:
    """Each proposal's steps into its project's history and onto the bus, in one statement each
    for all of them (a plan announces hundreds of offers); then the steps are done."""
    entries, published = [], []
    for proposal in proposals:
        for step in proposal.steps:
            entries.append((proposal.tenant_id, proposal.project_id, history_entry(proposal, step)))
            published.append(_event(proposal, step, audience(proposal), correlation_id))
        proposal.steps.clear()
    uow.matching.add_histories(entries)
    uow.emit_all(published)


def history_entry(proposal: Proposal, step: Step) -> HistoryEntry:
    return HistoryEntry(at=step.at, kind=step.kind, actor=step.actor, proposal_id=proposal.id,
                        park_id=proposal.park_id, park_name=proposal.park_name,
                        plan_id=proposal.plan_id, detail=step.detail)


def _audience(uow: MatchingUnitOfWork, proposal: Proposal) -> Audience:
    return Audience(uow.matching.manager_ids(proposal.park_id),
                    uow.matching.submitted_by(proposal.project_id))


def _event(proposal: Proposal, step: Step, audience: Audience, correlation_id: str | None
           ) -> Event:
    common = {"producer": PRODUCER, "tenant_id": proposal.tenant_id,
              "proposal": proposal.as_contract()}
    managers, submitter = {"manager_ids": audience.manager_ids}, \
        {"submitted_by": audience.submitted_by}
    match step.kind:
        case "offered":
            return events.ProposalOffered(**common, **managers, **submitter)
        case "accepted":
            return events.ProposalAccepted(**common, **submitter, correlation_id=correlation_id)
        case "rejected":
            return events.ProposalRejected(**common, **submitter, correlation_id=correlation_id)
        case "reminded":
            return events.ProposalReminded(**common, **managers)
        case "expired":
            return events.ProposalExpired(**common, **managers, **submitter)
        case "withdrawn":
            return events.ProposalWithdrawn(**common, **managers, **submitter)
    raise ValueError(f"no event for a proposal's step {step.kind!r}")
