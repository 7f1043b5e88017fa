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
