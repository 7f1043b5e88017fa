"""The park form (admins): every field of `ParkFields`, its subsidy policy included, to the
contract and back, and where each error shows."""

from __future__ import annotations

from typing import Any

from fastapi.datastructures import FormData

from guiyan_contracts.models import ParkFields, ParkKind, SubsidyPolicy, User
from guiyan_contracts.taxonomy import Taxonomy

from .forms import count, every, first, money, money_text, number, plain

WHERE = {"annual_subsidy_budget_yuan": "budget", "min_investment_yuan_per_mu": "min_investment",
         "min_tax_yuan_per_mu_year": "min_tax"}


def field_of(names: list[str]) -> str:
    """The form field showing an error; the model's own checks (some room, and certification
    only for a chemical park) show at floor space."""
    if not names:
        return "floor_m2"
    if names[0] == "subsidy_policy" and len(names) > 1:
        return f"policy_{names[1]}"
    return WHERE.get(names[0], names[0])
# Subsidy policy fields, in yuan as policies state them, with how each is read.
POLICY_COUNTS = ("free_premises_months", "one_off_hires_threshold")
POLICY_FIELDS = tuple(name for name in SubsidyPolicy.model_fields
                      if name != "rent_subsidy_pct_by_year")


def hosted_choice(chain: str, link: str) -> str:
    return f"{chain}/{link}"


def percentages(text: str) -> list[float | str]:
    parts = [part for part in text.replace("，", ",").replace("、", ",").split(",") if part.strip()]
    return [number(part, 0.0) for part in parts]  # type: ignore[misc]


def fields(form: FormData) -> dict[str, Any]:
    unit = first(form, "money_unit")
    policy = {name: (count if name in POLICY_COUNTS else number)(first(form, f"policy_{name}"),
                                                                 None)
              for name in POLICY_FIELDS}
    policy = {name: value for name, value in policy.items() if value is not None}
    if (pct := first(form, "policy_rent_subsidy_pct_by_year")).strip():
        policy["rent_subsidy_pct_by_year"] = percentages(pct)
    return {
        "name": first(form, "name").strip(), "kind": first(form, "kind"),
        "county": first(form, "county"), "sectors": every(form, "sectors"),
        "hosted_links": [dict(zip(("chain", "link"), choice.split("/", 1), strict=False))
                         for choice in every(form, "hosted_links")],
        "floor_m2": number(first(form, "floor_m2"), 0.0),
        "land_mu": number(first(form, "land_mu"), 0.0),
        "incubator_slots": count(first(form, "incubator_slots"), 0),
        "annual_subsidy_budget_yuan": money(first(form, "budget"), unit, 0.0),
        "chemical_park_certified": first(form, "chemical_park_certified") == "on",
        "min_investment_yuan_per_mu": money(first(form, "min_investment"), unit, 0.0),
        "min_tax_yuan_per_mu_year": money(first(form, "min_tax"), unit, 0.0),
        "facilities": every(form, "facilities"), "manager_ids": every(form, "manager_ids"),
        "subsidy_policy": policy,
    }


def values(form: FormData) -> dict[str, Any]:
    singles = ("name", "kind", "county", "floor_m2", "land_mu", "incubator_slots", "budget",
               "min_investment", "min_tax", "chemical_park_certified",
               "policy_rent_subsidy_pct_by_year", *(f"policy_{n}" for n in POLICY_FIELDS))
    return {key: first(form, key) for key in singles} | {
        key: every(form, key) for key in ("sectors", "hosted_links", "facilities", "manager_ids")}


def values_of(park: ParkFields, unit: str) -> dict[str, Any]:
    def shown(value: float) -> str:
        return plain(value) if value else ""

    def wan(value: float) -> str:
        return money_text(value, unit) if value else ""

    return {
        "name": park.name, "kind": park.kind.value, "county": park.county,
        "sectors": park.sectors,
        "hosted_links": [hosted_choice(h.chain, h.link) for h in park.hosted_links],
        "floor_m2": shown(park.floor_m2), "land_mu": shown(park.land_mu),
        "incubator_slots": shown(park.incubator_slots),
        "budget": wan(park.annual_subsidy_budget_yuan),
        "min_investment": wan(park.min_investment_yuan_per_mu),
        "min_tax": wan(park.min_tax_yuan_per_mu_year),
        "chemical_park_certified": park.chemical_park_certified,
        "facilities": park.facilities, "manager_ids": park.manager_ids,
    } | policy_values(park.subsidy_policy)


def policy_values(policy: SubsidyPolicy) -> dict[str, str]:
    return {"policy_rent_subsidy_pct_by_year": ", ".join(
        plain(p) for p in policy.rent_subsidy_pct_by_year)} | {
        f"policy_{name}": plain(getattr(policy, name)) for name in POLICY_FIELDS}


def new_values() -> dict[str, Any]:
    """A new park's form: the city's usual subsidy policy filled in, the rest blank."""
    return policy_values(SubsidyPolicy())


def options(taxonomy: Taxonomy, managers: list[User], name: Any) -> dict[str, Any]:
    return {
        "kinds": [(kind.value, name("park_kind", kind.value)) for kind in ParkKind],
        "counties": [(code, name("county", code)) for code, *_ in taxonomy.counties],
        "sectors": [(s.code, name("sector", s.code)) for s in taxonomy.sectors],
        "links": [(f"{name('sector', s.code)} · {name('chain', c.code, sector=s.code)}",
                   [(hosted_choice(c.code, link), name("link", link, sector=s.code, chain=c.code))
                    for link, *_ in c.links])
                  for s in taxonomy.sectors for c in s.chains],
        "facilities": [(code, name("facility", code)) for code, *_ in taxonomy.facilities],
        "managers": [(user.id, user.name) for user in managers],
        "policy": POLICY_FIELDS,
    }
