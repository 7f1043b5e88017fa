"""matching's metrics: proposals by state, read from its tables when Prometheus scrapes
(`Service.gauge_from_database`), and each plan's solve, counted as it is written."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlmodel import Session, func, select

from guiyan_contracts.models import Plan
from guiyan_eventing.metrics import Sample

from .orm import ProposalRow

# From a small city's fraction of a second to a province's solve at its time limit.
SOLVE_SECONDS_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300)


def proposals_by_state(session: Session) -> list[Sample]:
    """(city, state) → how many proposals."""
    rows = session.exec(select(ProposalRow.tenant_id, ProposalRow.status, func.count())
                        .group_by(ProposalRow.tenant_id, ProposalRow.status))
    return [((city, state), count) for city, state, count in rows]


class PlanMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self._solve_seconds = Histogram(
            "guiyan_matching_plan_solve_seconds", "How long each plan's solve took",
            ["city"], buckets=SOLVE_SECONDS_BUCKETS, registry=registry)
        self._gap = Gauge(
            "guiyan_matching_plan_gap_ratio",
            "The last plan's optimality gap: (bound − objective) / bound, 0 when proven optimal",
            ["city"], registry=registry)
        self._plans = Counter(
            "guiyan_matching_plans", "Plans written, by the solver's status", ["city", "status"],
            registry=registry)

    def planned(self, plan: Plan) -> None:
        self._solve_seconds.labels(plan.tenant_id).observe(plan.solve_seconds)
        self._gap.labels(plan.tenant_id).set(plan.gap_pct / 100)
        self._plans.labels(plan.tenant_id, plan.status).inc()
