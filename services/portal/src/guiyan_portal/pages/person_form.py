"""The person form: `PersonFields` to and from its fields, and where each error shows."""

from __future__ import annotations

from typing import Any

from fastapi.datastructures import FormData

from guiyan_contracts.people import (
    ConsentSource,
    EnterpriseScale,
    Influence,
    Person,
    PersonRole,
    PersonStatus,
    Station,
)
from guiyan_contracts.regions import PROVINCES
from guiyan_contracts.taxonomy import Taxonomy

from .forms import first
from .project_form import link_choice

TEXTS = ("name", "phone", "status", "hometown_county", "current_province", "current_city",
         "role", "enterprise", "enterprise_scale", "influence", "station_id", "consent_on",
         "consent_source")
# Contract field → the form field that shows its error. Sector, chain and link are one choice.
WHERE = {"sector": "link", "chain": "link"}


def field_of(names: list[str]) -> str:
    """The model's own checks show where they are answered: consent's date and source at the
    consent, a chain without its link at the link."""
    return WHERE.get(names[0], names[0]) if names else "contact_consent"


def fields(form: FormData, kept: Person | None = None) -> dict[str, Any]:
    """What the form sent, as the contract's fields. The archive number, which only a ledger
    sets, is kept as it is."""
    sent: dict[str, Any] = {key: first(form, key).strip() for key in TEXTS}
    sector, chain, link = [*first(form, "link").split("/"), "", ""][:3]
    sent |= {"sector": sector, "chain": chain, "link": link,
             "contact_consent": first(form, "contact_consent") == "on"}
    if kept is not None and kept.archive_ref:
        sent["archive_ref"] = kept.archive_ref
    # Left blank is not given: the contract names what is required.
    return {key: value for key, value in sent.items() if value != ""}


def values(form: FormData) -> dict[str, Any]:
    return {key: first(form, key) for key in (*TEXTS, "link", "contact_consent")}


def values_of(person: Person) -> dict[str, Any]:
    shown = {key: "" if (value := getattr(person, key)) is None else str(value) for key in TEXTS}
    return shown | {"contact_consent": person.contact_consent,
                    "link": (link_choice(person.sector, person.chain, person.link)
                             if person.sector and person.chain and person.link else "")}


def links(taxonomy: Taxonomy, name: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every link of the city's industry map, grouped by sector and chain, by its name."""
    return [(f"{name('sector', s.code)} · {name('chain', c.code, sector=s.code)}",
             [(link_choice(s.code, c.code, link), name("link", link, sector=s.code,
                                                       chain=c.code))
              for link, *_ in c.links])
            for s in taxonomy.sectors for c in s.chains]


def options(taxonomy: Taxonomy, stations: list[Station], name: Any) -> dict[str, Any]:
    def named(kind: str, codes: Any) -> list[tuple[str, str]]:
        return [(code.value, name(kind, code.value)) for code in codes]

    return {
        "statuses": named("person_status", PersonStatus),
        "roles": named("person_role", PersonRole),
        "scales": named("enterprise_scale", EnterpriseScale),
        "influences": named("influence", Influence),
        "consent_sources": named("consent_source", ConsentSource),
        "counties": [(code, name("county", code)) for code, *_ in taxonomy.counties],
        "provinces": [(code, name("province", code)) for code in PROVINCES],
        "links": links(taxonomy, name),
        "stations": [(station.id, station.name) for station in stations],
    }
