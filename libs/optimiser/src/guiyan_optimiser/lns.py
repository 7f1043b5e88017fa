"""Large-neighbourhood search: free a cluster of related parks and re-solve it exactly.

A neighbourhood is a few parks linked through projects that could go to several of them. Every
project placed there, and every unplaced project that could go there, is freed; everything else
stays. CP-SAT solves that sub-instance from the incumbent as a complete hint, so the plan never
gets worse. The cluster grows while neighbourhoods solve to optimality fast, and shrinks when not.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from .exact import exact
from .incumbent import Incumbent
from .instance import Candidate, Instance, ParkCapacity, objective, usable

MIN_PARKS, START_PARKS, MAX_PARKS = 2, 6, 60
NEIGHBOURHOOD_SECONDS = 0.25


class Neighbourhoods:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.by_park: dict[str, list[Candidate]] = defaultdict(list)
        self.by_project: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in usable(instance):
            self.by_park[candidate.park].append(candidate)
            self.by_project[candidate.project].append(candidate)
        self.parks = {p.id: p for p in instance.parks if p.id in self.by_park}
        self.park_ids = sorted(self.parks)

    def cluster(self, rng: random.Random, size: int) -> set[str]:
        """A seed park, then parks reached through the seed's candidate projects, and so on."""
        chosen = {rng.choice(self.park_ids)}
        frontier = list(chosen)
        while frontier and len(chosen) < size:
            park = frontier.pop(rng.randrange(len(frontier)))
            for candidate in rng.sample(self.by_park[park], min(8, len(self.by_park[park]))):
                for other in self.by_project[candidate.project]:
                    if other.park not in chosen and len(chosen) < size:
                        chosen.add(other.park)
                        frontier.append(other.park)
        return chosen

    def sub_instance(self, plan: dict[str, str], parks: set[str]) -> Instance:
        freed = {p for p, k in plan.items() if k in parks}
        freed |= {c.project for k in parks for c in self.by_park[k] if c.project not in plan}
        instance = self.instance
        return Instance(
            parks=[ParkCapacity(k, self.parks[k].capacity) for k in sorted(parks)],
            projects=sorted(freed),
            candidates=[c for k in sorted(parks) for c in self.by_park[k] if c.project in freed],
            required=frozenset(p for p in freed if p in instance.required),
            pinned=frozenset((p, k) for p, k in instance.pinned if p in freed),
            previous=frozenset((p, k) for p, k in instance.previous if p in freed and k in parks),
            move_penalty=instance.move_penalty,
        )


def improve(instance: Instance, incumbent: Incumbent, deadline: float, workers: int,
            seed: int = 0) -> None:
    assert incumbent.plan is not None
    neighbourhoods = Neighbourhoods(instance)
    if not neighbourhoods.park_ids:
        return
    rng = random.Random(seed)
    size = min(START_PARKS, len(neighbourhoods.park_ids))
    while (remaining := deadline - time.monotonic()) > 0.05:
        parks = neighbourhoods.cluster(rng, size)
        sub = neighbourhoods.sub_instance(incumbent.plan, parks)
        if not sub.candidates:
            continue
        before = {p: incumbent.plan[p] for p in sub.projects if p in incumbent.plan}
        budget = min(remaining, NEIGHBOURHOOD_SECONDS)
        started = time.monotonic()
        result = exact(sub, budget, workers, before)
        if result.assignments and objective(sub, result.assignments) > objective(sub, before) + 1e-9:
            plan = {p: k for p, k in incumbent.plan.items() if p not in before}
            plan.update(result.assignments)
            incumbent.offer(plan)
        quick = result.status == "optimal" and time.monotonic() - started < budget / 2
        size = min(size + 1, MAX_PARKS, len(neighbourhoods.park_ids)) if quick else max(MIN_PARKS, size - 1)
