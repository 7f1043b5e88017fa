"""The contracts are one consistent, versioned vocabulary, and their published schemas are current."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from guiyan_contracts.envelope import Event, Request
from guiyan_contracts.export import contract_models, write_schemas
from guiyan_contracts.taxonomy import Taxonomy, load_taxonomy

EVENT_SUBJECT = re.compile(r"^guiyan\.(registry|matching|notification)\.[a-z_]+\.[a-z_]+\.v\d+$")
REQUEST_SUBJECT = re.compile(r"^guiyan\.(cmd|query)\.(registry|matching|notification)\.[a-z_]+\.[a-z_]+\.v\d+$")
PAST_TENSE = ("registered", "submitted", "updated", "withdrawn", "offered", "accepted", "rejected",
              "reminded", "expired", "unplaced", "completed", "progressed")


def test_every_event_subject_names_its_producer_entity_and_a_past_tense_verb() -> None:
    events = [m for m in contract_models().values() if issubclass(m, Event) and m is not Event]
    assert events
    for event in events:
        assert EVENT_SUBJECT.match(event.SUBJECT), event.SUBJECT
        assert event.SUBJECT.split(".")[3] in PAST_TENSE, event.SUBJECT


def test_every_request_subject_is_a_command_or_query_outside_the_event_streams() -> None:
    requests = [m for m in contract_models().values() if issubclass(m, Request) and m is not Request]
    assert requests
    for request in requests:
        assert REQUEST_SUBJECT.match(request.SUBJECT), request.SUBJECT
    subjects = [m.SUBJECT for m in contract_models().values() if hasattr(m, "SUBJECT")
                and isinstance(m.SUBJECT, str)]
    assert len(subjects) == len(set(subjects))


def test_the_published_schemas_match_the_models(tmp_path: Path) -> None:
    published = Path(__file__).parents[1] / "schemas"
    write_schemas(tmp_path)
    fresh = {p.name: json.loads(p.read_text()) for p in tmp_path.glob("*.json")}
    current = {p.name: json.loads(p.read_text()) for p in published.glob("*.json")}
    assert fresh == current, "run `make contracts` and commit contracts/schemas"


def test_every_event_carries_the_envelope() -> None:
    envelope = {"event_id", "occurred_at", "producer", "correlation_id", "schema_version", "tenant_id"}
    for name, model in contract_models().items():
        if issubclass(model, Event):
            assert envelope <= set(model.model_fields), name


@pytest.mark.parametrize("where", ["sector", "chain"])
def test_a_taxonomy_with_a_code_twice_is_refused_naming_the_code(where: str) -> None:
    document = load_taxonomy("heze").model_dump()
    if where == "sector":
        document["sectors"].append(document["sectors"][0])
    else:
        document["sectors"][0]["chains"].append(document["sectors"][0]["chains"][0])
    twice = document["sectors"][0]["chains"][0]["code"] if where == "chain" else document["sectors"][0]["code"]
    with pytest.raises(ValidationError, match=f"{where} code {twice} appears more than once"):
        Taxonomy.model_validate(document)
