"""The rigorous LP bound from PDLP's duals agrees with GLOP's LP, and the checker values a plan as
the optimiser does."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pytest
from guiyan_bench import lp
from guiyan_bench.check import plan_value
from guiyan_bench.generate import SHAPES, generate
from guiyan_bench.model import build
from guiyan_optimiser import lp as glop
from guiyan_optimiser.instance import objective


@pytest.mark.parametrize("shape", SHAPES)
def test_the_lagrangian_bound_at_pdlps_duals_is_glops_lp_value_from_above(shape: str) -> None:
    instance = generate(shape, 300, 30, seed=11).instance
    exact = glop.relax(instance).bound
    rigorous = lp.relax(build(instance), time_limit=30).bound
    assert rigorous >= exact - 1e-6 * abs(exact)
    assert rigorous <= exact + 1e-3 * abs(exact)


def test_any_multipliers_give_a_bound_above_a_feasible_plan() -> None:
    made = generate("previous", 200, 20, seed=12)
    model = build(made.instance)
    capacities = len(model.row_upper) - model.projects
    rng = random.Random(1)
    for _ in range(5):
        multipliers = [rng.uniform(0, 50) for _ in range(capacities)]
        assert lp.lagrangian_bound(model, np.array(multipliers)) >= plan_value(made.instance, made.hidden)


@pytest.mark.parametrize("shape", ["previous", "dense", "gap"])
def test_the_checker_values_random_plans_as_the_optimiser_does(shape: str) -> None:
    instance = generate(shape, 200, 20, seed=13).instance
    rng = random.Random(2)
    parks: dict[str, list[str]] = {}
    for candidate in instance.candidates:
        parks.setdefault(candidate.project, []).append(candidate.park)
    for _ in range(20):
        plan = {p: rng.choice(k) for p, k in parks.items() if rng.random() < 0.7}
        assert plan_value(instance, plan) == pytest.approx(objective(instance, plan), rel=1e-12)


@dataclass(frozen=True)
class Bonus:
    value: float
    pairs: frozenset[tuple[str, str]]


def test_the_checker_counts_each_bonus_once_when_any_of_its_pairs_is_chosen() -> None:
    instance = generate("dense", 50, 10, seed=14).instance
    first = instance.candidates[0]
    second = next(c for c in instance.candidates if c.project != first.project)
    group = frozenset({(first.project, first.park), (second.project, second.park)})
    plan = {first.project: first.park, second.project: second.park}
    without = plan_value(instance, plan)

    @dataclass(frozen=True)
    class WithBonuses:  # an instance as it will be once `bonuses` is a field
        candidates: list
        previous: frozenset
        move_penalty: float
        bonuses: tuple

    extended = WithBonuses(instance.candidates, instance.previous, instance.move_penalty,
                           (Bonus(1000.0, group), Bonus(50.0, frozenset({("nobody", "k0")}))))
    assert plan_value(extended, plan) == without + 1000.0
