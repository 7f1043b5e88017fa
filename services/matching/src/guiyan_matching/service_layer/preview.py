"""What-if: the city's next plan with some parks' capacities changed, set beside the plan as it
is. Nothing is stored or offered; the planner solves both and these functions compare them."""

from __future__ import annotations

from dataclasses import replace

from guiyan_optimiser import Solution

from guiyan_contracts.matching import ParkChange, PlanPreview, PreviewOffer, PreviewOutcome
from guiyan_contracts.refusals import NotFound

from ..domain.planning import Offer, PlanInputs, Unplaced


def changed(inputs: PlanInputs, changes: list[ParkChange]) -> PlanInputs:
    """The inputs with each change's capacities in place of its park's own."""
    by_park = {change.park_id: change for change in changes}
    if unknown := sorted(by_park.keys() - {park.id for park in inputs.parks}):
        raise NotFound(f"no park {', '.join(unknown)} in this city")
    parks = [park.model_copy(update=by_park[park.id].model_dump(exclude={"park_id"},
                                                                  exclude_none=True))
             if park.id in by_park else park for park in inputs.parks]
    return replace(inputs, parks=parks)


def outcome(offers: list[Offer], unplaced: list[Unplaced], solution: Solution) -> PreviewOutcome:
    return PreviewOutcome(
        status=solution.status, objective=solution.objective, bound=solution.bound,
        solve_seconds=solution.seconds,
        offers=[PreviewOffer(project_id=o.pairing.project.id, project_name=o.pairing.project.name,
                             park_id=o.pairing.park.id, park_name=o.pairing.park.name,
                             score=o.pairing.score, chain_role=o.pairing.role) for o in offers],
        unplaced_project_ids=[u.project.id for u in unplaced])


def compare(changes: list[ParkChange], current: PreviewOutcome,
            what_if: PreviewOutcome) -> PlanPreview:
    def only_in(plan: PreviewOutcome, other: PreviewOutcome) -> list[PreviewOffer]:
        theirs = {(o.project_id, o.park_id) for o in other.offers}
        return [o for o in plan.offers if (o.project_id, o.park_id) not in theirs]

    return PlanPreview(changes=changes, current=current, changed=what_if,
                       gained=only_in(what_if, current), lost=only_in(current, what_if))
