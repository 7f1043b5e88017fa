"""Schemathesis against the portal's own OpenAPI, as an admin (who may call every operation) and
with no token: no generated request, valid or not, may get a 5xx, an undocumented status or an
answer that breaks the documented schema, and what breaks the schema must be refused.
`make reliability` runs the same far longer, as every role.

The fuzzer writes freely (it disables and renames users whose ids it reads in answers), so it
gets a system of its own: the other tests' accounts stay as they were."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from guiyan_devstack import demo
from guiyan_devstack.fuzz import fuzz
from guiyan_devstack.stack import Stack

from ..system import running_stack


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("fuzzed"), None, {
            "PLAN_DEBOUNCE_SECONDS": "0.1", "PREVIEW_TIME_LIMIT_SECONDS": "0.2"}) as running:
        yield running


@pytest.mark.parametrize("role", ["admin", "none"])
def test_no_generated_request_gets_a_5xx_or_an_answer_off_its_schema(fuzzed, role: str) -> None:
    token = demo.tokens(fuzzed.config.auth_secret)["admin"] if role == "admin" else None
    found = fuzz(fuzzed.portal_url, token, seed=231, examples=10)
    assert found.clean and found.cases >= 300, found.report[-4000:]
