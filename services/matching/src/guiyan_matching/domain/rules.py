"""Matching rules, one small function each. They read contract snapshots and return plain values.

Eligibility rules return a `Reason` when a park must not take a project, else None. Score terms
return points; the city's policy weighs them.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from guiyan_contracts.models import ChainRole, Park, ParkKind, Project
from guiyan_contracts.taxonomy import Chain, Taxonomy

from .budgets import Yearly, budgets, charges, programme_years
from .policy import Policy, Weights
from .support import Support
from .wording import PARK_KINDS, day, named, yuan_zh


@dataclass(frozen=True)
class Reason:
    rule: str
    zh: str
    en: str


@dataclass(frozen=True)
class RuleContext:
    policy: Policy
    today: date
    taxonomy: Taxonomy  # reasons name sectors, chains and facilities by it
    forbidden: frozenset[tuple[str, str]] = frozenset()  # (project, park) pairs never to offer


def chain_role(project: Project, park: Park, taxonomy: Taxonomy,
               placed: frozenset[tuple[str, str]] = frozenset()) -> ChainRole:
    """The project's role in the park's chain: that of the link it is on."""
    return link_role(taxonomy.chain(project.sector, project.chain), project.link, park, placed)


def link_role(chain: Chain | None, link: str, park: Park,
              placed: frozenset[tuple[str, str]] = frozenset()) -> ChainRole:
    """What business on `link` of `chain` would do for the park's chain: the links the park
    registered and the links its accepted placements brought (`placed`, as (chain, link)) count
    alike, so that a second project like one placed there strengthens the link the first one
    filled. A link between two the park hosts fills a gap (补链); one beyond them extends the
    chain (延链)."""
    position = chain.position(link) if chain else None
    if chain is None or position is None:
        return ChainRole.same_sector
    links = [(h.chain, h.link) for h in park.hosted_links] + sorted(placed)
    hosted = [p for chain_code, hosted_link in links if chain_code == chain.code
              and (p := chain.position(hosted_link)) is not None]
    if not hosted:
        return ChainRole.same_sector
    if position in hosted:
        return ChainRole.strengthen  # 强链
    if min(hosted) < position < max(hosted):
        return ChainRole.fill_gap  # 补链
    return ChainRole.extend  # 延链


def investment_per_mu(project: Project) -> float:
    """投资强度 of a land project; floor projects have none."""
    return project.investment_yuan / project.land_mu if project.land_mu else 0.0


def tax_per_mu(project: Project) -> float:
    """Expected yearly tax per mu (亩均税收) of a land project; floor projects have none."""
    return project.expected_tax_yuan_per_year / project.land_mu if project.land_mu else 0.0


# --- eligibility (hard rules) ------------------------------------------------------------------

def sector_accepted(project: Project, park: Park, context: RuleContext) -> Reason | None:
    if project.sector in park.sectors:
        return None
    return sector_refused(*named(context.taxonomy, "sector", project.sector))


@functools.cache
def sector_refused(sector_zh: str, sector_en: str) -> Reason:
    """One per sector: most pairs a plan weighs fail here, and formatting the reason each time
    is a large share of the rules' time (measured: docs/performance.md, "pairing memory")."""
    return Reason("sector", f"园区不承接该项目所属产业（{sector_zh}）",
                  f"the park does not take the project's sector ({sector_en})")


def accepted_by_park_kind(project: Project, park: Park, context: RuleContext) -> Reason | None:
    rules = context.policy.park_kinds.get(park.kind)
    if rules is None:
        return None
    kind_zh, kind_en = PARK_KINDS[park.kind]
    if project.sector in rules.excluded_sectors:
        sector_zh, sector_en = named(context.taxonomy, "sector", project.sector)
        return Reason("park_kind", f"此类园区（{kind_zh}）不承接{sector_zh}产业",
                      f"this kind of park ({kind_en}) does not take the sector {sector_en}")
    if project.chain in rules.excluded_chains:
        chain_zh, chain_en = named(context.taxonomy, "chain", project.chain, sector=project.sector)
        return Reason("park_kind", f"此类园区（{kind_zh}）不承接{chain_zh}产业链",
                      f"this kind of park ({kind_en}) does not take the chain {chain_en}")
    return None


def not_forbidden(project: Project, park: Park, context: RuleContext) -> Reason | None:
    if (project.id, park.id) not in context.forbidden:
        return None
    return Reason("forbidden", "园区已拒绝该项目，不再推荐", "the park rejected it before; never offered again")


def hazardous_only_in_certified_chemical_parks(project: Project, park: Park,
                                               context: RuleContext) -> Reason | None:
    if not project.hazardous_process or park.chemical_park_certified:
        return None
    return Reason("chemical_park", "涉及危险化工工艺的项目只能进入省认定化工园区",
                  "hazardous chemical processes may only enter a certified chemical park")


