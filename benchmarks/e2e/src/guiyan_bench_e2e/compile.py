"""`make bench-compile`: the time matching takes to turn a city into the solver's instance (its
rules, then the candidates), in arrays as plans do, against the rules asked pair by pair as they
were before (`pair_by_pair.py`), both in the same run and process, at 1,000 × 60, 5,000 × 300
and a province of 10,000 × 1,000.

Pair by pair, a province takes minutes and over a gigabyte; by default it is measured on the
first `--sample` projects and scaled to all (it weighs each project alone, so its time grows
with the projects), and the table says so.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from guiyan_optimiser import Candidate

from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_devstack import load
from guiyan_matching.adapters.policies import load_policy
from guiyan_matching.domain.pair_by_pair import weigh_each_pair
from guiyan_matching.domain.planning import PlanInputs, pairings, to_instance
from guiyan_matching.domain.rules import RuleContext
from guiyan_matching.domain.scenario import Scenario, plan_inputs

from .province import CITY
from .province import city as province_city

SIZES = {"1000x60": (1000, 60), "5000x300": (5000, 300), "10000x1000": (10000, 1000)}
PROVINCES = {"10000x1000"}  # the province's parks (load.province_parks), as bench-e2e plans it


def city(name: str) -> PlanInputs:
    count, park_count = SIZES[name]
    if name in PROVINCES:
        return province_city(count, park_count)
    return plan_inputs(Scenario.model_validate({
        "format": "guiyan-scenario/1", "city": CITY, "today": date.today().isoformat(),
        "parks": load.parks(CITY, park_count), "projects": load.projects(CITY, count)}))


def in_arrays(inputs: PlanInputs) -> tuple[float, int]:
    """Seconds to compile as plans do, and the candidates made."""
    started = time.monotonic()
    policy = load_policy(CITY)
    eligible, _ = pairings(inputs, load_taxonomy(CITY), policy)
    candidates = to_instance(inputs, eligible, policy).candidates
    return time.monotonic() - started, len(candidates)


def pair_by_pair(inputs: PlanInputs, sample: int | None) -> tuple[float, int, int]:
    """Seconds to compile every pair through `rules.py` one at a time (on the first `sample`
    projects), keeping what plans kept then: each project's pairings and refused parks."""
    taxonomy, policy = load_taxonomy(CITY), load_policy(CITY)
    context = RuleContext(policy, inputs.today, taxonomy, inputs.forbidden)
    projects = inputs.open_projects[:sample]
    started = time.monotonic()
    weighed = [weigh_each_pair(project, inputs.parks, context, taxonomy, policy, inputs.placed)
               for project in projects]
    candidates = [Candidate(x.project.id, x.park.id, x.score, x.use)
                  for eligible, _ in weighed for x in eligible]
    return time.monotonic() - started, len(candidates), len(projects)


def measure(name: str, sample: int | None) -> dict[str, Any]:
    inputs = city(name)
    gc.collect()
    gc.freeze()  # as the service does after start-up (guiyan_eventing.runtime)
    arrays, candidates = in_arrays(inputs)
    reference, reference_candidates, weighed = pair_by_pair(
        inputs, sample if name in PROVINCES else None)
    scale = len(inputs.open_projects) / weighed
    gc.unfreeze()
    if weighed == len(inputs.open_projects):
        assert reference_candidates == candidates, "both ways find the same pairs"
    return {"size": name, "projects": len(inputs.open_projects),
            "pairs": len(inputs.open_projects) * len(inputs.parks),
            "candidates": candidates, "array_seconds": arrays,
            "pair_by_pair_seconds": reference * scale, "pair_by_pair_projects": weighed,
            "pair_by_pair_candidates": reference_candidates,
            "ratio": reference * scale / arrays}


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| size | pairs | candidates | pair by pair s | in arrays s | ratio |",
             "|---|--:|--:|--:|--:|--:|"]
    for r in results:
        note = (f" (first {r['pair_by_pair_projects']:,} projects, scaled)"
                if r["pair_by_pair_projects"] < r["projects"] else "")
        lines.append(f"| {r['size']} | {r['pairs']:,} | {r['candidates']:,} "
                     f"| {r['pair_by_pair_seconds']:.2f}{note} | {r['array_seconds']:.2f} "
                     f"| {r['ratio']:.0f}× |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="of " + ", ".join(SIZES))
    parser.add_argument("--sample", type=int, default=1000,
                        help="projects of a province compiled pair by pair (0: all)")
    parser.add_argument("--out", default="bench-results/compile.json")
    arguments = parser.parse_args(argv)
    results = []
    for name in arguments.sizes.split(","):
        print(f"{name} …", file=sys.stderr, flush=True)
        results.append(measure(name, arguments.sample or None))
    print(table(results))
    out = Path(arguments.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"results": results}, indent=2))
    print(f"\nwritten to {out}")
    return 0
