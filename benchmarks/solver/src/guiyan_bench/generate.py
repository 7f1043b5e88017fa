"""Seeded instances in five shapes, each with a hidden feasible plan that its capacities fit.

- `dense`: a province's parks, 100–200 candidate parks a project (eligibility by sector, with
  sector parks first). Every park caps its space (floor_m2, or land_mu at a land park) and its
  subsidy budget, and an incubator park its slots: 2–3 capped resources. A project's score comes
  from its chain role there (补链 › 延链 › 强链 › same sector), hometown, jobs and fit. Capacities
  fit a hidden plan that places ~68% of the projects, so supply is ~70% of demand and a quarter
  to a third of the projects are optional excess. ~1% of projects pinned to their hidden park, ~2%
  required, ~1% of the other pairs forbidden.
- `sparse`: the same city with 20–30 candidate parks a project.
- `required`: `dense` with 10% of the projects required.
- `previous`: `dense` with the plan in force: half the projects keep a pair of an earlier plan
  (their hidden pair where they have one), and leaving it costs a move penalty.
- `gap`: the generalized assignment problem's shape: one resource a park, every project required,
  80–100% of the parks open to each, use and cost inversely correlated and capacity as tight as
  Chu & Beasley's type D (80% of the average load), or the hidden plan's load where that is more.

Because the hidden plan keeps every pin, every required project and no forbidden pair, and fits
every capacity, each instance has a feasible plan by construction: a solver without one has
failed. The same seed always gives the same instance; which seeds the suites use (a `tune` set
and a `judge` set) is `catalogue`'s business. Generation is vectorised with numpy and shares one
`use` dict among a project's candidates of the same subsidy tier, so 10,000 × 1,000 at 150 pairs
a project takes seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from guiyan_optimiser import Candidate, Instance, ParkCapacity

SHAPES = ("dense", "sparse", "gap", "required", "previous")
SECTORS = 10
ROLE_POINTS = np.array([40_000, 30_000, 20_000, 10_000])  # fill_gap, extend, strengthen, same_sector
FLOOR_M2 = np.array([100, 150, 200, 300, 600, 1200, 2500])
JOBS = np.array([3, 5, 8, 15, 30, 60, 120])
SUBSIDY_TIERS = np.array([0.8, 1.0, 1.2])  # a park's policy: its subsidy per project, relative
M2_PER_MU = 800  # a project building its own plant: its floor area on land, at plot ratio 1.2
PLACED = 0.68  # share of the projects in the hidden plan: supply ≈ 70% of demand
MOVE_PENALTY = 8_000.0  # a fifth of the best role's points: moving has to be worth it
CHUNK = 2_000  # projects whose park ranking is drawn at once: memory stays ~ CHUNK × parks


@dataclass(frozen=True)
class Generated:
    instance: Instance
    hidden: dict[str, str]  # a feasible plan: the capacities were sized so that it fits


def generate(shape: str, projects: int, parks: int, seed: int) -> Generated:
    rng = np.random.default_rng([seed, SHAPES.index(shape), projects, parks])
    if shape == "gap":
        return _gap(rng, projects, parks)
    pairs = (20, 30) if shape == "sparse" else (100, 200)
    required_share = 0.10 if shape == "required" else 0.02
    return _city(rng, projects, parks, pairs, required_share, with_previous=shape == "previous")


def _eligible(rng: np.random.Generator, projects: int, parks: int, pairs: tuple[int, int],
              preferred: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each project's candidate parks, `preferred[i, k]` ones first: (counts, project, park) of
    every pair, grouped by project. Ranked in chunks, so memory stays small at 10,000 × 1,000."""
    counts = np.minimum(rng.integers(pairs[0], pairs[1] + 1, projects), parks)
    chosen = []
    for start in range(0, projects, CHUNK):
        stop = min(start + CHUNK, projects)
        keys = rng.random((stop - start, parks))
        if preferred is not None:
            keys += preferred[start:stop]
        order = np.argsort(-keys, axis=1)
        chosen.append(order[np.arange(parks)[None, :] < counts[start:stop, None]])
    return counts, np.repeat(np.arange(projects), counts), np.concatenate(chosen)


