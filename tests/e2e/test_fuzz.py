"""Schemathesis against the portal's own OpenAPI, with each role's token and with none: no
generated request, valid or not, may get a 5xx, an undocumented status or an answer that
breaks the documented schema, and what breaks the schema must be refused. `make reliability`
runs the same far longer."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from guiyan_devstack import demo
from guiyan_devstack.stack import Stack

CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance,negative_data_rejection")


def fuzz(stack: Stack, token: str | None, seed: int, examples: int) -> tuple[int, str]:
    """Schemathesis's exit code and its report."""
    command = [sys.executable, "-m", "schemathesis.cli", "run", f"{stack.portal_url}/openapi.json",
               "--checks", CHECKS, "--phases", "examples,coverage,fuzzing", "--workers", "2",
               "--max-examples", str(examples), "--seed", str(seed),
               "--suppress-health-check", "all", "--warnings", "off"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("role", ["admin", "staff", "manager", "none"])
def test_no_generated_request_gets_a_5xx_or_an_answer_off_its_schema(scratch, role: str) -> None:
    issued = demo.tokens(scratch.config.auth_secret)
    token = {"admin": issued["admin"], "staff": issued["staff"], "none": None,
             "manager": issued["managers"]["caoxian-hanfu-park"]}[role]
    code, report = fuzz(scratch, token, seed=231, examples=10)
    cases = re.search(r"(\d+) generated, (\d+) passed", report)
    assert code == 0 and cases, report[-4000:]
    assert int(cases.group(1)) >= 300 and cases.group(1) == cases.group(2), report[-4000:]
