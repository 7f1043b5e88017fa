"""The words explanations and reasons are written in: the taxonomy's names for its codes, names
for the park kinds and resources, amounts and dates as each language writes them. No code (a
sector's id, `floor_m2`) reaches either text, and neither text borrows from the other language.
"""

from __future__ import annotations

from datetime import date

from guiyan_contracts.models import ParkKind, budget_year
from guiyan_contracts.taxonomy import Kind, Taxonomy

PARK_KINDS = {ParkKind.incubator: ("孵化基地", "incubator"),
              ParkKind.return_home_park: ("返乡创业园", "return-home entrepreneurship park"),
              ParkKind.industrial_cluster: ("产业集聚区", "industrial cluster"),
              ParkKind.chemical_park: ("化工园区", "chemical park")}
# resource → (Chinese name, Chinese unit, English name, English amount pattern); each year's
# subsidy budget is named by its year (`resource_name`)
RESOURCES = {"floor_m2": ("场地面积", "m²", "floor space", "{} m² of floor space"),
             "land_mu": ("用地", "亩", "land", "{} mu of land"),
             "slots": ("孵化工位", "个", "incubator slots", "{} incubator slots")}
# 项目评价机制: the tiers of support (a chain role's, or innovative), as a subsidy line names them
SUPPORT_TIERS = {"fill_gap": ("补链项目", "chain gap-filling projects"),
                 "extend": ("延链项目", "chain-extending projects"),
                 "strengthen": ("强链项目", "chain-strengthening projects"),
                 "same_sector": ("一般项目", "other projects"),
                 "innovative": ("创新型高新技术项目", "innovative high-tech projects")}
UNKNOWN = ("未列入本市产业链图谱的项", "an entry outside the city's industry map")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WAN = 10_000  # 万


def named(taxonomy: Taxonomy, kind: Kind, code: str, *, sector: str | None = None,
          chain: str | None = None) -> tuple[str, str]:
    """(Chinese, English) name of a taxonomy code; a code the taxonomy has lost since it was
    entered is said to be outside it, not shown."""
    zh = taxonomy.name(kind, code, "zh", sector=sector, chain=chain)
    en = taxonomy.name(kind, code, "en", sector=sector, chain=chain)
    return (zh, en) if zh and en else UNKNOWN


def yuan_zh(yuan: float) -> str:
    """Chinese readers count money in 万元 from one 万 up."""
    return f"{yuan / WAN:,.1f}万元" if abs(yuan) >= WAN else f"{yuan:,.0f}元"


def day(on: date) -> tuple[str, str]:
    return f"{on.year}年{on.month}月{on.day}日", f"{MONTHS[on.month - 1]} {on.day}, {on.year}"


def resource_name(resource: str) -> tuple[str, str]:
    """A resource as a reader calls it; a year's subsidy budget by its year (2027年补贴预算)."""
    if (year := budget_year(resource)) is not None:
        return f"{year}年补贴预算", f"the {year} subsidy budget"
    zh_name, _, en_name, _ = RESOURCES[resource]
    return zh_name, en_name


def quantity(resource: str, value: float) -> tuple[str, str]:
    if (year := budget_year(resource)) is not None:
        return (f"{resource_name(resource)[0]}{yuan_zh(value)}",
                f"{value:,.0f} yuan of the {year} subsidy budget")
    zh_name, zh_unit, _, en_amount = RESOURCES[resource]
    return f"{zh_name}{value:,.0f}{zh_unit}", en_amount.format(f"{value:,.0f}")


def resource_names(resources: list[str]) -> tuple[str, str]:
    names = [resource_name(r) for r in resources]
    return "、".join(zh for zh, _ in names), ", ".join(en for _, en in names)
