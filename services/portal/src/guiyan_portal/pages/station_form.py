"""The station form: `StationFields` to and from its fields, and where each error shows."""

from __future__ import annotations

from typing import Any

from fastapi.datastructures import FormData

from guiyan_contracts.models import User
from guiyan_contracts.people import Station, StationLevel
from guiyan_contracts.regions import PROVINCES
from guiyan_contracts.taxonomy import Taxonomy

from .forms import every, first

KEYS = ("name", "level", "county", "host_city", "host_province", "head_name", "head_phone",
        "founded_on")


def field_of(names: list[str]) -> str:
    """The model's own check (a county for a county-level station only) shows at the county."""
    return names[0] if names else "county"


def fields(form: FormData, kept: Station | None = None) -> dict[str, Any]:
    """What the form sent, as the contract's fields; the station's contacts, which the form
    does not show, are kept as they are."""
    sent: dict[str, Any] = {key: first(form, key).strip() for key in KEYS}
    if sent["level"] != StationLevel.county:
        sent["county"] = ""  # a city-level station has none, whatever the hidden choice says
    sent["staff_ids"] = every(form, "staff_ids")
    if kept is not None:
        sent["contacts"] = [contact.model_dump() for contact in kept.contacts]
    return {key: value for key, value in sent.items() if value != ""}


def values(form: FormData) -> dict[str, Any]:
    return {key: first(form, key) for key in KEYS} | {"staff_ids": every(form, "staff_ids")}


def values_of(station: Station) -> dict[str, Any]:
    return {key: "" if (value := getattr(station, key)) is None else str(value)
            for key in KEYS} | {"staff_ids": station.staff_ids}


def options(taxonomy: Taxonomy, staff: list[User], name: Any) -> dict[str, Any]:
    return {
        "levels": [(level.value, name("station_level", level.value)) for level in StationLevel],
        "counties": [(code, name("county", code)) for code, *_ in taxonomy.counties],
        "provinces": [(code, name("province", code)) for code in PROVINCES],
        "staff": [(user.id, user.name) for user in staff],
    }
