"""The benchmark's ledger reads back as valid projects, in Chinese, each with its own number."""

from __future__ import annotations

from guiyan_bench_e2e.imports import ledger

from guiyan_contracts.models import ProjectFields
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_portal.ledgers.columns import Vocabulary
from guiyan_portal.ledgers.reader import read_ledger


def test_every_row_of_the_generated_ledger_is_a_valid_project() -> None:
    rows = read_ledger("台账.xlsx", ledger(40)).rows
    taxonomy = load_taxonomy("heze")
    words = Vocabulary(taxonomy, [])
    projects = [ProjectFields.model_validate(words.fields(row.cells)) for row in rows]
    assert len({p.ledger_ref for p in projects}) == 40
    counties = {zh for _, zh, _ in taxonomy.counties}
    assert all(row.cells["hometown_county"] in counties for row in rows)
