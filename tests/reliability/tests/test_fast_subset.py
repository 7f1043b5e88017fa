"""A fast subset of `make reliability`, for `make test`: matching killed a few times, and poison on
every consumed subject, each during a burst of 100 submissions on SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest

from guiyan_reliability.load import LoadSettings
from guiyan_reliability.run import Row, RunSettings, run_scenario
from guiyan_reliability.scenarios import POISON, Scenario, sigkill

pytestmark = pytest.mark.e2e

# A consumer killed mid-batch leaves its messages unacknowledged until the ack wait ends: 5 s
# rather than 30 s keeps the wait to settle short.
FAST = RunSettings(LoadSettings(submissions=100, per_second=20), settle_timeout_seconds=120,
                   environment={"ACK_WAIT_SECONDS": "5"})


def run(scenario: Scenario, work_dir: Path) -> Row:
    row = run_scenario(scenario, "sqlite", seed=231, settings=FAST, work_dir=work_dir)
    assert row.passed and row.phantom == 0, "\n".join(row.problems())
    assert row.submissions >= 100 and row.decisions > 0  # the burst had decisions mixed in
    return row


def test_matching_killed_mid_burst_loses_doubles_and_invents_nothing(tmp_path: Path) -> None:
    row = run(sigkill("matching", kills=3), tmp_path)
    assert row.runs == 3


def test_poison_on_every_consumed_subject_is_parked_and_changes_nothing(tmp_path: Path) -> None:
    row = run(POISON, tmp_path)
    parked = next(c for c in row.checks if c.name.startswith("each poison"))
    assert row.runs >= 26 and parked.examined >= row.runs  # two per subject, by each reader
