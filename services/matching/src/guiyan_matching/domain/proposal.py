"""A proposal: the offer of one park to one project, and what may happen to it.

offered → accepted | rejected | expired | withdrawn, and accepted → withdrawn when the project
itself leaves. Every step is recorded on the proposal as a `Step` (its events, in the manner of
an aggregate): the service layer writes each into the project's history and publishes it.

An offer holds the park's resources it would use (`use`) from the moment it is made, so that no
two offers promise the same room; an accepted placement holds them for good. Its subsidy is held
as each budget year's charge (domain/budgets.py), from the year of the plan that made it, moved
to the year of acceptance if that is later. The capacity rules below say when what the live
proposals of a park hold no longer fits its room.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from guiyan_contracts import models
from guiyan_contracts.models import (
    SUBSIDY_BUDGET,
    Bilingual,
    ChainRole,
    Explanation,
    ProposalStatus,
)
from guiyan_contracts.refusals import Conflict

from .budgets import starting_in, subsidy_total
from .planning import Offer

# Held by every proposal, each a column of its own; the budget years it charges come beside them.
RESOURCES = ("floor_m2", "land_mu", "slots", SUBSIDY_BUDGET)
LIVE = (ProposalStatus.offered, ProposalStatus.accepted)  # they hold their park's room
EPSILON = 1e-9  # what decimal sums may overshoot by and still fit
PLANNER = "matching"  # the actor of what happens to a proposal on its own: expiry, reminders


class LapsedOffer(Conflict):
    """A decision on an offer that lapsed before the expiry sweep came by: the offer is expired
    as the decision is refused, and the expiry stands (it is time's doing, not the request's)."""

    keeps_changes = True


@dataclass(frozen=True)
class Step:
    """One thing that happened to a proposal: `kind` is its new status, or `reminded`."""

    kind: str
    actor: str
    at: datetime
    detail: str | None = None


@dataclass(eq=False)
class Proposal:
    id: str
    tenant_id: str
    project_id: str
    project_name: str
    park_id: str
    park_name: str
    status: ProposalStatus
    score: float
    chain_role: ChainRole
    # The park's resources it holds: those in RESOURCES (its whole subsidy among them) and the
    # charge to each budget year.
    use: dict[str, float]
    explanation_zh: str
    explanation_en: str
    explanation: Explanation | None
    offered_at: datetime
    expires_at: datetime | None = None
    plan_id: str | None = None
    reminded_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    reject_reason: str | None = None
    withdraw_reason: Bilingual | None = None
    steps: list[Step] = field(default_factory=list)  # since it was read; written, then cleared

    @classmethod
    def offer(cls, offer: Offer, *, plan_id: str, now: datetime, ttl: timedelta) -> Proposal:
        """A plan's offer, open for `ttl`."""
        pairing = offer.pairing
        proposal = cls(
            id=str(uuid.uuid4()), tenant_id=pairing.project.tenant_id,
            project_id=pairing.project.id, project_name=pairing.project.name,
            park_id=pairing.park.id, park_name=pairing.park.name, status=ProposalStatus.offered,
            score=pairing.score, chain_role=pairing.role, use=_held_by_offer(pairing.use),
            explanation_zh=offer.explanation_zh, explanation_en=offer.explanation_en,
            explanation=offer.explanation, offered_at=now, expires_at=now + ttl, plan_id=plan_id)
        proposal.steps.append(Step("offered", PLANNER, now))
        return proposal

    @property
    def live(self) -> bool:
        return self.status in LIVE

    def lapsed(self, now: datetime) -> bool:
        """An offer past its expiry, whether or not the sweep has expired it yet."""
        return self.status == ProposalStatus.offered and self.expires_at is not None \
            and self.expires_at <= now

    def accept(self, by: str, now: datetime, room: Mapping[str, float],
               accepted: Iterable[Proposal], year: int) -> bool:
        """Accepting makes the held room permanent, and never overbooks the park: `room` is its
        capacity now for a commitment starting in `year`, the year of acceptance, to which the
        commitment's budget years move; `accepted` the placements already there. Whether
        anything changed (the same decision again answers as the first)."""
        if not self.decidable(ProposalStatus.accepted, now):
            return False
        use = starting_in(self.use, year)
        if over := excess(room, added(held(accepted), use)):
            short = ", ".join(f"{resource} by {amount:g}" for resource, amount in over.items())
            raise Conflict(f"accepting proposal {self.id} would overbook {self.park_name}: {short}")
        self.use = use
        self._decided(ProposalStatus.accepted, by, now)
        return True

    def reject(self, by: str, now: datetime, reason: str | None) -> bool:
        """Rejecting frees the room and forbids the pair for good. Whether anything changed."""
        if not self.decidable(ProposalStatus.rejected, now):
            return False
        self.reject_reason = reason
        self._decided(ProposalStatus.rejected, by, now, reason)
        return True

    def remind(self, now: datetime) -> None:
        """Once, before the offer lapses."""
        self.reminded_at = now
        self.steps.append(Step("reminded", PLANNER, now, f"expires at {self.expires_at}"))

    def expire(self, now: datetime) -> None:
        self.status, self.decided_at, self.decided_by = ProposalStatus.expired, now, PLANNER
        self.steps.append(Step("expired", PLANNER, now))

    def withdraw(self, reason: Bilingual, by: str, now: datetime) -> None:
        """The project changed or left, the park shrank, or a new plan moved the offer."""
        self.status, self.decided_at, self.decided_by = ProposalStatus.withdrawn, now, by
        self.withdraw_reason = reason
        self.steps.append(Step("withdrawn", by, now, reason.en))

    def decidable(self, outcome: ProposalStatus, now: datetime) -> bool:
        """Whether a decision for `outcome` is to be taken: False if `outcome` is already the
        proposal's status (the same decision again answers as the first). Only an offered
        proposal can be decided: a late decision is a conflict that says why (the offer expired,
        or was withdrawn), and an offer found lapsed is expired on the way."""
        if self.status == outcome:
            return False
        if self.lapsed(now):
            self.expire(now)
            raise LapsedOffer(f"{self._why_not()}; it can no longer be {outcome.value}")
        if self.status != ProposalStatus.offered:
            raise Conflict(f"{self._why_not()}; it can no longer be {outcome.value}")
        return True

    def _decided(self, outcome: ProposalStatus, by: str, now: datetime,
                 detail: str | None = None) -> None:
        self.status, self.decided_at, self.decided_by = outcome, now, by
        self.steps.append(Step(outcome.value, by, now, detail))

    def _why_not(self) -> str:
        if self.status == ProposalStatus.expired and self.expires_at is not None:
            return f"proposal {self.id} expired at {self.expires_at:%Y-%m-%d %H:%M} UTC"
        if self.status == ProposalStatus.withdrawn:
            reason = self.withdraw_reason.en if self.withdraw_reason else "no reason kept"
            return f"proposal {self.id} was withdrawn: {reason}"
        return f"proposal {self.id} is {self.status.value}"

    def as_contract(self) -> models.Proposal:
        return models.Proposal(
            id=self.id, tenant_id=self.tenant_id, project_id=self.project_id,
            project_name=self.project_name, park_id=self.park_id, park_name=self.park_name,
            status=self.status, score=self.score, chain_role=self.chain_role,
            subsidy_yuan=self.use[SUBSIDY_BUDGET], explanation_zh=self.explanation_zh,
            explanation_en=self.explanation_en, explanation=self.explanation,
            offered_at=self.offered_at, decided_at=self.decided_at, decided_by=self.decided_by,
            reject_reason=self.reject_reason, expires_at=self.expires_at,
            withdraw_reason=self.withdraw_reason, plan_id=self.plan_id)



