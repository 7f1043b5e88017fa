"""Schemathesis against the portal's own OpenAPI, with each role's token and with none: no
generated request, valid or not, may get a 5xx, an undocumented status or an answer that
breaks the documented schema, and what breaks the schema must be refused. `make reliability`
runs the same far longer."""

from __future__ import annotations

import pytest

from guiyan_devstack import demo
from guiyan_devstack.fuzz import fuzz


@pytest.mark.parametrize("role", ["admin", "staff", "manager", "none"])
def test_no_generated_request_gets_a_5xx_or_an_answer_off_its_schema(scratch, role: str) -> None:
    issued = demo.tokens(scratch.config.auth_secret)
    token = {"admin": issued["admin"], "staff": issued["staff"], "none": None,
             "manager": issued["managers"]["caoxian-hanfu-park"]}[role]
    found = fuzz(scratch.portal_url, token, seed=231, examples=10)
    assert found.clean and found.cases >= 300, found.report[-4000:]
