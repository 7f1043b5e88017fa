"""The tier of support a project gets in a park (项目评价机制): per subsidy item, the tier it is
paid at and that tier's multiplier, from the city's policy."""

from __future__ import annotations

from dataclasses import dataclass

from guiyan_contracts.models import ChainRole, Project

from .policy import ItemMultipliers, SupportTiers

INNOVATIVE = "innovative"  # 创新型高新技术项目: a tier beside the chain roles'


@dataclass(frozen=True)
class Tier:
    name: str  # a chain role's value, or INNOVATIVE
    multiplier: float


Support = dict[str, Tier]  # subsidy item → the tier it is paid at


def is_innovative(project: Project, tiers: SupportTiers) -> bool:
    return project.sector in tiers.innovative_sectors or project.chain in tiers.innovative_chains


def support_tiers(project: Project, role: ChainRole, tiers: SupportTiers) -> Support:
    """Subsidy item → the tier it is paid at: the chain role's, or for an innovative project the
    innovative tier where that pays more (a tie keeps the chain role, the stronger reason)."""
    offered = [role.value, INNOVATIVE] if is_innovative(project, tiers) else [role.value]
    support: Support = {}
    for item in ItemMultipliers.model_fields:
        candidates = [Tier(name, getattr(getattr(tiers, name), item)) for name in offered]
        support[item] = max(candidates, key=lambda tier: tier.multiplier)
    return support
