"""Relaxation-induced neighbourhood search (RINS, Danna, Rothberg and Le Pape 2005).

Where the incumbent and the LP agree on a project (the LP puts it wholly in the incumbent's park,
or wholly nowhere), that choice is kept. Every other project is freed with all its candidates and
solved exactly in the room the kept projects leave. On city-like instances this frees a small
share of the projects and lifts the LP-rounded start, in a second or two, by what takes the
neighbourhood search several seconds to match (measured: docs/performance.md, "optimiser phases").
"""

from __future__ import annotations

from .exact import exact
from .incumbent import Incumbent
from .instance import Instance, ParkCapacity, objective, open_bonuses, usable
from .stop import Stop

WHOLE = 0.99  # an LP value at least this is taken as integral
MAX_FREED_PAIRS = 30_000  # CP-SAT builds and searches a larger neighbourhood too slowly to help


def kept(instance: Instance, plan: dict[str, str], values: dict[tuple[str, str], float]) -> set[str]:
    """The projects on which the incumbent and the LP agree, and, where the others have more
    than MAX_FREED_PAIRS pairs, those the LP disagrees with least."""
    placed: dict[str, float] = {}
    for (project, _), value in values.items():
        placed[project] = placed.get(project, 0.0) + value
    # How far the LP is from the plan's choice: 0 where it agrees wholly.
    distance = {p: 1.0 - values.get((p, plan[p]), 0.0) if p in plan else placed.get(p, 0.0)
                for p in instance.projects}
    keep = {p for p, far in distance.items() if far <= 1.0 - WHOLE}
    budget = MAX_FREED_PAIRS
    for p in sorted(distance.keys() - keep, key=lambda p: -distance[p]):
        budget -= len(instance.at.get(p, {}))
        if budget < 0:
            keep.add(p)
    return keep


def neighbourhood(instance: Instance, plan: dict[str, str], keep: set[str]) -> Instance:
    """The other projects, with all their candidates, in each park's room left by `keep`."""
    room = {park.id: dict(park.capacity) for park in instance.parks}
    freed = [p for p in instance.projects if p not in keep]
    free = set(freed)
    candidates = []
    for candidate in usable(instance):
        if candidate.project in free:
            candidates.append(candidate)
        elif plan.get(candidate.project) == candidate.park:
            left = room[candidate.park]
            for resource, used in candidate.use.items():
                if resource in left:
                    left[resource] = max(0.0, left[resource] - used)
    return Instance(
        parks=[ParkCapacity(park, left) for park, left in room.items()],
        projects=freed,
        candidates=candidates,
        required=instance.required & free,
        pinned=frozenset(pair for pair in instance.pinned if pair[0] in free),
        previous=frozenset(pair for pair in instance.previous if pair[0] in free),
        move_penalty=instance.move_penalty,
        bonuses=open_bonuses(instance, {p: k for p, k in plan.items() if p in keep},
                             {(c.project, c.park) for c in candidates}),
    )


def rins(instance: Instance, incumbent: Incumbent, values: dict[tuple[str, str], float], *,
         seconds: float, workers: int, stop: Stop | None = None) -> None:
    """Offer the incumbent the best plan of the neighbourhood found within `seconds`."""
    assert incumbent.plan is not None
    keep = kept(instance, incumbent.plan, values)
    sub = neighbourhood(instance, incumbent.plan, keep)
    if not sub.projects:
        return
    before = {p: k for p, k in incumbent.plan.items() if p not in keep}
    result = exact(sub, time_limit_seconds=seconds, workers=workers, hint=before, stop=stop)
    if result.assignments and objective(sub, result.assignments) > objective(sub, before) + 1e-9:
        incumbent.offer({p: k for p, k in incumbent.plan.items() if p in keep} | result.assignments)
