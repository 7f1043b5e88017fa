"""The public generalized-assignment sets (../shared/benchmarks/gap), as Guiyan instances.

GAP minimises cost with every job assigned; Guiyan maximises score. With score = C − cost for a
constant C above every cost, and every project required, maximising Σ score = n·C − Σ cost.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from guiyan_optimiser import Candidate, Instance, ParkCapacity


@dataclass(frozen=True)
class GapInstance:
    name: str
    instance: Instance
    offset: float  # n·C: cost = offset − score
    best_known: float | None  # minimisation sense


def read(path: Path, best_known: float | None = None) -> GapInstance:
    numbers = [int(token) for token in path.read_text().split()]
    agents, jobs = numbers[0], numbers[1]
    costs = numbers[2:2 + agents * jobs]
    uses = numbers[2 + agents * jobs:2 + 2 * agents * jobs]
    capacities = numbers[2 + 2 * agents * jobs:2 + 2 * agents * jobs + agents]
    ceiling = max(costs) + 1
    candidates = [Candidate(f"j{j}", f"a{i}", float(ceiling - costs[i * jobs + j]),
                            {"capacity": float(uses[i * jobs + j])})
                  for i in range(agents) for j in range(jobs)]
    projects = [f"j{j}" for j in range(jobs)]
    instance = Instance([ParkCapacity(f"a{i}", {"capacity": float(capacities[i])})
                         for i in range(agents)], projects, candidates,
                        required=frozenset(projects))
    return GapInstance(path.name, instance, float(jobs * ceiling), best_known)


def best_known_values(root: Path) -> dict[str, float]:
    with (root / "data.csv").open() as file:
        return {row["Path"]: float(row["Best known solution value"]) for row in csv.DictReader(file)}
