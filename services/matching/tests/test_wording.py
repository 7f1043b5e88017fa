"""Explanations and reasons speak to people: every rule's reason, every score term, subsidy line
and verdict names things by the taxonomy's names and units, in each language whole. No code (a
county's pinyin id, a sector id, `floor_m2`) and no English in the Chinese, no Chinese in the
English."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from guiyan_contracts.models import ChainLink, ChainRole, ParkKind, Verdict
from guiyan_matching.domain.explanations import tier_text
from guiyan_matching.domain.planning import decide, pairings
from guiyan_matching.domain.policy import KindRules
from guiyan_matching.domain.rules import ELIGIBILITY_RULES, SCORE_TERMS, SUBSIDY_ITEMS, RuleContext
from guiyan_matching.domain.support import INNOVATIVE, Tier
from guiyan_matching.domain.wording import PARK_KINDS, RESOURCES, SUPPORT_TIERS, resource_names

from .test_planning import POLICY, TAXONOMY, TODAY, make_inputs, make_park, make_project, solution

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
CODES = ({code for code, *_ in TAXONOMY.counties} | {code for code, *_ in TAXONOMY.facilities}
         | {s.code for s in TAXONOMY.sectors} | {c.code for s in TAXONOMY.sectors for c in s.chains}
         | {code for s in TAXONOMY.sectors for c in s.chains for code, *_ in c.links}
         | set(RESOURCES) | {"subsidy_yuan"} | {kind.value for kind in ParkKind})
# A code that is also an English word of some name ("logistics", "equipment") is that word there.
ENGLISH_WORDS = {word for en in [*(en for _, en in TAXONOMY.names.values()),
                                 *(en for _, en in PARK_KINDS.values()),
                                 *(en for *_, en, _ in RESOURCES.values())]
                 for word in re.findall(r"[a-z]+", en)}
PARK_NAMES = ("巨野返乡创业园", "曹县创业园", "成武小微园", "单县创业园", "东明化工园", "牡丹医药园",
              "郓城孵化基地", "鄄城木业园", "定陶商务园", "菏泽高新园", "鲁西新区园")


def parks() -> list[Any]:
    everything = [code for code, *_ in TAXONOMY.facilities]
    return [make_park(f"park-{index}", name=PARK_NAMES[index], **fields) for index, fields in enumerate([
        {"county": "juye", "land_mu": 100, "annual_subsidy_budget_yuan": 2_000_000, "facilities": everything,
         "min_investment_yuan_per_mu": 500_000, "min_tax_yuan_per_mu_year": 10_000,
         "hosted_links": [ChainLink(chain="wood", link="logs"), ChainLink(chain="wood", link="wood_crafts")]},
        {"land_mu": 100, "facilities": everything},  # scores lower
        {"floor_m2": 100, "facilities": everything},  # too small
        {"annual_subsidy_budget_yuan": 50_000, "facilities": everything},  # too poor
        {"kind": ParkKind.chemical_park, "facilities": everything},  # a kind not taking wood
        {"sectors": ["biomedicine"]},  # another sector
        {"kind": ParkKind.incubator, "incubator_slots": 5, "facilities": everything},
        {"land_mu": 100},  # no facilities
        {"land_mu": 0, "facilities": everything},  # no land
        {"land_mu": 100, "min_investment_yuan_per_mu": 10_000_000, "facilities": everything},
        {"land_mu": 100, "min_tax_yuan_per_mu_year": 1_000_000, "facilities": everything},
    ])]


def projects() -> list[Any]:
    return [
        make_project("floor", link="veneer_panels", jobs=8, hometown_county="juye",
                     preferred_park_ids=["park-0", "park-1"], registered_on=date(2020, 1, 1),
                     required_facilities=["cold_storage"]),
        make_project("land", floor_m2=0, land_mu=20, investment_yuan=30_000_000,
                     expected_tax_yuan_per_year=400_000, required_facilities=["rail_siding"]),
        make_project("hazardous", hazardous_process=True),
        make_project("loser", registered_on=date(2020, 1, 1), required_facilities=["heavy_floor"]),
        make_project("land-loser", floor_m2=0, land_mu=20, investment_yuan=30_000_000,
                     expected_tax_yuan_per_year=400_000),
    ]


def texts_of_a_plan() -> list[tuple[str, str]]:
    inputs = make_inputs(parks(), projects(), forbidden={("loser", "park-1")})
    eligible, excluded = pairings(inputs, TAXONOMY, POLICY)
    offers, unplaced = decide(inputs, eligible, excluded,
                              solution({"floor": "park-0", "land": "park-0"}), POLICY, TAXONOMY)
    texts = [(o.explanation_zh, o.explanation_en) for o in offers]
    for offer in offers:
        explanation = offer.explanation
        texts += [(line.zh, line.en) for line in [*explanation.score_terms, *explanation.subsidy_lines,
                                                  *explanation.runners_up]]
    texts += [(u.reason_zh, u.reason_en) for u in unplaced]
    texts += [(v.zh, v.en) for u in unplaced for v in u.verdicts]
    covered = {t.term for o in offers for t in o.explanation.score_terms}
    assert covered == set(SCORE_TERMS), "every score term is said"
    assert {s.item for o in offers for s in o.explanation.subsidy_lines} == set(SUBSIDY_ITEMS)
    verdicts = {v.verdict for o in offers for v in o.explanation.runners_up}
    verdicts |= {v.verdict for u in unplaced for v in u.verdicts}
    assert verdicts == set(Verdict), "every verdict is said"
    rules = {v.rule for u in unplaced for v in u.verdicts} | {v.rule for o in offers
                                                              for v in o.explanation.runners_up}
    assert rules - {None} == {
        "sector", "park_kind", "forbidden", "chemical_park", "investment_intensity", "tax_per_mu",
        "incubator_window", "facilities", "space_kind"}, "every eligibility rule is said"
    assert len(ELIGIBILITY_RULES) == len(rules - {None})
    return texts


def texts_of_other_reasons() -> list[tuple[str, str]]:
    """A kind of park excluding a chain, the resources a shrinking park withdraws offers for, and
    every tier of support."""
    policy = POLICY.model_copy(update={"park_kinds": {ParkKind.incubator: KindRules(excluded_chains=["wood"])}})
    incubator = make_park("k", kind=ParkKind.incubator, incubator_slots=3)
    reasons = [rule(make_project("p"), incubator, RuleContext(policy, TODAY, TAXONOMY)) for rule in ELIGIBILITY_RULES]
    return ([(r.zh, r.en) for r in reasons if r] + [resource_names([*RESOURCES, "subsidy_yuan:2027"])]
            + list(PARK_KINDS.values()) + [tier_text(Tier(name, 1.5)) for name in SUPPORT_TIERS])


def without_park_names(text: str) -> str:
    for name in PARK_NAMES:
        text = text.replace(name, "")
    return text


def test_no_code_and_no_other_language_in_any_explanation_or_reason() -> None:
    texts = texts_of_a_plan() + texts_of_other_reasons()
    for zh, en in texts:
        for text in (zh, en):
            assert not SNAKE_CASE.search(text), text
            leaked = {code for code in CODES - ENGLISH_WORDS if re.search(rf"(?<![A-Za-z]){code}(?![A-Za-z])", text)}
            assert not leaked, (leaked, text)
        assert CJK.search(zh), zh
        assert not re.search(r"[A-Za-z]", without_park_names(zh).replace("m²", "")), zh
        assert not CJK.search(without_park_names(en)), en


def test_every_tier_of_support_has_its_words() -> None:
    assert set(SUPPORT_TIERS) == {role.value for role in ChainRole} | {INNOVATIVE}