def meets_investment_intensity(project: Project, park: Park, context: RuleContext) -> Reason | None:
    if project.land_mu == 0 or park.min_investment_yuan_per_mu == 0:
        return None
    intensity = investment_per_mu(project)
    if intensity >= park.min_investment_yuan_per_mu:
        return None
    return Reason("investment_intensity",
                  f"投资强度{yuan_zh(intensity)}/亩低于园区要求的{yuan_zh(park.min_investment_yuan_per_mu)}/亩",
                  f"investment intensity {intensity:,.0f} yuan/mu is below the park's "
                  f"{park.min_investment_yuan_per_mu:,.0f} yuan/mu")


def meets_tax_per_mu(project: Project, park: Park, context: RuleContext) -> Reason | None:
    """A project that states no expected tax cannot show it meets the park's floor."""
    if project.land_mu == 0 or park.min_tax_yuan_per_mu_year == 0:
        return None
    tax = tax_per_mu(project)
    if tax >= park.min_tax_yuan_per_mu_year:
        return None
    return Reason("tax_per_mu",
                  f"预计亩均税收{yuan_zh(tax)}/亩·年低于园区要求的{yuan_zh(park.min_tax_yuan_per_mu_year)}",
                  f"expected tax of {tax:,.0f} yuan/mu a year is below the park's "
                  f"{park.min_tax_yuan_per_mu_year:,.0f} yuan")


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def incubator_entry_window(project: Project, park: Park, context: RuleContext) -> Reason | None:
    if park.kind is not ParkKind.incubator:
        return None
    window = context.policy.thresholds.incubator_entry_window_months
    if project.registered_on is None:
        # Registry refuses a floor project without a date; one recorded before that rule must
        # not pass for a new business either.
        return Reason("incubator_window",
                      f"未填写企业注册日期，孵化基地只接收{window}个月内注册的企业",
                      f"no business registration date, and incubators take only businesses "
                      f"registered within the last {window} months")
    if project.registered_on >= months_before(context.today, window):
        return None
    registered_zh, registered_en = day(project.registered_on)
    return Reason("incubator_window",
                  f"企业于{registered_zh}注册，超过孵化基地{window}个月的入驻期限",
                  f"registered on {registered_en}, but incubators take businesses registered "
                  f"within the last {window} months")


def required_facilities_present(project: Project, park: Park, context: RuleContext) -> Reason | None:
    missing = [named(context.taxonomy, "facility", f) for f in project.required_facilities
               if f not in park.facilities]
    if not missing:
        return None
    return Reason("facilities", f"园区缺少项目所需设施：{'、'.join(zh for zh, _ in missing)}",
                  f"the park lacks facilities the project needs: {', '.join(en for _, en in missing)}")


def space_of_the_right_kind(project: Project, park: Park, context: RuleContext) -> Reason | None:
    if project.land_mu > 0 and park.land_mu == 0:
        return Reason("space_kind", "项目需要用地，园区没有可供土地", "the project needs land; the park has none")
    if project.floor_m2 > 0 and park.floor_m2 == 0:
        return Reason("space_kind", "项目需要厂房，园区没有可租厂房",
                      "the project needs floor space; the park has none")
    return None


EligibilityRule = Callable[[Project, Park, RuleContext], Reason | None]
# Checked in this order; the first that fails is the reason given.
ELIGIBILITY_RULES: tuple[EligibilityRule, ...] = (
    sector_accepted, accepted_by_park_kind, not_forbidden, hazardous_only_in_certified_chemical_parks,
    meets_investment_intensity, meets_tax_per_mu, incubator_entry_window,
    required_facilities_present, space_of_the_right_kind,
)


def ineligibility(project: Project, park: Park, context: RuleContext) -> Reason | None:
    for rule in ELIGIBILITY_RULES:  # a loop, not next(generator): this runs for every pair
        if reason := rule(project, park, context):
            return reason
    return None


# --- subsidy cost ------------------------------------------------------------------------------
# Each item is charged year by year (`Yearly`, the commitment's first year first): a park's
# budget renews every year, and each year's budget pays that year's share (domain/budgets.py).

def rent_subsidy_yuan(project: Project, park: Park) -> Yearly:
    """Free months at the park's rent, then each year's share, capped per m² and in area; each
    year charged the months that fall in it."""
    policy = park.subsidy_policy
    area = min(project.floor_m2, policy.rent_subsidy_area_cap_m2)
    capped_rent = min(policy.rent_yuan_per_m2_month, policy.rent_subsidy_cap_yuan_per_m2_month)
    shares = policy.rent_subsidy_pct_by_year
    yearly = []
    for year in range(programme_years(park)):
        free_months = min(12, max(0, policy.free_premises_months - 12 * year))
        share = shares[year] if year < len(shares) else 0
        yearly.append(policy.rent_yuan_per_m2_month * area * free_months
                      + capped_rent * area * (12 - free_months) * share / 100)
    return tuple(yearly)


def fee_subsidy_yuan(project: Project, park: Park) -> Yearly:
    """A share of the fees, capped per year, for each year of the rent shares."""
    policy = park.subsidy_policy
    yearly = policy.fee_yuan_per_m2_month * project.floor_m2 * 12 * policy.fee_subsidy_pct / 100
    return (min(yearly, policy.fee_subsidy_cap_yuan_per_year),) * len(policy.rent_subsidy_pct_by_year)


