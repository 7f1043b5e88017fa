"""Continuous planning: whenever supply or demand changes, plan that city again.

One loop per process, so two solves never run at once; changes arriving within the debounce
window are planned together. Pending offers hold their capacity and are not re-planned.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from guiyan_optimiser import Solution, solve

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.matching import ProjectUnplaced, ProposalOffered
from guiyan_contracts.models import Project, ProposalStatus
from guiyan_contracts.taxonomy import Taxonomy, load_taxonomy

from ..adapters.orm import ProposalRow
from ..adapters.policies import load_policy
from ..adapters.repository import VERDICTS, to_contract
from ..adapters.unit_of_work import MatchingUnitOfWork
from ..config import MatchingSettings
from ..domain.planning import Offer, PlanInputs, Unplaced, decide, pairings, to_instance
from ..domain.policy import Policy

log = logging.getLogger(__name__)
PRODUCER = "matching"


@dataclass(frozen=True)
class PlanReport:
    tenant_id: str
    offered: int
    unplaced: int
    objective: float
    status: str


def load_inputs(uow: MatchingUnitOfWork, tenant_id: str, today: date) -> PlanInputs:
    return PlanInputs(
        parks=uow.matching.parks(tenant_id),
        open_projects=[Project.model_validate_json(r.snapshot_json)
                       for r in uow.matching.open_projects(tenant_id)],
        held=uow.matching.held(tenant_id),
        forbidden=uow.matching.rejected_pairs(tenant_id),
        today=today,
    )


def record_offer(uow: MatchingUnitOfWork, offer: Offer) -> None:
    pairing = offer.pairing
    if uow.matching.has_live_proposal(pairing.project.id):
        return  # decided elsewhere since the plan read its inputs
    row = ProposalRow(
        id=str(uuid.uuid4()), tenant_id=pairing.project.tenant_id,
        project_id=pairing.project.id, project_name=pairing.project.name,
        park_id=pairing.park.id, park_name=pairing.park.name, status=ProposalStatus.offered,
        chain_role=pairing.role, score=pairing.score,
        floor_m2=pairing.use.get("floor_m2", 0), land_mu=pairing.use.get("land_mu", 0),
        slots=pairing.use.get("slots", 0), subsidy_yuan=round(pairing.use.get("subsidy_yuan", 0), 2),
        explanation_zh=offer.explanation_zh, explanation_en=offer.explanation_en,
        explanation_json=offer.explanation.model_dump_json(), offered_at=utc_now())
    uow.matching.add_proposal(row)
    record = uow.matching.project_record(pairing.project.id)
    if record is not None:
        record.unplaced_reason_zh = record.unplaced_reason_en = record.unplaced_reasons_json = None
    uow.emit(ProposalOffered(producer=PRODUCER, tenant_id=row.tenant_id, proposal=to_contract(row),
                             manager_ids=pairing.park.manager_ids,
                             submitted_by=pairing.project.submitted_by))


def record_unplaced(uow: MatchingUnitOfWork, unplaced: Unplaced) -> None:
    record = uow.matching.project_record(unplaced.project.id)
    if record is None:
        return
    newly_unplaced = record.unplaced_reason_en is None
    record.unplaced_reason_zh, record.unplaced_reason_en = unplaced.reason_zh, unplaced.reason_en
    record.unplaced_reasons_json = VERDICTS.dump_json(unplaced.verdicts).decode()
    if newly_unplaced:  # staff hear once; later plans only refresh the reason
        uow.emit(ProjectUnplaced(producer=PRODUCER, tenant_id=record.tenant_id,
                                 project_id=unplaced.project.id,
                                 project_name=unplaced.project.name,
                                 submitted_by=unplaced.project.submitted_by,
                                 reason_zh=unplaced.reason_zh, reason_en=unplaced.reason_en,
                                 reasons=unplaced.verdicts))


class Planner:
    def __init__(self, unit_of_work: Callable[[], MatchingUnitOfWork], settings: MatchingSettings,
                 today: Callable[[], date] = date.today) -> None:
        self._unit_of_work = unit_of_work
        self._settings = settings
        self._today = today
        self._pending: set[str] = set()
        self._wake = asyncio.Event()

    def request(self, tenant_id: str) -> None:
        self._pending.add(tenant_id)
        self._wake.set()

    async def run(self) -> None:
        with self._unit_of_work() as uow:  # catch up on whatever changed while we were down
            self._pending.update(uow.matching.tenants())
        while True:
            if not self._pending:
                self._wake.clear()
                await self._wake.wait()
            await asyncio.sleep(self._settings.plan_debounce_seconds)
            tenants, self._pending = self._pending, set()
            for tenant_id in sorted(tenants):
                try:
                    await self.plan(tenant_id)
                except Exception:
                    log.exception("planning %s failed; it will be retried", tenant_id)
                    self._pending.add(tenant_id)
                    await asyncio.sleep(1.0)

    async def plan(self, tenant_id: str) -> PlanReport:
        with self._unit_of_work() as uow:
            inputs = load_inputs(uow, tenant_id, self._today())
        if not inputs.open_projects:
            return PlanReport(tenant_id, 0, 0, 0.0, "optimal")
        # Rules, solve and explanations are CPU work: off the event loop, so replies and acks
        # keep flowing while a city is planned.
        offers, unplaced, solution = await asyncio.to_thread(
            self._decide, inputs, load_taxonomy(tenant_id), load_policy(tenant_id))
        with self._unit_of_work() as uow:
            for offer in offers:
                record_offer(uow, offer)
            for project in unplaced:
                record_unplaced(uow, project)
            uow.commit()
        log.info("planned %s: %d offered, %d unplaced, objective %.0f (%s, %.2fs)", tenant_id,
                 len(offers), len(unplaced), solution.objective, solution.status, solution.seconds)
        return PlanReport(tenant_id, len(offers), len(unplaced), solution.objective, solution.status)

    def _decide(self, inputs: PlanInputs, taxonomy: Taxonomy,
                policy: Policy) -> tuple[list[Offer], list[Unplaced], Solution]:
        eligible, excluded = pairings(inputs, taxonomy, policy)
        solution = solve(to_instance(inputs, eligible), self._settings.solver_time_limit_seconds,
                         self._settings.solver_workers)
        offers, unplaced = decide(inputs, eligible, excluded, solution, policy)
        return offers, unplaced, solution