def _held_by_offer(use: Mapping[str, float]) -> dict[str, float]:
    """Every resource of RESOURCES named; each year's charge in whole fen, as the offer states
    it, and the whole subsidy their sum."""
    years = {resource: round(amount, 2) for resource, amount in use.items()
             if resource not in RESOURCES}
    held = {resource: float(use.get(resource, 0)) for resource in RESOURCES}
    return held | years | {SUBSIDY_BUDGET: round(subsidy_total(years), 2)}


def held(proposals: Iterable[Proposal]) -> dict[str, float]:
    """What the proposals hold together, per resource (every one of RESOURCES named)."""
    total = dict.fromkeys(RESOURCES, 0.0)
    for proposal in proposals:
        total = added(total, proposal.use)
    return total


def added(held: Mapping[str, float], use: Mapping[str, float]) -> dict[str, float]:
    return {resource: held.get(resource, 0.0) + use.get(resource, 0.0)
            for resource in [*held, *(r for r in use if r not in held)]}


def excess(room: Mapping[str, float], held: Mapping[str, float]) -> dict[str, float]:
    """Per resource, how far `held` exceeds `room` (`rules.capacity` of a park, which names only
    the resources the park has, and only the budget years still to come)."""
    return {r: held.get(r, 0.0) - total for r, total in room.items()
            if held.get(r, 0.0) > total + EPSILON}


def overbooked(room: Mapping[str, float], proposals: Iterable[Proposal]) -> dict[str, float]:
    """Per resource, how far what `proposals` hold together exceeds `room`."""
    return excess(room, held(proposals))


def offers_beyond(room: Mapping[str, float], live: list[Proposal]
                  ) -> list[tuple[Proposal, list[str]]]:
    """The pending offers to withdraw, lowest score first, until what the park's live proposals
    hold fits its `room`, each with the resources that were short when it went. Accepted
    placements are agreements, and are never among them."""
    offered = sorted((p for p in live if p.status == ProposalStatus.offered),
                     key=lambda p: p.score)
    staying, going = list(live), []
    while offered and (over := overbooked(room, staying)):
        proposal = offered.pop(0)
        going.append((proposal, list(over)))
        staying.remove(proposal)
    return going
