"""Version 1 proposal events, still in the stream after an upgrade, read as version 2."""

from __future__ import annotations

from datetime import UTC, datetime

from guiyan_contracts.matching import ProposalWithdrawn
from guiyan_contracts.matching_v1 import ProposalWithdrawnV1, unjoined, upgraded
from guiyan_contracts.models import Bilingual


def test_a_joined_reason_is_parted_at_its_join() -> None:
    assert unjoined("项目已撤回 / the project was withdrawn") == Bilingual(
        zh="项目已撤回", en="the project was withdrawn")


def test_a_reason_quoting_text_with_the_separator_is_parted_at_the_middle_one() -> None:
    assert unjoined("撤回：甲 / 乙 / withdrawn: 甲 / 乙") == Bilingual(
        zh="撤回：甲 / 乙", en="withdrawn: 甲 / 乙")


def test_a_version_1_event_upgrades_to_version_2_keeping_its_id() -> None:
    older = ProposalWithdrawnV1.model_validate({
        "producer": "matching", "tenant_id": "heze", "manager_ids": ["mgr-a"],
        "submitted_by": "staff", "schema_version": 1, "proposal": {
            "id": "o1", "tenant_id": "heze", "project_id": "p1", "project_name": "汉服工作室",
            "park_id": "a", "park_name": "曹县返乡创业园", "status": "withdrawn", "score": 1.0,
            "chain_role": "extend", "subsidy_yuan": 0.0, "explanation_zh": "",
            "explanation_en": "", "offered_at": datetime(2026, 11, 1, tzinfo=UTC).isoformat(),
            "withdraw_reason": "项目已撤回 / the project was withdrawn"}})
    current = upgraded(older)
    assert type(current) is ProposalWithdrawn and current.SUBJECT.endswith(".v2")
    assert current.event_id == older.event_id and current.schema_version == 2
    assert current.proposal.withdraw_reason == Bilingual(zh="项目已撤回",
                                                         en="the project was withdrawn")
