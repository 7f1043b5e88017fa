"""Generated instances: the same for the same seed, shaped as documented, and feasible by
construction (the hidden plan passes the independent checker)."""

from __future__ import annotations

from collections import Counter

import pytest
from guiyan_bench.check import violations
from guiyan_bench.generate import SHAPES, generate
from guiyan_optimiser import instance_from_json, instance_to_json


def pairs_per_project(shape: str, projects: int, parks: int) -> Counter[str]:
    return Counter(c.project for c in generate(shape, projects, parks, seed=1).instance.candidates)


@pytest.mark.parametrize("shape", SHAPES)
def test_the_same_seed_gives_the_same_instance_and_another_seed_another(shape: str) -> None:
    first = generate(shape, 300, 30, seed=7)
    assert generate(shape, 300, 30, seed=7) == first
    assert generate(shape, 300, 30, seed=8).instance != first.instance


@pytest.mark.parametrize("shape", SHAPES)
def test_the_hidden_plan_is_feasible_and_the_instance_round_trips(shape: str) -> None:
    made = generate(shape, 400, 40, seed=3)
    assert violations(made.instance, made.hidden) == []
    assert made.instance.required <= made.hidden.keys()
    assert instance_from_json(instance_to_json(made.instance)) == made.instance


def test_required_instances_require_a_tenth_of_the_projects() -> None:
    instance = generate("required", 1000, 200, seed=5).instance
    assert len(instance.required) == 100


def test_dense_gives_100_to_200_pairs_a_project_and_sparse_about_25() -> None:
    dense = pairs_per_project("dense", 300, 250)
    assert len(dense) == 300 and min(dense.values()) >= 100 and max(dense.values()) <= 200
    sparse = pairs_per_project("sparse", 300, 250)
    assert min(sparse.values()) >= 20 and max(sparse.values()) <= 30


def test_dense_parks_cap_two_or_three_resources_and_supply_falls_short_of_demand() -> None:
    made = generate("dense", 1000, 200, seed=2)
    assert {len(p.capacity) for p in made.instance.parks} == {2, 3}
    # Only about 70% of the projects fit, in the hidden plan.
    assert 0.6 < len(made.hidden) / len(made.instance.projects) < 0.75


def test_the_previous_plan_covers_about_half_the_projects_with_a_penalty() -> None:
    instance = generate("previous", 1000, 100, seed=4).instance
    assert 400 < len(instance.previous) < 600 and instance.move_penalty > 0
    assert len({p for p, _ in instance.previous}) == len(instance.previous)
