"""The `guiyan solve` command, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from guiyan_matching.entrypoints.cli import main


def write(path: Path, document: object) -> str:
    path.write_text(json.dumps(document))
    return str(path)


INSTANCE = {
    "format": "guiyan-instance/1", "resources": ["floor_m2"],
    "parks": [{"id": "a", "capacity": {"floor_m2": 1000}}],
    "projects": [{"id": "p"}, {"id": "q"}],
    "candidates": [{"project": "p", "park": "a", "score": 3, "use": {"floor_m2": 800}},
                   {"project": "q", "park": "a", "score": 2, "use": {"floor_m2": 800}}],
}


def test_solve_prints_a_solution(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", write(tmp_path / "i.json", INSTANCE), "--time-limit", "2"]) == 0
    solution = json.loads(capsys.readouterr().out)
    assert solution["format"] == "guiyan-solution/1" and solution["status"] == "optimal"
    assert solution["assignments"] == [{"project": "p", "park": "a"}]
    assert solution["objective"] == solution["bound"] == 3


def test_bad_input_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    bad = {**INSTANCE, "parks": [{"id": "a", "capacity": {"floor_m2": -5}}]}
    result = subprocess.run([sys.executable, "-m", "guiyan_matching.entrypoints.cli", "solve",
                             write(tmp_path / "bad.json", bad)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "park 'a': negative capacity -5.0 of 'floor_m2'" in result.stderr
    assert "Traceback" not in result.stderr
    missing = subprocess.run([sys.executable, "-m", "guiyan_matching.entrypoints.cli", "solve",
                              str(tmp_path / "nope.json")], capture_output=True, text=True)
    assert missing.returncode == 2 and "cannot read" in missing.stderr


SCENARIO = {
    "format": "guiyan-scenario/1", "city": "heze", "today": "2024-06-15",
    "parks": [
        {"id": "wood", "name": "曹县木制品产业集聚区", "kind": "industrial_cluster", "county": "caoxian",
         "sectors": ["wood_furniture"], "floor_m2": 1000,
         "hosted_links": [{"chain": "wood", "link": "logs"}, {"chain": "wood", "link": "wood_crafts"}]},
        {"id": "pharma", "name": "鄄城生物医药产业园", "kind": "industrial_cluster", "county": "juancheng",
         "sectors": ["biomedicine"], "floor_m2": 5000},
    ],
    "projects": [
        {"id": "doors", "name": "木门厂", "founder": "张三", "source": "杭州站",
         "hometown_county": "caoxian", "sector": "wood_furniture", "chain": "wood",
         "link": "furniture_doors", "floor_m2": 800, "investment_yuan": 5e6, "jobs": 20},
        {"id": "panels", "name": "板材厂", "founder": "李四", "source": "拉萨站",
         "hometown_county": "juye", "sector": "wood_furniture", "chain": "wood",
         "link": "veneer_panels", "floor_m2": 800, "investment_yuan": 5e6, "jobs": 10},
    ],
}


def test_compile_turns_a_scenario_into_an_instance_through_the_rules(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compile", write(tmp_path / "city.json", SCENARIO)]) == 0
    instance = json.loads(capsys.readouterr().out)
    assert instance["format"] == "guiyan-instance/1"
    assert [p["id"] for p in instance["parks"]] == ["wood", "pharma"]
    # the pharma park is ruled out by sector; both are 补链 at the wood park, and doors is local
    assert [(c["project"], c["park"], c["score"]) for c in instance["candidates"]] == [
        ("doors", "wood", 40_000 + 3_000 + 200), ("panels", "wood", 40_000 + 100)]


def test_plan_explains_offers_and_unplaced_projects(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", write(tmp_path / "city.json", SCENARIO), "--time-limit", "2"]) == 0
    result = json.loads(capsys.readouterr().out)
    [offer] = result["offers"]
    assert (offer["project"], offer["park"]) == ("doors", "wood")
    assert [t["term"] for t in offer["explanation"]["score_terms"]] == ["chain_role", "hometown", "jobs"]
    [unplaced] = result["unplaced"]
    assert unplaced["project"] == "panels"
    assert [(v["park_id"], v["verdict"]) for v in unplaced["reasons"]] == [
        ("wood", "outbid"), ("pharma", "rule")]


def test_a_scenario_holds_each_budget_year_and_a_bare_subsidy_as_one_from_its_day(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    budgeted = [{**park, "annual_subsidy_budget_yuan": 100_000} for park in SCENARIO["parks"]]
    held = {"wood": {"subsidy_yuan:2025": 30_000, "subsidy_yuan": 10_000}}
    assert main(["compile", write(tmp_path / "city.json", {**SCENARIO, "parks": budgeted,
                                                         "held": held})]) == 0
    wood = json.loads(capsys.readouterr().out)["parks"][0]["capacity"]
    assert {r: amount for r, amount in wood.items() if r.startswith("subsidy_yuan")} == {
        "subsidy_yuan:2024": 90_000, "subsidy_yuan:2025": 60_000, "subsidy_yuan:2026": 90_000}


@pytest.mark.parametrize(("change", "message"), [
    ({"parks": [*SCENARIO["parks"], SCENARIO["parks"][0]]}, "duplicate park id 'wood'"),
    ({"rejected": [{"project": "doors", "park": "nowhere"}]}, "rejected[0]: unknown park 'nowhere'"),
    ({"held": {"nowhere": {"floor_m2": 1}}}, "held: unknown park 'nowhere'"),
    ({"held": {"wood": {"subsidy_yuan:27": 1}}}, "held.wood.subsidy_yuan:27"),
    ({"parks": [{**SCENARIO["parks"][0], "floor_m2": -1}]}, "parks.0.floor_m2"),
    ({"city": "atlantis"}, "no taxonomy or policy for city 'atlantis'"),
])
def test_a_bad_scenario_names_the_item(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       change: dict[str, object], message: str) -> None:
    assert main(["compile", write(tmp_path / "bad.json", {**SCENARIO, **change})]) == 2
    assert message in capsys.readouterr().err
