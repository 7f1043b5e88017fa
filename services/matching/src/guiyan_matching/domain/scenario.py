"""A city scenario (`guiyan-scenario/1`): parks, projects and what is already held, as staff enter
them. `guiyan compile` turns one into a solver instance through the same rules the service uses."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Literal

from pydantic import Field

from guiyan_contracts.envelope import Contract
from guiyan_contracts.models import (
    SUBSIDY_BUDGET,
    Id,
    Park,
    ParkFields,
    Project,
    ProjectFields,
    Resource,
)

from .budgets import legacy_charges
from .planning import PlanInputs
from .proposal import added

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # stands in for record times a scenario does not have


class ScenarioPark(ParkFields):
    id: Id


class ScenarioProject(ProjectFields):
    id: Id


class Pair(Contract):
    project: Id
    park: Id


class Scenario(Contract):
    format: Literal["guiyan-scenario/1"]
    city: str = "heze"
    today: date
    parks: list[ScenarioPark]
    projects: list[ScenarioProject]
    # By accepted and pending offers: each year's budget as `subsidy_yuan:<year>`; a bare
    # `subsidy_yuan`, as scenarios held it before budgets had years, is a holding from `today`.
    held: dict[Id, dict[Resource, float]] = Field(default_factory=dict)
    rejected: list[Pair] = Field(default_factory=list)  # never offered again


def scenario_errors(scenario: Scenario) -> list[str]:
    """References a scenario's own fields cannot check: duplicate and unknown ids."""
    errors = []
    for kind, ids in (("park", [p.id for p in scenario.parks]),
                      ("project", [p.id for p in scenario.projects])):
        errors += [f"duplicate {kind} id {i!r}" for i, n in Counter(ids).items() if n > 1]
    parks = {p.id for p in scenario.parks}
    projects = {p.id for p in scenario.projects}
    errors += [f"held: unknown park {park!r}" for park in scenario.held if park not in parks]
    for index, pair in enumerate(scenario.rejected):
        if pair.project not in projects:
            errors.append(f"rejected[{index}]: unknown project {pair.project!r}")
        if pair.park not in parks:
            errors.append(f"rejected[{index}]: unknown park {pair.park!r}")
    return errors


def plan_inputs(scenario: Scenario) -> PlanInputs:
    return PlanInputs(
        parks=[Park(**p.model_dump(), tenant_id=scenario.city, created_at=EPOCH)
               for p in scenario.parks],
        open_projects=[Project(**p.model_dump(), tenant_id=scenario.city, submitted_by="scenario",
                               submitted_at=EPOCH) for p in scenario.projects],
        held={park: added({r: amount for r, amount in use.items() if r != SUBSIDY_BUDGET},
                          legacy_charges(use.get(SUBSIDY_BUDGET, 0.0), scenario.today.year))
              for park, use in scenario.held.items()},
        forbidden=frozenset((pair.project, pair.park) for pair in scenario.rejected),
        today=scenario.today,
    )
