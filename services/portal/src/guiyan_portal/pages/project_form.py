"""The project form: its fields to `ProjectFields` and back, and where each error shows."""

from __future__ import annotations

from typing import Any

from fastapi.datastructures import FormData

from guiyan_contracts.models import Park, ProjectFields
from guiyan_contracts.people import Person, Station
from guiyan_contracts.taxonomy import Taxonomy

from .forms import count, every, first, money, money_text, number, plain

# Contract field → the form field that shows its error. Sector, chain and link are one choice.
WHERE = {"sector": "link", "chain": "link", "investment_yuan": "investment",
         "expected_tax_yuan_per_year": "expected_tax", "preferred_park_ids": "preferred_1"}
# A person ranks the parks they prefer in three choices, first choice first.
CHOICES = ("preferred_1", "preferred_2", "preferred_3")


def field_of(names: list[str]) -> str:
    """The form field showing an error; the model's own check (floor space or land, exactly
    one) shows at floor space."""
    return WHERE.get(names[0], names[0]) if names else "floor_m2"


def link_choice(sector: str, chain: str, link: str) -> str:
    return f"{sector}/{chain}/{link}"


def fields(form: FormData) -> dict[str, Any]:
    """What the form sent, as the contract's fields; unreadable text is left for it to name."""
    unit = first(form, "money_unit")
    sector, chain, link = [*first(form, "link").split("/"), "", ""][:3]
    sent = {
        "name": first(form, "name").strip(), "founder": first(form, "founder").strip(),
        "source": first(form, "source").strip(), "hometown_county": first(form, "hometown_county"),
        "sector": sector, "chain": chain, "link": link,
        "floor_m2": number(first(form, "floor_m2"), 0.0),
        "land_mu": number(first(form, "land_mu"), 0.0),
        "investment_yuan": money(first(form, "investment"), unit),
        "jobs": count(first(form, "jobs")),
        "expected_tax_yuan_per_year": money(first(form, "expected_tax"), unit, 0.0),
        "registered_on": first(form, "registered_on") or None,
        "hazardous_process": first(form, "hazardous_process") == "on",
        "required_facilities": every(form, "required_facilities"),
        "preferred_park_ids": list(dict.fromkeys(
            choice for key in CHOICES if (choice := first(form, key)))),
    }
    # Left blank is not given: the contract says the field is required, not that it is short.
    return {key: value for key, value in sent.items() if value != ""}


def values(form: FormData) -> dict[str, Any]:
    """The form as sent, to show again beside its errors."""
    keys = ("name", "founder", "source", "hometown_county", "link", "floor_m2", "land_mu",
            "investment", "jobs", "expected_tax", "registered_on", "hazardous_process",
            "contact_id", *CHOICES)
    return {key: first(form, key) for key in keys} | {
        "required_facilities": every(form, "required_facilities")}


def values_of(project: ProjectFields, unit: str) -> dict[str, Any]:
    """A recorded project, as its edit form shows it."""
    def amount(value: float) -> str:
        return plain(value) if value else ""

    return {
        "name": project.name, "founder": project.founder, "source": project.source,
        "hometown_county": project.hometown_county,
        "link": link_choice(project.sector, project.chain, project.link),
        "floor_m2": amount(project.floor_m2), "land_mu": amount(project.land_mu),
        "investment": money_text(project.investment_yuan, unit), "jobs": str(project.jobs),
        "expected_tax": (money_text(project.expected_tax_yuan_per_year, unit)
                         if project.expected_tax_yuan_per_year else ""),
        "registered_on": project.registered_on.isoformat() if project.registered_on else "",
        "hazardous_process": project.hazardous_process,
        "required_facilities": project.required_facilities,
    } | dict(zip(CHOICES, project.preferred_park_ids, strict=False))


def values_from_person(person: Person, contact_id: str) -> dict[str, Any]:
    """A new project from a contact with a person: its founder, their station as its source,
    their hometown and link; the contact goes with it."""
    return {"founder": person.name, "source": person.station_id or "",
            "hometown_county": person.hometown_county, "contact_id": contact_id,
            "link": (link_choice(person.sector, person.chain, person.link)
                     if person.sector and person.chain and person.link else "")}


def options(taxonomy: Taxonomy, parks: list[Park], stations: list[Station], name: Any
            ) -> dict[str, Any]:
    """The choices the form offers, by their names in the page's language."""
    return {
        "stations": [(station.id, station.name) for station in stations],
        "counties": [(code, name("county", code)) for code, *_ in taxonomy.counties],
        "links": [(f"{name('sector', s.code)} · {name('chain', c.code, sector=s.code)}",
                   [(link_choice(s.code, c.code, link), name("link", link, sector=s.code,
                                                             chain=c.code))
                    for link, *_ in c.links])
                  for s in taxonomy.sectors for c in s.chains],
        "facilities": [(code, name("facility", code)) for code, *_ in taxonomy.facilities],
        "parks": [(park.id, park.name) for park in parks],
    }
