"""The per-city policy file: Heze's ships and loads; a wrong one fails with what is wrong."""

from __future__ import annotations

from importlib.resources import files

import pytest
from pydantic import ValidationError

from guiyan_matching.adapters.policies import PolicyError, load_policy, parse_policy

HEZE = files("guiyan_matching.policies").joinpath("heze.toml").read_text("utf-8")


def test_heze_policy_loads_and_names_its_versions() -> None:
    policy = load_policy("heze")
    assert policy.city == "heze" and policy.version.startswith("heze-matching/")
    assert policy.thresholds.incubator_entry_window_months == 24
    assert policy.weights.chain_role.fill_gap > policy.weights.chain_role.extend


def test_chain_role_weights_must_rank_fill_gap_first() -> None:
    with pytest.raises(ValidationError, match="fill_gap > extend > strengthen > same_sector"):
        parse_policy(HEZE.replace("fill_gap = 40000", "fill_gap = 25000"), "test")


def test_a_negative_weight_names_the_field() -> None:
    with pytest.raises(ValidationError, match="hometown"):
        parse_policy(HEZE.replace("hometown = 3000", "hometown = -1"), "test")


def test_unknown_sectors_and_a_stale_taxonomy_version_are_reported_together() -> None:
    text = (HEZE.replace('"high_end_chemicals"]', '"plutonium"]')
            .replace('taxonomy_version = "heze-231/2024.1"', 'taxonomy_version = "heze-231/2019"'))
    with pytest.raises(PolicyError) as raised:
        parse_policy(text, "policies/heze.toml")
    message = str(raised.value)
    assert message.startswith("policies/heze.toml: ")
    assert "unknown sector 'plutonium'" in message and "'heze-231/2019'" in message


def test_an_unknown_field_is_an_error_not_ignored() -> None:
    with pytest.raises(ValidationError, match="tight_shares"):
        parse_policy(HEZE.replace("tight_share =", "tight_shares ="), "test")


def test_heze_policy_ranks_chain_and_innovative_tiers_above_others() -> None:
    support = load_policy("heze").support
    assert support.fill_gap.one_off > support.same_sector.one_off
    assert support.innovative_sectors == ["biomedicine", "new_energy_materials", "next_gen_it"]


def test_a_support_tier_paying_less_than_others_is_refused() -> None:
    text = HEZE.replace("[support.extend]                # 延链\nrent = 1.1",
                        "[support.extend]                # 延链\nrent = 0.9")
    with pytest.raises(ValidationError, match="support tier extend pays less than same_sector for rent"):
        parse_policy(text, "test")


def test_strengthening_a_link_paying_more_than_filling_it_is_refused() -> None:
    text = HEZE.replace("[support.strengthen]            # 强链\nrent = 1.0",
                        "[support.strengthen]            # 强链\nrent = 1.15")
    with pytest.raises(ValidationError, match="support tier strengthen pays more than extend for rent"):
        parse_policy(text, "test")


def test_a_mistyped_subsidy_item_in_a_tier_is_an_error() -> None:
    with pytest.raises(ValidationError, match="per_jobs"):
        parse_policy(HEZE.replace("per_job = 1.5", "per_jobs = 1.5", 1), "test")


def test_a_policy_without_support_tiers_is_refused() -> None:
    start = HEZE.index("[support]")
    without = HEZE[:start] + HEZE[HEZE.index("[thresholds]"):]
    with pytest.raises(ValidationError, match="support"):
        parse_policy(without, "test")


def test_unknown_innovative_sectors_and_chains_are_reported() -> None:
    text = HEZE.replace('innovative_sectors = ["biomedicine",',
                        'innovative_chains = ["quantum"]\ninnovative_sectors = ["biomedicin",')
    with pytest.raises(PolicyError) as raised:
        parse_policy(text, "policies/heze.toml")
    message = str(raised.value)
    assert "support.innovative_sectors: unknown sector 'biomedicin'" in message
    assert "support.innovative_chains: unknown chain 'quantum'" in message
