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
              "reminded", "expired", "unplaced", "completed", "progressed", "erased", "assigned",
              "computed", "failed")


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


def test_every_taxonomy_entry_is_named_in_chinese_and_english() -> None:
    heze = load_taxonomy("heze")
    assert heze.name("county", "caoxian", "zh") == "曹县"
    assert heze.name("county", "mudan", "en") == "Mudan District"
    assert heze.name("facility", "wastewater_treatment", "en") == "Central wastewater treatment"
    assert heze.name("sector", "textiles_apparel", "zh_CN") == "纺织服装"
    assert heze.name("chain", "hanfu", "en", sector="textiles_apparel") == "Hanfu"
    assert heze.name("link", "wigs", "zh", sector="textiles_apparel", chain="hair_products") == "假发成品"
    assert heze.city_name("zh") == "菏泽市" and heze.city_name("en") == "Heze"
    for (kind, *_, code), (zh, en) in heze.names.items():
        assert zh and en and zh != en, (kind, code)
        assert not re.search(r"[\u4e00-\u9fff]", en), (kind, code, en)


def test_a_code_outside_the_taxonomy_has_no_name_rather_than_a_guess() -> None:
    heze = load_taxonomy("heze")
    assert heze.name("county", "atlantis", "zh") is None
    assert heze.name("chain", "hanfu", "zh", sector="biomedicine") is None  # a chain of another sector
    assert heze.name("link", "wigs", "en", sector="textiles_apparel", chain="hanfu") is None


@pytest.mark.parametrize("where", ["county", "facility", "link", "sector", "city"])
def test_a_taxonomy_entry_without_an_english_name_is_refused(where: str) -> None:
    document = load_taxonomy("heze").model_dump()
    if where == "county":
        document["counties"][0] = document["counties"][0][:2]
    elif where == "facility":
        document["facilities"][0] = document["facilities"][0][:2]
    elif where == "link":
        document["sectors"][0]["chains"][0]["links"][0] = document["sectors"][0]["chains"][0]["links"][0][:2]
    elif where == "sector":
        del document["sectors"][0]["en"]
    else:
        document["city_en"] = " "
    with pytest.raises(ValidationError, match=r"no English name|Field required|at least 1 character"):
        Taxonomy.model_validate(document)
