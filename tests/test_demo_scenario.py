"""The demo city, at a few hundred projects, planned through `guiyan plan`: the real rules and policy
compile it, the solver plans it, and every offer keeps the hard rules and carries its explanation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guiyan_devstack import demo
from guiyan_matching.entrypoints.cli import main


def test_the_demo_city_plans_within_the_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = demo.scenario(projects=300)
    path = tmp_path / "heze.json"
    path.write_text(json.dumps(scenario, ensure_ascii=False))
    assert main(["plan", str(path), "--time-limit", "3"]) == 0
    result = json.loads(capsys.readouterr().out)

    parks = {p["id"]: p for p in scenario["parks"]}
    projects = {p["id"]: p for p in scenario["projects"]}
    assert result["solution"]["objective"] <= result["solution"]["bound"] + 1e-6
    assert len(result["offers"]) + len(result["unplaced"]) == 300
    assert result["offers"] and result["unplaced"]  # 300 projects overfill the demo city
    for offer in result["offers"]:
        project, park = projects[offer["project"]], parks[offer["park"]]
        assert project["sector"] in park["sectors"]
        if project["hazardous_process"]:
            assert park.get("chemical_park_certified")
        assert set(project["required_facilities"]) <= set(park.get("facilities", []))
        terms = offer["explanation"]["score_terms"]
        assert sum(t["points"] for t in terms) == pytest.approx(offer["score"])
    for unplaced in result["unplaced"]:
        assert {v["park_id"] for v in unplaced["reasons"]} == set(parks)
