"""Schemathesis against the portal's own OpenAPI, as one caller: every generated request, valid
or not, must get neither a 5xx nor an undocumented status, content type or schema, and what
breaks the schema must be refused."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass

CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance,negative_data_rejection")


@dataclass(frozen=True)
class Fuzzed:
    cases: int
    passed: int
    clean: bool  # schemathesis found nothing wrong
    report: str

    def summary(self) -> str:
        return f"{self.cases} cases, {self.cases - self.passed} failed"


def fuzz(portal_url: str, token: str | None, seed: int | None, examples: int) -> Fuzzed:
    """`examples` per operation and phase; `seed` None for a fresh one (printed in the report)."""
    command = [sys.executable, "-m", "schemathesis.cli", "run", f"{portal_url}/openapi.json",
               "--checks", CHECKS, "--phases", "examples,coverage,fuzzing",
               # One worker: on Python 3.11, hypothesis parsing lambdas in two threads at once
               # can fail inside `ast` (a SystemError), an error of the tool, not of the API.
               "--workers", "1",
               "--max-examples", str(examples), "--suppress-health-check", "all",
               "--warnings", "off"]
    if seed is not None:
        command += ["--seed", str(seed)]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    report = done.stdout + done.stderr
    counted = re.search(r"(\d+) generated, (\d+) passed", report)
    cases, passed = (int(counted.group(1)), int(counted.group(2))) if counted else (0, 0)
    return Fuzzed(cases, passed, done.returncode == 0 and counted is not None, report)