def _hidden_pairs(rng: np.random.Generator, counts: np.ndarray, placed: np.ndarray) -> np.ndarray:
    """One candidate pair (an index into the pairs) of each placed project, at random."""
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return first[placed] + (rng.random(placed.size) * counts[placed]).astype(np.int64)


def _loads(parks: int, at: np.ndarray, amounts: np.ndarray) -> np.ndarray:
    return np.bincount(at, weights=amounts, minlength=parks)


def _city(rng: np.random.Generator, projects: int, parks: int, pairs: tuple[int, int],
          required_share: float, with_previous: bool) -> Generated:
    park_sectors = np.zeros((parks, SECTORS), dtype=bool)
    for k, size in enumerate(rng.integers(1, 4, parks)):
        park_sectors[k, rng.choice(SECTORS, size, replace=False)] = True
    land_park = rng.random(parks) < 0.3
    incubator = rng.random(parks) < 0.3
    county = rng.integers(0, 9, parks)
    tier = rng.integers(0, len(SUBSIDY_TIERS), parks)

    sector = rng.integers(0, SECTORS, projects)
    floor = rng.choice(FLOOR_M2, projects).astype(float)
    land = np.round(floor / M2_PER_MU, 2)
    startup = floor <= 200  # the small ones take an incubator slot where the park has them
    jobs = rng.choice(JOBS, projects)
    hometown = rng.integers(0, 9, projects)
    subsidy = ((floor * rng.uniform(400, 700, projects) + 12_000 + 2_000 * jobs)
               * rng.uniform(0.8, 1.2, projects))

    counts, project_of, park_of = _eligible(rng, projects, parks, pairs, park_sectors.T[sector])
    in_sector = park_sectors[park_of, sector[project_of]]
    role = np.where(in_sector, rng.choice(4, project_of.size, p=[0.1, 0.2, 0.3, 0.4]), 3)
    score = (ROLE_POINTS[role] + np.where(county[park_of] == hometown[project_of], 5_000, 0)
             + jobs[project_of] + rng.integers(0, 2_000, project_of.size))

    placed = np.flatnonzero(rng.random(projects) < PLACED)
    hidden = _hidden_pairs(rng, counts, placed)
    at = park_of[hidden]
    # Each capacity fits the hidden plan's load with 0–6% to spare, plus one median project's need,
    # so that no park is closed outright.
    spare = rng.uniform(1.0, 1.06, parks)
    space = np.where(land_park, _loads(parks, at, land[placed]) * spare + np.median(land),
                     _loads(parks, at, floor[placed]) * spare + np.median(floor))
    budget = (_loads(parks, at, subsidy[placed] * SUBSIDY_TIERS[tier[at]]) * spare
              + np.median(subsidy) * SUBSIDY_TIERS[tier])
    slots = _loads(parks, at, startup[placed].astype(float)) + rng.integers(1, 4, parks)
    park_ids = [f"k{k}" for k in range(parks)]
    park_list = [ParkCapacity(park_ids[k], {
        "land_mu" if land_park[k] else "floor_m2": float(np.ceil(space[k])),
        "subsidy_yuan": float(np.ceil(budget[k])),
        **({"slots": float(slots[k])} if incubator[k] else {})}) for k in range(parks)]

    # A project's need is the same at every park but for the subsidy tier: one dict per tier.
    uses = [[{"floor_m2": floor[p], "land_mu": land[p], "subsidy_yuan": float(round(subsidy[p] * t)),
              **({"slots": 1.0} if startup[p] else {})} for t in SUBSIDY_TIERS]
            for p in range(projects)]
    project_ids = [f"p{p}" for p in range(projects)]
    candidates = [Candidate(project_ids[p], park_ids[k], s, uses[p][t])
                  for p, k, s, t in zip(project_of.tolist(), park_of.tolist(),
                                        score.astype(float).tolist(), tier[park_of].tolist(),
                                        strict=True)]
    named = Names(project_ids, park_ids, project_of, park_of)
    instance = Instance(park_list, project_ids, candidates,
                        **_rules(rng, named, counts, placed, hidden, required_share, with_previous))
    return Generated(instance, {named.project(i): named.park(i) for i in hidden.tolist()})


