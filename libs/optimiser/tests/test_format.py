"""guiyan-instance/1 parsing: bad input is a clear error naming the item."""

from __future__ import annotations

from typing import Any

import pytest
from guiyan_optimiser import InstanceError, instance_from_json, instance_to_json, solve
from guiyan_optimiser.instance import objective


def document(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": "guiyan-instance/1", "resources": ["floor_m2", "subsidy_yuan"],
        "parks": [{"id": "a", "capacity": {"floor_m2": 1000, "subsidy_yuan": 300000}},
                  {"id": "b", "capacity": {"floor_m2": 500}}],
        "projects": [{"id": "p", "required": True}, {"id": "q"}],
        "candidates": [{"project": "p", "park": "a", "score": 87.5, "use": {"floor_m2": 800}},
                       {"project": "q", "park": "a", "score": 50, "use": {"floor_m2": 300}},
                       {"project": "q", "park": "b", "score": 40, "use": {"floor_m2": 300}}],
    }
    base.update(overrides)
    return base


def problems(**overrides: Any) -> list[str]:
    with pytest.raises(InstanceError) as raised:
        instance_from_json(document(**overrides))
    return raised.value.problems


def test_a_valid_document_round_trips() -> None:
    instance = instance_from_json(document())
    assert instance.required == frozenset({"p"})
    assert instance_from_json(instance_to_json(instance)) == instance


def test_an_unknown_park_in_a_candidate_is_named() -> None:
    candidates = document()["candidates"] + [{"project": "q", "park": "zz", "score": 1}]
    assert problems(candidates=candidates) == ["candidate 'q' → 'zz': unknown park 'zz'"]


def test_negative_capacity_is_named() -> None:
    parks = [{"id": "a", "capacity": {"floor_m2": -1}}, {"id": "b"}]
    assert problems(parks=parks) == ["park 'a': negative capacity -1.0 of 'floor_m2'"]


def test_duplicate_ids_are_named() -> None:
    found = problems(projects=[{"id": "p"}, {"id": "q"}, {"id": "q"}])
    assert "duplicate project id 'q'" in found


def test_a_required_project_with_no_candidate_is_named() -> None:
    found = problems(forbidden=[{"project": "p", "park": "a"}])
    assert found == ["required project 'p' has no candidate it may take"]


def test_shape_errors_name_the_field() -> None:
    found = problems(parks=[{"id": "a", "capacity": {"floor_m2": "lots"}}])
    assert found and found[0].startswith("parks.0.capacity.floor_m2")
    assert problems(format="guiyan-instance/2")[0].startswith("format")


def test_keeping_a_previous_pair_is_worth_the_move_penalty() -> None:
    # q scores 50 at a and 40 at b; it sat at b before, and moving costs 15: staying wins.
    instance = instance_from_json(document(previous=[{"project": "q", "park": "b"}],
                                           move_penalty=15))
    solution = solve(instance, 2)
    assert solution.assignments == {"p": "a", "q": "b"}
    assert solution.objective == pytest.approx(87.5 + 40)
    assert objective(instance, {"p": "a", "q": "a"}) == pytest.approx(87.5 + 50 - 15)
