"""Matching rules, one small function each. They read contract snapshots and return plain values.

Eligibility rules return a `Reason` when a park must not take a project, else None.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from guiyan_contracts.models import ChainRole, Park, ParkKind, Project
from guiyan_contracts.taxonomy import Taxonomy

INCUBATOR_ENTRY_WINDOW_MONTHS = 24  # 孵化基地: registered within the last 24 months

# Chain fit first (补链 > 延链 > 强链 > same sector), then hometown, then jobs: the weights keep
# that order lexicographic, as jobs add at most 999.
CHAIN_ROLE_POINTS = {ChainRole.fill_gap: 40_000, ChainRole.extend: 30_000,
                     ChainRole.strengthen: 20_000, ChainRole.same_sector: 10_000}
HOMETOWN_POINTS = 5_000
MAX_JOB_POINTS = 999


@dataclass(frozen=True)
class Reason:
    rule: str
    zh: str
    en: str


def chain_role(project: Project, park: Park, taxonomy: Taxonomy) -> ChainRole:
    chain = taxonomy.chain(project.sector, project.chain)
    position = chain.position(project.link) if chain else None
    hosted = [p for h in park.hosted_links if h.chain == project.chain
              and chain and (p := chain.position(h.link)) is not None]
    if position is None or not hosted:
        return ChainRole.same_sector
    if position in hosted:
        return ChainRole.strengthen  # 强链
    if min(hosted) < position < max(hosted):
        return ChainRole.fill_gap  # 补链
    return ChainRole.extend  # 延链


def sector_accepted(project: Project, park: Park, today: date) -> Reason | None:
    if project.sector in park.sectors:
        return None
    return Reason("sector", f"园区不承接该项目所属产业（{project.sector}）",
                  f"the park does not take the project's sector ({project.sector})")


def hazardous_only_in_certified_chemical_parks(project: Project, park: Park,
                                               today: date) -> Reason | None:
    if not project.hazardous_process or park.chemical_park_certified:
        return None
    return Reason("chemical_park", "涉及危险化工工艺的项目只能进入省认定化工园区",
                  "hazardous chemical processes may only enter a certified chemical park")


def meets_investment_intensity(project: Project, park: Park, today: date) -> Reason | None:
    if project.land_mu == 0 or park.min_investment_yuan_per_mu == 0:
        return None
    intensity = project.investment_yuan / project.land_mu
    if intensity >= park.min_investment_yuan_per_mu:
        return None
    return Reason("investment_intensity",
                  f"投资强度{intensity:,.0f}元/亩低于园区要求的{park.min_investment_yuan_per_mu:,.0f}元/亩",
                  f"investment intensity {intensity:,.0f} yuan/mu is below the park's "
                  f"{park.min_investment_yuan_per_mu:,.0f} yuan/mu")


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def incubator_entry_window(project: Project, park: Park, today: date) -> Reason | None:
    if park.kind is not ParkKind.incubator or project.registered_on is None:
        return None  # not yet registered counts as new
    if project.registered_on >= months_before(today, INCUBATOR_ENTRY_WINDOW_MONTHS):
        return None
    registered = project.registered_on.isoformat()
    return Reason("incubator_window",
                  f"企业于{registered}注册，超过孵化基地{INCUBATOR_ENTRY_WINDOW_MONTHS}个月的入驻期限",
                  f"registered on {registered}, but incubators take businesses registered "
                  f"within the last {INCUBATOR_ENTRY_WINDOW_MONTHS} months")


def space_of_the_right_kind(project: Project, park: Park, today: date) -> Reason | None:
    if project.land_mu > 0 and park.land_mu == 0:
        return Reason("space_kind", "项目需要用地，园区没有可供土地", "the project needs land; the park has none")
    if project.floor_m2 > 0 and park.floor_m2 == 0:
        return Reason("space_kind", "项目需要厂房，园区没有可租厂房",
                      "the project needs floor space; the park has none")
    return None


EligibilityRule = Callable[[Project, Park, date], Reason | None]
ELIGIBILITY_RULES: tuple[EligibilityRule, ...] = (
    sector_accepted, hazardous_only_in_certified_chemical_parks, meets_investment_intensity,
    incubator_entry_window, space_of_the_right_kind,
)


def ineligibility(project: Project, park: Park, today: date) -> Reason | None:
    return next((r for rule in ELIGIBILITY_RULES if (r := rule(project, park, today))), None)


def rent_subsidy_yuan(project: Project, park: Park) -> float:
    """Free months at the park's rent, then each year's share, capped per m² and in area."""
    policy = park.subsidy_policy
    area = min(project.floor_m2, policy.rent_subsidy_area_cap_m2)
    free_months = policy.free_premises_months
    capped_rent = min(policy.rent_yuan_per_m2_month, policy.rent_subsidy_cap_yuan_per_m2_month)
    total = policy.rent_yuan_per_m2_month * area * free_months
    for year, percent in enumerate(policy.rent_subsidy_pct_by_year):
        subsidised_months = max(0, 12 * (year + 1) - max(12 * year, free_months))
        total += capped_rent * area * subsidised_months * percent / 100
    return total


def fee_subsidy_yuan(project: Project, park: Park) -> float:
    policy = park.subsidy_policy
    yearly = policy.fee_yuan_per_m2_month * project.floor_m2 * 12 * policy.fee_subsidy_pct / 100
    return min(yearly, policy.fee_subsidy_cap_yuan_per_year) * len(policy.rent_subsidy_pct_by_year)


def one_off_subsidy_yuan(project: Project, park: Park) -> float:
    policy = park.subsidy_policy
    if project.jobs > policy.one_off_hires_threshold:
        return policy.one_off_subsidy_with_hires_yuan
    return policy.one_off_subsidy_yuan


def subsidy_cost_yuan(project: Project, park: Park) -> float:
    """Everything the park's budget is charged if the project enters. No budget, no programme."""
    if park.annual_subsidy_budget_yuan == 0:
        return 0.0
    return (rent_subsidy_yuan(project, park) + fee_subsidy_yuan(project, park)
            + one_off_subsidy_yuan(project, park)
            + park.subsidy_policy.per_job_subsidy_yuan * project.jobs)


def resource_use(project: Project, park: Park) -> dict[str, float]:
    use = {"floor_m2": project.floor_m2, "land_mu": project.land_mu,
           "subsidy_yuan": subsidy_cost_yuan(project, park)}
    if park.kind is ParkKind.incubator:
        use["slots"] = 1
    return {resource: amount for resource, amount in use.items() if amount > 0}


def capacity(park: Park) -> dict[str, float]:
    total = {"floor_m2": park.floor_m2, "land_mu": park.land_mu}
    if park.kind is ParkKind.incubator:
        total["slots"] = park.incubator_slots
    if park.annual_subsidy_budget_yuan > 0:
        total["subsidy_yuan"] = park.annual_subsidy_budget_yuan
    return total


def score(project: Project, park: Park, role: ChainRole) -> float:
    hometown = HOMETOWN_POINTS if project.hometown_county == park.county else 0
    return CHAIN_ROLE_POINTS[role] + hometown + min(project.jobs, MAX_JOB_POINTS)
