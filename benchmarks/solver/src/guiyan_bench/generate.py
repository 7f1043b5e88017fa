"""Seeded city-like instances: sparse candidates shaped by the matching rules.

Parks carry sectors; a project is a candidate only at parks of its sector (hazardous chemical
projects only at certified chemical parks), with a score from its chain role there (补链 › 延链 ›
强链 › same sector), hometown and jobs. Resources: floor or land, incubator slots, subsidy budget.
Some projects are required, some pinned, some pairs forbidden.
"""

from __future__ import annotations

import random

from guiyan_optimiser import Candidate, Instance, ParkCapacity
from guiyan_optimiser.greedy import greedy

SECTORS = 10
ROLE_POINTS = (40_000, 30_000, 20_000, 10_000)  # fill_gap, extend, strengthen, same_sector


def city(projects: int, parks: int, seed: int = 231, candidates_per_project: int = 25) -> Instance:
    rng = random.Random(seed)
    park_sectors = [set(rng.sample(range(SECTORS), rng.randint(1, 3))) for _ in range(parks)]
    chemical = [rng.random() < 0.08 for _ in range(parks)]
    incubator = [rng.random() < 0.3 for _ in range(parks)]
    counties = [rng.randrange(9) for _ in range(parks)]
    by_sector = {s: [k for k in range(parks) if s in park_sectors[k]] for s in range(SECTORS)}
    chemical_parks = [k for k in range(parks) if chemical[k]] or [0]

    demand_floor = demand_land = demand_subsidy = 0.0
    candidates: list[Candidate] = []
    for p in range(projects):
        sector = rng.randrange(SECTORS)
        hazardous = sector == 1 and rng.random() < 0.5
        on_land = rng.random() < 0.3
        floor = 0.0 if on_land else rng.choice([100, 150, 200, 300, 600, 1200, 2500])
        land = rng.choice([10, 20, 30, 50, 80]) if on_land else 0.0
        jobs = rng.choice([3, 5, 8, 15, 30, 60, 120])
        hometown = rng.randrange(9)
        pool = chemical_parks if hazardous else (by_sector[sector] or list(range(parks)))
        eligible = rng.sample(pool, min(len(pool), candidates_per_project))
        demand_floor += floor
        demand_land += land
        for k in eligible:
            role = rng.choices(range(4), weights=(1, 2, 3, 4))[0]
            score = ROLE_POINTS[role] + (5_000 if counties[k] == hometown else 0) + min(jobs, 999)
            subsidy = (floor * rng.uniform(400, 700) + 12_000 + 2_000 * jobs) * rng.uniform(0.8, 1.2)
            demand_subsidy += subsidy / max(1, len(eligible))
            use = {"floor_m2": floor, "land_mu": land, "subsidy_yuan": round(subsidy)}
            if incubator[k] and not on_land:
                use["slots"] = 1
            candidates.append(Candidate(f"p{p}", f"k{k}", float(score),
                                        {r: a for r, a in use.items() if a > 0}))

    # Supply covers about 70% of demand, so the plan has real choices to make.
    def share(total: float) -> float:
        return total * 0.7 / parks * rng.uniform(0.5, 1.5)

    park_list = []
    for k in range(parks):
        capacity = {"floor_m2": round(share(demand_floor)), "land_mu": round(share(demand_land)),
                    "subsidy_yuan": round(share(demand_subsidy))}
        if incubator[k]:
            capacity["slots"] = rng.randint(20, 60)
        park_list.append(ParkCapacity(f"k{k}", capacity))

    instance = Instance(park_list, [f"p{p}" for p in range(projects)], candidates)
    # Pin ~1% of a greedy plan; require ~2% of the greedy plan that keeps those pins; forbid ~1% of
    # the pairs of projects outside it. Greedy then stays feasible, a baseline on every instance.
    pinned = frozenset(rng.sample(sorted(greedy(instance).items()), max(1, projects // 100)))
    with_pins = Instance(park_list, instance.projects, candidates, pinned=pinned,
                         required=frozenset(p for p, _ in pinned))
    placed = greedy(with_pins)
    required = frozenset(rng.sample(sorted(placed), max(2, projects // 50))) | with_pins.required
    forbidden = frozenset((c.project, c.park) for c in candidates
                          if c.project not in placed and rng.random() < 0.01)
    return Instance(park_list, instance.projects, candidates, required=required, pinned=pinned,
                    forbidden=forbidden)