def one_off_subsidy_yuan(project: Project, park: Park) -> Yearly:
    """Paid on entry, in the first year."""
    policy = park.subsidy_policy
    if project.jobs > policy.one_off_hires_threshold:
        return (policy.one_off_subsidy_with_hires_yuan,)
    return (policy.one_off_subsidy_yuan,)


def per_job_subsidy_yuan(project: Project, park: Park) -> Yearly:
    """Paid for the jobs the project brings on entry, in the first year."""
    return (park.subsidy_policy.per_job_subsidy_yuan * project.jobs,)


SUBSIDY_ITEMS: dict[str, Callable[[Project, Park], Yearly]] = {
    "rent": rent_subsidy_yuan, "fees": fee_subsidy_yuan, "one_off": one_off_subsidy_yuan,
    "per_job": per_job_subsidy_yuan,
}


def subsidy_schedule(project: Project, park: Park, support: Support) -> dict[str, Yearly]:
    """What the park's budget is charged, item by item and year by year, each item at the
    project's tier of support (`support.support_tiers`). No budget, no programme."""
    if park.annual_subsidy_budget_yuan == 0:
        return {}
    return {name: tuple(yuan * support[name].multiplier for yuan in item(project, park))
            for name, item in SUBSIDY_ITEMS.items()}


def subsidy_items(project: Project, park: Park, support: Support) -> dict[str, float]:
    """Each item's charge over all its years."""
    return {name: sum(yearly) for name, yearly in subsidy_schedule(project, park, support).items()}


def subsidy_by_year(project: Project, park: Park, support: Support) -> Yearly:
    """All items' charge in each year of the commitment."""
    schedule = subsidy_schedule(project, park, support).values()
    years = max((len(yearly) for yearly in schedule), default=0)
    return tuple(sum(yearly[year] for yearly in schedule if year < len(yearly))
                 for year in range(years))


# --- resources ---------------------------------------------------------------------------------

def resource_use(project: Project, park: Park, support: Support, first_year: int
                 ) -> dict[str, float]:
    """What the project would take of the park; its subsidy charged to the budget of each year
    from `first_year`, the year the commitment would start (the plan's)."""
    use = {"floor_m2": project.floor_m2, "land_mu": project.land_mu}
    if park.kind is ParkKind.incubator:
        use["slots"] = 1
    return ({resource: amount for resource, amount in use.items() if amount > 0}
            | charges(subsidy_by_year(project, park, support), first_year))


def capacity(park: Park, first_year: int) -> dict[str, float]:
    """What the park has for a commitment starting in `first_year`: its room, and its budget for
    each year such a commitment may charge. Earlier years are past: nothing new charges them."""
    total = {"floor_m2": park.floor_m2, "land_mu": park.land_mu}
    if park.kind is ParkKind.incubator:
        total["slots"] = park.incubator_slots
    return total | budgets(park, first_year)


# --- score terms -------------------------------------------------------------------------------

def chain_role_points(project: Project, park: Park, role: ChainRole, weights: Weights) -> float:
    return getattr(weights.chain_role, role.value)


def hometown_points(project: Project, park: Park, role: ChainRole, weights: Weights) -> float:
    return weights.hometown if project.hometown_county == park.county else 0.0


def job_points(project: Project, park: Park, role: ChainRole, weights: Weights) -> float:
    return min(weights.per_job * project.jobs, weights.max_job_points)


def intensity_points(project: Project, park: Park, role: ChainRole, weights: Weights) -> float:
    return min(weights.per_million_yuan_per_mu * investment_per_mu(project) / 1e6,
               weights.max_intensity_points)


def tax_points(project: Project, park: Park, role: ChainRole, weights: Weights) -> float:
    return min(weights.per_10k_tax_yuan_per_mu * tax_per_mu(project) / 1e4, weights.max_tax_points)


def preference_points(project: Project, park: Park, role: ChainRole, weights: Weights) -> float:
    """The first stated choice earns the full weight, the last of k earns 1/k of it."""
    choices = project.preferred_park_ids
    if park.id not in choices:
        return 0.0
    return weights.preference * (len(choices) - choices.index(park.id)) / len(choices)


ScoreTermFunction = Callable[[Project, Park, ChainRole, Weights], float]
SCORE_TERMS: dict[str, ScoreTermFunction] = {
    "chain_role": chain_role_points, "hometown": hometown_points, "jobs": job_points,
    "investment_intensity": intensity_points, "tax_per_mu": tax_points,
    "preference": preference_points,
}


def score_terms(project: Project, park: Park, role: ChainRole, weights: Weights) -> dict[str, float]:
    """Each term's points, zero terms left out; the score is their sum."""
    points = {name: term(project, park, role, weights) for name, term in SCORE_TERMS.items()}
    return {name: value for name, value in points.items() if value}
