"""The independent checker: whether a plan keeps every constraint of its instance, and what it is
worth. Written apart from the optimiser (it does not call its `objective`), so that a plan's value
in the report does not rest on the code under test."""

from __future__ import annotations

from collections import defaultdict

from guiyan_optimiser import Candidate, Instance


def _chosen(instance: Instance, plan: dict[str, str]) -> dict[str, Candidate]:
    """The candidate of each pair in the plan that has one (found by a scan, not an index of all
    pairs, so checking a plan of 10,000 × 1,000 adds little to a run's peak memory)."""
    return {c.project: c for c in instance.candidates if plan.get(c.project) == c.park}


def violations(instance: Instance, plan: dict[str, str]) -> list[str]:
    """Every constraint the plan breaks, in words; none for a feasible plan."""
    problems = []
    chosen = _chosen(instance, plan)
    used: dict[tuple[str, str], float] = defaultdict(float)
    for project, park in plan.items():
        candidate = chosen.get(project)
        if candidate is None or (project, park) in instance.forbidden:
            problems.append(f"{project} → {park} is not an allowed candidate")
            continue
        for resource, amount in candidate.use.items():
            used[(park, resource)] += amount
    for park in instance.parks:
        for resource, limit in park.capacity.items():
            if used[(park.id, resource)] > limit + 1e-6:
                problems.append(f"{park.id} over {resource}: {used[(park.id, resource)]} > {limit}")
    problems += [f"required {p} unplaced" for p in instance.required if p not in plan]
    problems += [f"pinned {p} → {k} not kept" for p, k in instance.pinned if plan.get(p) != k]
    return problems


def plan_value(instance: Instance, plan: dict[str, str]) -> float:
    """Σ scores of the chosen pairs − move penalty × previous pairs left + each bonus once whose
    group has a chosen pair (`bonuses` is a field an instance may carry)."""
    chosen = set(plan.items())
    value = sum(c.score for c in _chosen(instance, plan).values())
    value -= instance.move_penalty * len(instance.previous - chosen)
    value += sum(bonus.value for bonus in getattr(instance, "bonuses", ()) if bonus.pairs & chosen)
    return value
