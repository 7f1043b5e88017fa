"""Schemathesis against the portal's own OpenAPI, on a system of its own, as each role and with
no token: thousands of generated requests, valid and not, none of which may get a 5xx, an
undocumented status or an answer off its schema. `make test` runs the same a few hundred times
per role (`tests/e2e/test_fuzz.py`)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from guiyan_devstack.fuzz import Fuzzed, fuzz

from .system import running_system

ROLES = ("admin", "staff", "manager", "none")
MANAGED_PARK = "caoxian-hanfu-park"


@dataclass(frozen=True)
class FuzzRow:
    role: str
    cases: int
    failed: int
    clean: bool

    def line(self) -> str:
        return f"| fuzz as {self.role} | {self.cases} | {self.failed} | " \
               f"{'pass' if self.clean else 'FAIL'} |"


def fuzz_every_role(work_dir: Path, seed: int, examples: int) -> tuple[list[FuzzRow], list[str]]:
    """One row per role, and the end of each failing report."""
    rows, reports = [], []
    var_dir = work_dir / "fuzz"
    shutil.rmtree(var_dir, ignore_errors=True)  # a fresh system: the last run's fuzzing wrote
    with running_system(var_dir, None, {"PREVIEW_TIME_LIMIT_SECONDS": "0.2"}) as system:
        tokens = {"admin": system.tokens["admin"], "staff": system.tokens["staff"],
                  "manager": system.tokens["managers"][MANAGED_PARK], "none": None}
        for role in ROLES:
            found: Fuzzed = fuzz(system.portal_url, tokens[role], seed, examples)
            rows.append(FuzzRow(role, found.cases, found.cases - found.passed, found.clean))
            if not found.clean:
                reports.append(f"fuzz as {role}:\n{found.report[-3000:]}")
    return rows, reports
