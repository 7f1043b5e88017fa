"""Subsidy budgets by year (预算年度). A park's annual budget renews every calendar year, and a
multi-year commitment charges each year its own share: year 1's share to the year the commitment
starts (the plan's year, or the year the offer is accepted), year 2's to the next, and so on.
Each year's budget is a resource of its own (`budget_of(year)`), so that the optimiser caps each
year apart and a budget used up in one year is there again in the next. Years already past are
no budget any commitment can still charge, so they are left out of a park's capacity."""

from __future__ import annotations

import math
from collections.abc import Mapping

from guiyan_contracts.models import Park, budget_of, budget_year

Yearly = tuple[float, ...]  # yuan in each year of a commitment, its first year first
# A holding stored before budgets had years: its split is unknown, so its whole total is charged
# to each of the three years from its start, the longest typical programme (free premises for up
# to 3 years, rent shares for years 1–3). It never frees money such a commitment may still draw,
# and stops counting once the commitment would be over.
LEGACY_YEARS = 3


def programme_years(park: Park) -> int:
    """How many years a commitment at the park runs: those of its rent shares, or longer while
    its free months last."""
    policy = park.subsidy_policy
    return max(len(policy.rent_subsidy_pct_by_year), math.ceil(policy.free_premises_months / 12), 1)


def charges(yearly: Yearly, first_year: int) -> dict[str, float]:
    """Each budget year's charge of a commitment that starts in `first_year`, up to the last
    year charged. A year charged nothing before that stays named, so that the first year named
    is always the commitment's first (`starting_in` moves it by that)."""
    last = max((year for year, yuan in enumerate(yearly) if yuan > 0), default=-1)
    return {budget_of(first_year + year): yearly[year] for year in range(last + 1)}


def budgets(park: Park, first_year: int) -> dict[str, float]:
    """The budget of each year a commitment starting in `first_year` may charge: the park's
    annual budget, every year. A park without a budget runs no programme."""
    if park.annual_subsidy_budget_yuan == 0:
        return {}
    return {budget_of(first_year + year): park.annual_subsidy_budget_yuan
            for year in range(programme_years(park))}


def starting_in(use: Mapping[str, float], year: int) -> dict[str, float]:
    """The same use, its commitment moved to start in `year`: an offer accepted in a later year
    than it was made charges its first share to the year of acceptance, and so on."""
    years = [found for resource in use if (found := budget_year(resource)) is not None]
    if not years:
        return dict(use)
    shift = year - min(years)
    return {budget_of(found + shift) if (found := budget_year(resource)) is not None else resource:
            amount for resource, amount in use.items()}


def legacy_charges(total: float, first_year: int) -> dict[str, float]:
    """What a holding without years (`LEGACY_YEARS`) is taken to charge each budget year."""
    return charges((total,) * LEGACY_YEARS, first_year) if total > 0 else {}


def subsidy_total(use: Mapping[str, float]) -> float:
    """A use's subsidy over all its budget years."""
    return sum(amount for resource, amount in use.items() if budget_year(resource) is not None)