@dataclass(frozen=True)
class Names:
    """The names of the ends of each pair (an index into the pairs)."""
    project_ids: list[str]
    park_ids: list[str]
    project_of: np.ndarray
    park_of: np.ndarray

    def project(self, pair: int) -> str:
        return self.project_ids[self.project_of[pair]]

    def park(self, pair: int) -> str:
        return self.park_ids[self.park_of[pair]]

    def pair(self, pair: int) -> tuple[str, str]:
        return self.project(pair), self.park(pair)


def _rules(rng: np.random.Generator, named: Names, counts: np.ndarray, placed: np.ndarray,
           hidden: np.ndarray, required_share: float, with_previous: bool) -> dict[str, Any]:
    """Pins, required projects, forbidden pairs and the plan in force, as Instance's fields. The
    pins and required projects are among the hidden plan's, and no hidden pair is forbidden."""
    projects = len(named.project_ids)
    chosen = rng.permutation(hidden.size)
    pinned = frozenset(named.pair(i) for i in hidden[chosen[:max(1, projects // 100)]])
    required = frozenset(named.project(i)
                         for i in hidden[chosen[:max(2, int(required_share * projects))]])
    hidden_pair = np.zeros(named.project_of.size, dtype=bool)
    hidden_pair[hidden] = True
    forbid = np.flatnonzero(~hidden_pair & (rng.random(hidden_pair.size) < 0.01))
    rules = {"required": required, "pinned": pinned,
             "forbidden": frozenset(named.pair(i) for i in forbid)}
    if with_previous:
        earlier = dict(zip(placed.tolist(), hidden.tolist(), strict=True))
        keeping = np.flatnonzero(rng.random(projects) < 0.5)
        fallback = _hidden_pairs(rng, counts, keeping)  # a project the hidden plan leaves out
        rules["previous"] = frozenset(named.pair(earlier.get(p, i)) for p, i in
                                      zip(keeping.tolist(), fallback.tolist(), strict=True))
        rules["move_penalty"] = MOVE_PENALTY
    return rules


def _gap(rng: np.random.Generator, projects: int, parks: int) -> Generated:
    counts, project_of, park_of = _eligible(rng, projects, parks, (int(0.8 * parks), parks))
    use = rng.integers(1, 101, project_of.size)
    cost = 111 - use + rng.integers(-10, 11, project_of.size)  # Chu & Beasley's type D
    # The hidden plan takes the lightest of three pairs a project, so that type D's capacities
    # (below) hold it at most parks and are the ones in force.
    draws = np.stack([_hidden_pairs(rng, counts, np.arange(projects)) for _ in range(3)])
    hidden = draws[np.argmin(use[draws], axis=0), np.arange(projects)]
    at = park_of[hidden]
    capacity = np.maximum(_loads(parks, at, use[hidden].astype(float)),
                          np.floor(0.8 * _loads(parks, park_of, use.astype(float)) / parks))
    park_ids = [f"a{k}" for k in range(parks)]
    project_ids = [f"j{p}" for p in range(projects)]
    candidates = [Candidate(project_ids[p], park_ids[k], float(121 - c), {"capacity": float(u)})
                  for p, k, c, u in zip(project_of.tolist(), park_of.tolist(), cost.tolist(),
                                        use.tolist(), strict=True)]
    instance = Instance([ParkCapacity(park_ids[k], {"capacity": float(capacity[k])})
                         for k in range(parks)], project_ids, candidates,
                        required=frozenset(project_ids))
    return Generated(instance, {project_ids[p]: park_ids[k] for p, k in enumerate(at.tolist())})
