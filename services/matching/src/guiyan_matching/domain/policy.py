"""A city's matching policy: the weights of each score term and the rules' thresholds.

Versioned per city (`policies/<city>.toml`), validated here, and checked against the city's
taxonomy, so a typo in a sector code fails at start-up rather than silently excluding nothing.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from guiyan_contracts.envelope import Contract
from guiyan_contracts.models import ParkKind
from guiyan_contracts.taxonomy import Taxonomy


class ChainRoleWeights(Contract):
    fill_gap: float = Field(ge=0)  # 补链
    extend: float = Field(ge=0)  # 延链
    strengthen: float = Field(ge=0)  # 强链
    same_sector: float = Field(ge=0)

    @model_validator(mode="after")
    def _most_wanted_first(self) -> Self:
        if not self.fill_gap > self.extend > self.strengthen > self.same_sector:
            raise ValueError("chain-role weights must rank fill_gap > extend > strengthen > same_sector")
        return self


class Weights(Contract):
    chain_role: ChainRoleWeights
    hometown: float = Field(ge=0)  # the founder's hometown county is the park's
    per_job: float = Field(ge=0)
    max_job_points: float = Field(ge=0)
    per_million_yuan_per_mu: float = Field(ge=0)  # investment intensity of land projects
    max_intensity_points: float = Field(ge=0)
    per_10k_tax_yuan_per_mu: float = Field(ge=0)  # yearly tax per mu of land projects
    max_tax_points: float = Field(ge=0)
    preference: float = Field(ge=0)  # the project's first stated choice; later ones get less


class ScaleWeights(Contract):
    """Points for the size of the enterprise a lead works in; none known earns nothing."""

    micro: float = Field(ge=0)
    small: float = Field(ge=0)
    medium: float = Field(ge=0)
    large: float = Field(ge=0)

    @model_validator(mode="after")
    def _larger_first(self) -> Self:
        if not self.large > self.medium > self.small > self.micro:
            raise ValueError("scale weights must rank large > medium > small > micro")
        return self


class InfluenceWeights(Contract):
    general: float = Field(ge=0)
    notable: float = Field(ge=0)
    key: float = Field(ge=0)

    @model_validator(mode="after")
    def _key_first(self) -> Self:
        if not self.key > self.notable > self.general:
            raise ValueError("influence weights must rank key > notable > general")
        return self


class LeadWeights(Contract):
    """How chain-gap leads (招商线索) are ranked: the four terms of a lead's score."""

    scale: ScaleWeights
    influence: InfluenceWeights
    same_county: float = Field(ge=0)  # the lead's hometown is the park's county
    same_city: float = Field(ge=0)  # another county of the park's city
    recent_contact: float = Field(ge=0)  # contacted within `recent_contact_months`
    recent_contact_months: int = Field(ge=1, le=120)

    @model_validator(mode="after")
    def _own_county_first(self) -> Self:
        if not self.same_county > self.same_city:
            raise ValueError("hometown weights must rank same_county > same_city")
        return self


class Thresholds(Contract):
    incubator_entry_window_months: int = Field(ge=1, le=120)
    # A capacity or budget is reported as tight when a plan leaves less than this share of it.
    tight_share: float = Field(gt=0, lt=1)


class KindRules(Contract):
    """Sectors and chains a kind of park never takes, whatever a park of that kind lists."""

    excluded_sectors: list[str] = Field(default_factory=list)
    excluded_chains: list[str] = Field(default_factory=list)


class ItemMultipliers(Contract):
    """What each subsidy item of the park's own policy is multiplied by for one tier of support."""

    rent: float = Field(ge=0, le=10)
    fees: float = Field(ge=0, le=10)
    one_off: float = Field(ge=0, le=10)
    per_job: float = Field(ge=0, le=10)


class SupportTiers(Contract):
    """项目评价机制: different tiers of support for different projects. A project's tier is its
    chain role's at the park; an innovative one (创新型高新技术项目) is paid, item by item, at the
    innovative tier where that pays more. Innovation is read from the taxonomy, by the sectors
    and chains the city counts as high-tech, not from a flag on the project: no contract,
    registry, portal or ledger change, and the city can widen the list without projects being
    entered again."""

    fill_gap: ItemMultipliers  # 补链
    extend: ItemMultipliers  # 延链
    strengthen: ItemMultipliers  # 强链
    same_sector: ItemMultipliers  # the rest: in the park's sector, off its chains
    innovative: ItemMultipliers
    innovative_sectors: list[str] = Field(default_factory=list)
    innovative_chains: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _chain_and_innovative_rank_above_others(self) -> Self:
        others = self.same_sector.model_dump()
        for tier in ("fill_gap", "extend", "strengthen", "innovative"):
            below = [item for item, multiplier in getattr(self, tier).model_dump().items()
                     if multiplier < others[item]]
            if below:
                raise ValueError(f"support tier {tier} pays less than same_sector for "
                                 f"{', '.join(below)}: chain and innovative projects rank above others")
        return self

    @model_validator(mode="after")
    def _filling_a_link_pays_at_least_strengthening_it(self) -> Self:
        """A second offer on a link another fills is paid at 强链's tier after the solve
        (`links.py`): its subsidy must not then exceed what the solve fitted into the budget."""
        for higher, lower in (("fill_gap", "extend"), ("extend", "strengthen")):
            above = getattr(self, higher).model_dump()
            below = [item for item, multiplier in getattr(self, lower).model_dump().items()
                     if multiplier > above[item]]
            if below:
                raise ValueError(f"support tier {lower} pays more than {higher} for "
                                 f"{', '.join(below)}: 补链 ≥ 延链 ≥ 强链, item by item")
        return self


class Policy(Contract):
    format: Literal["guiyan-policy/1"]
    city: str
    version: str
    taxonomy_version: str
    weights: Weights
    thresholds: Thresholds
    park_kinds: dict[ParkKind, KindRules] = Field(default_factory=dict)
    leads: LeadWeights
    support: SupportTiers


def policy_errors(policy: Policy, taxonomy: Taxonomy) -> list[str]:
    """What in a policy does not agree with the taxonomy it was written for."""
    errors = []
    if policy.taxonomy_version != taxonomy.version:
        errors.append(f"written for taxonomy {policy.taxonomy_version!r}, "
                      f"but {taxonomy.city} has {taxonomy.version!r}")
    chains = {c.code for s in taxonomy.sectors for c in s.chains}
    for kind, rules in policy.park_kinds.items():
        errors += [f"park_kinds.{kind.value}.excluded_sectors: unknown sector {code!r}"
                   for code in rules.excluded_sectors if taxonomy.sector(code) is None]
        errors += [f"park_kinds.{kind.value}.excluded_chains: unknown chain {code!r}"
                   for code in rules.excluded_chains if code not in chains]
    errors += [f"support.innovative_sectors: unknown sector {code!r}"
               for code in policy.support.innovative_sectors if taxonomy.sector(code) is None]
    errors += [f"support.innovative_chains: unknown chain {code!r}"
               for code in policy.support.innovative_chains if code not in chains]
    return errors
