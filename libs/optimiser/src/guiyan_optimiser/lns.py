"""Large-neighbourhood search: free a cluster of related parks and re-solve it exactly.

A neighbourhood is a few parks linked through projects that could go to several of them. Every
project placed there, and every unplaced project that could go there, is freed; everything else
stays. CP-SAT solves that sub-instance from the incumbent as a complete hint, so the plan never
gets worse. The cluster grows while neighbourhoods solve to optimality fast, and shrinks when not.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from .exact import Exact, exact
from .incumbent import Incumbent
from .instance import Candidate, Instance, ParkCapacity, objective, open_bonuses, usable
from .phases import SLICE, keep_up
from .stop import Stop
from .tabu import Search

MIN_PARKS, START_PARKS, MAX_PARKS = 2, 6, 60
GROW, SHRINK = 1.25, 0.8  # a neighbourhood's size after one solved fast / one that was not
QUICK = 0.5  # of its time: a neighbourhood solved to optimality within it is made larger
# Seconds per neighbourhood: a 35th of the search, within these limits. Longer solves let
# larger neighbourhoods finish, which is what escapes the plateaus of tight instances.
NEIGHBOURHOOD_SECONDS = (0.25, 0.6)


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

    def cluster(self, rng: random.Random, size: int, exclude: set[str]) -> set[str]:
        """A seed park, then parks reached through the seed's candidate projects, and so on."""
        free = [k for k in self.park_ids if k not in exclude]
        if not free:
            return set()
        chosen = {rng.choice(free)}
        frontier = list(chosen)
        while frontier and len(chosen) < size:
            park = frontier.pop(rng.randrange(len(frontier)))
            for candidate in rng.sample(self.by_park[park], min(8, len(self.by_park[park]))):
                for other in self.by_project[candidate.project]:
                    if other.park not in chosen and other.park not in exclude and len(chosen) < size:
                        chosen.add(other.park)
                        frontier.append(other.park)
        return chosen

    def sub_instance(self, plan: dict[str, str], parks: set[str],
                     taken: frozenset[str] = frozenset()) -> Instance:
        """`taken`: unplaced projects another neighbourhood frees at the same time; they stay out."""
        freed = {p for p, k in plan.items() if k in parks}
        freed |= {c.project for k in parks for c in self.by_park[k]
                  if c.project not in plan and c.project not in taken}
        instance = self.instance
        candidates = [c for k in sorted(parks) for c in self.by_park[k] if c.project in freed]
        return Instance(
            parks=[ParkCapacity(k, self.parks[k].capacity) for k in sorted(parks)],
            projects=sorted(freed),
            candidates=candidates,
            required=frozenset(p for p in freed if p in instance.required),
            pinned=frozenset((p, k) for p, k in instance.pinned if p in freed),
            previous=frozenset((p, k) for p, k in instance.previous if p in freed and k in parks),
            move_penalty=instance.move_penalty,
            bonuses=open_bonuses(instance, {p: k for p, k in plan.items() if p not in freed},
                                 {(c.project, c.park) for c in candidates}),
        )


class Lane:
    """A neighbourhood in flight: its sub-instance and the incumbent's pairs there when drawn."""

    def __init__(self, sub: Instance, plan: dict[str, str]) -> None:
        self.sub = sub
        self.parks = {park.id for park in sub.parks}
        self.before = {p: plan[p] for p in sub.projects if p in plan}
        self.started = time.monotonic()

    def merged(self, plan: dict[str, str], assignments: dict[str, str]) -> dict[str, str] | None:
        """`plan` with this neighbourhood's projects as `assignments`; None if `plan` has since
        put other projects in its parks (the tabu search moves anything), as they may not fit."""
        rest = {p: k for p, k in plan.items() if p not in self.sub.projects}
        if any(k in self.parks for k in rest.values()):
            return None
        return rest | assignments


def improve(instance: Instance, incumbent: Incumbent, *, deadline: float, workers: int,
            search: Search | None = None, stop: Stop | None = None, seed: int = 0) -> None:
    """`workers` neighbourhoods at once, one CP-SAT worker each: CP-SAT releases the GIL, and two
    small solves find more than one solve with two workers. A lane draws its next neighbourhood as
    soon as its last one ends, away from the parks and projects the other lanes hold, so every
    improvement applies to the same incumbent and no lane waits for a slower one.

    Where there is a tabu `search` (small instances), it takes one worker's place: it runs here
    between looks at the lanes, hands each better feasible plan to the incumbent and starts over
    from the incumbent when a lane has made it better than the search's best. A `stop` ends the
    lanes under way and launches no more."""
    assert incumbent.plan is not None
    stop = stop or Stop()
    neighbourhoods = Neighbourhoods(instance)
    if not neighbourhoods.park_ids:
        return
    rng = random.Random(seed)
    low, high = NEIGHBOURHOOD_SECONDS
    per_neighbourhood = min(high, max(low, (deadline - time.monotonic()) / 35))
    lanes = max(1, min(workers - (search is not None), len(neighbourhoods.park_ids) // 2))
    most = max(MIN_PARKS, len(neighbourhoods.park_ids) // lanes)  # so that every lane has parks
    size = min(START_PARKS, most)
    running: dict[Future[Exact], Lane] = {}

    def launch(pool: ThreadPoolExecutor) -> None:
        remaining = deadline - time.monotonic()
        held_parks = set().union(*(lane.parks for lane in running.values()))
        held_projects = frozenset().union(*(lane.sub.projects for lane in running.values()))
        parks = neighbourhoods.cluster(rng, size, exclude=held_parks)
        if remaining <= 0.05 or not parks or stop.is_set():
            return
        sub = neighbourhoods.sub_instance(incumbent.plan, parks, held_projects)
        lane = Lane(sub, incumbent.plan)
        running[pool.submit(exact, sub, time_limit_seconds=min(remaining, per_neighbourhood),
                            workers=1, hint=lane.before, stop=stop)] = lane

    with ThreadPoolExecutor(lanes) as pool:
        for _ in range(lanes):
            launch(pool)
        while running:
            if search is None:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
            else:
                keep_up(search, incumbent, min(deadline, time.monotonic() + SLICE))
                done = {future for future in running if future.done()}
            for future in done:
                lane, result = running.pop(future), future.result()
                if (result.assignments and objective(lane.sub, result.assignments)
                        > objective(lane.sub, lane.before) + 1e-9):
                    plan = lane.merged(incumbent.plan, result.assignments)
                    if plan is not None:
                        incumbent.offer(plan)
                took = time.monotonic() - lane.started
                quick = result.status == "optimal" and took < per_neighbourhood * QUICK
                # Multiplicative, so that a large instance soon reaches the size that pays.
                size = (min(math.ceil(size * GROW), MAX_PARKS, most) if quick
                        else max(MIN_PARKS, int(size * SHRINK)))
                launch(pool)
