"""Registry validation against the city's taxonomy: every mistake as a field error with its `loc`."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from guiyan_contracts.models import ChainLink, ParkFields, ParkKind, ProjectFields, Role, User
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_registry.domain.rules import park_errors, project_errors

TAXONOMY = load_taxonomy("heze")
USERS = {
    "manager-1": User(id="manager-1", tenant_id="heze", name="王经理", role=Role.park_manager),
    "staff-1": User(id="staff-1", tenant_id="heze", name="赵专员", role=Role.staff),
    "admin-1": User(id="admin-1", tenant_id="heze", name="管理员", role=Role.admin),
}
PARK_IDS = {"park-1", "park-2"}


def park_fields(**overrides: Any) -> ParkFields:
    fields: dict[str, Any] = {
        "name": "曹县木业产业园", "kind": ParkKind.industrial_cluster, "county": "caoxian",
        "sectors": ["wood_furniture", "textiles_apparel"],
        "hosted_links": [ChainLink(chain="wood", link="veneer_panels"),
                         ChainLink(chain="hanfu", link="embroidery")],
        "floor_m2": 50_000, "manager_ids": ["manager-1"],
    }
    fields.update(overrides)
    return ParkFields(**fields)


def project_fields(**overrides: Any) -> ProjectFields:
    fields: dict[str, Any] = {
        "name": "汉服工作室", "founder": "刘五", "source": "杭州站", "hometown_county": "caoxian",
        "sector": "textiles_apparel", "chain": "hanfu", "link": "design_pattern",
        "floor_m2": 300, "investment_yuan": 2_000_000, "jobs": 12,
        "registered_on": date(2024, 3, 1), "preferred_park_ids": ["park-1"],
    }
    fields.update(overrides)
    return ProjectFields(**fields)


def locs(errors: list[Any]) -> list[list[str | int]]:
    return [e.loc for e in errors]


def types(errors: list[Any]) -> list[str]:
    return [e.type for e in errors]


# --- parks -------------------------------------------------------------------------------------

def test_a_valid_park_has_no_errors() -> None:
    assert park_errors(park_fields(), TAXONOMY, USERS) == []
    assert park_errors(park_fields(hosted_links=[], manager_ids=[]), TAXONOMY, USERS) == []


def test_a_park_in_an_unknown_county_is_an_error_on_county() -> None:
    errors = park_errors(park_fields(county="hangzhou"), TAXONOMY, USERS)
    assert locs(errors) == [["park", "county"]]
    assert "'hangzhou'" in errors[0].msg and "caoxian" in errors[0].msg


def test_an_unknown_park_sector_is_an_error_on_its_index() -> None:
    errors = park_errors(park_fields(sectors=["wood_furniture", "tourism"]), TAXONOMY, USERS)
    # the hanfu hosted link now lies outside the park's sectors too
    assert locs(errors) == [["park", "sectors", 1], ["park", "hosted_links", 1, "chain"]]
    assert "'tourism'" in errors[0].msg


def test_a_hosted_link_outside_the_parks_sectors_is_an_error_on_its_chain() -> None:
    hosted = [ChainLink(chain="wood", link="logs"), ChainLink(chain="pharma", link="tcm")]
    errors = park_errors(park_fields(hosted_links=hosted), TAXONOMY, USERS)
    assert locs(errors) == [["park", "hosted_links", 1, "chain"]]
    assert "'pharma'" in errors[0].msg


def test_an_unknown_chain_is_an_error_on_its_chain() -> None:
    errors = park_errors(park_fields(hosted_links=[ChainLink(chain="silk", link="logs")]),
                         TAXONOMY, USERS)
    assert locs(errors) == [["park", "hosted_links", 0, "chain"]]


def test_a_hosted_link_not_in_its_chain_is_an_error_on_its_link() -> None:
    hosted = [ChainLink(chain="hanfu", link="embroidery"), ChainLink(chain="wood", link="wigs")]
    errors = park_errors(park_fields(hosted_links=hosted), TAXONOMY, USERS)
    assert locs(errors) == [["park", "hosted_links", 1, "link"]]
    assert "'wigs'" in errors[0].msg and "'wood'" in errors[0].msg


def test_a_manager_must_be_a_known_park_manager() -> None:
    errors = park_errors(park_fields(manager_ids=["manager-1", "staff-1", "nobody", "admin-1"]),
                         TAXONOMY, USERS)
    assert locs(errors) == [["park", "manager_ids", 1], ["park", "manager_ids", 2],
                            ["park", "manager_ids", 3]]
    assert "'staff-1'" in errors[0].msg


def test_every_park_mistake_is_reported_at_once() -> None:
    fields = park_fields(county="nowhere", sectors=["wood_furniture", "unknown"],
                         hosted_links=[ChainLink(chain="wood", link="nope")], manager_ids=["x"])
    assert locs(park_errors(fields, TAXONOMY, USERS)) == [
        ["park", "county"], ["park", "sectors", 1], ["park", "hosted_links", 0, "link"],
        ["park", "manager_ids", 0]]


def test_each_park_mistake_names_its_type_for_the_portal_to_translate() -> None:
    fields = park_fields(county="nowhere", sectors=["wood_furniture", "unknown"],
                         hosted_links=[ChainLink(chain="wood", link="nope"),
                                       ChainLink(chain="pharma", link="tcm")],
                         facilities=["moon_base"], manager_ids=["x"])
    assert types(park_errors(fields, TAXONOMY, USERS)) == [
        "unknown_county", "unknown_facility", "unknown_sector", "link_not_in_chain",
        "chain_not_in_sector", "not_a_park_manager"]


# --- projects ----------------------------------------------------------------------------------

def test_unknown_facilities_are_errors_on_their_index() -> None:
    park = park_fields(facilities=["steam_supply", "moon_base"])
    assert locs(park_errors(park, TAXONOMY, USERS)) == [["park", "facilities", 1]]
    project = project_fields(required_facilities=["teleporter", "clean_room"])
    errors = project_errors(project, TAXONOMY, PARK_IDS)
    assert locs(errors) == [["project", "required_facilities", 0]]
    assert "unknown facility 'teleporter'" in errors[0].msg and "wastewater_treatment" in errors[0].msg


def test_a_valid_project_has_no_errors() -> None:
    assert project_errors(project_fields(), TAXONOMY, PARK_IDS) == []
    assert project_errors(project_fields(preferred_park_ids=[]), TAXONOMY, set()) == []


def test_a_project_from_an_unknown_county_is_an_error_on_hometown_county() -> None:
    errors = project_errors(project_fields(hometown_county="lasa"), TAXONOMY, PARK_IDS)
    assert locs(errors) == [["project", "hometown_county"]]


def test_an_unknown_project_sector_is_an_error_on_sector_only() -> None:
    errors = project_errors(project_fields(sector="tourism"), TAXONOMY, PARK_IDS)
    assert locs(errors) == [["project", "sector"]]


def test_a_chain_outside_the_projects_sector_is_an_error_on_chain() -> None:
    errors = project_errors(project_fields(chain="wood", link="logs"), TAXONOMY, PARK_IDS)
    assert locs(errors) == [["project", "chain"]]
    assert "'wood'" in errors[0].msg and "'textiles_apparel'" in errors[0].msg


def test_a_link_outside_the_projects_chain_is_an_error_on_link() -> None:
    errors = project_errors(project_fields(link="wigs"), TAXONOMY, PARK_IDS)
    assert locs(errors) == [["project", "link"]]


def test_an_unknown_preferred_park_is_an_error_on_its_index() -> None:
    errors = project_errors(project_fields(preferred_park_ids=["park-2", "park-9", "park-1"]),
                            TAXONOMY, PARK_IDS)
    assert locs(errors) == [["project", "preferred_park_ids", 1]]
    assert "'park-9'" in errors[0].msg


def test_every_project_mistake_is_reported_at_once() -> None:
    fields = project_fields(hometown_county="nowhere", link="nope", preferred_park_ids=["p"])
    assert locs(project_errors(fields, TAXONOMY, PARK_IDS)) == [
        ["project", "hometown_county"], ["project", "link"], ["project", "preferred_park_ids", 0]]


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"hometown_county": "nowhere"}, "unknown_county"),
    ({"required_facilities": ["teleporter"]}, "unknown_facility"),
    ({"sector": "tourism"}, "unknown_sector"),
    ({"chain": "wood", "link": "logs"}, "chain_not_in_sector"),
    ({"link": "wigs"}, "link_not_in_chain"),
    ({"preferred_park_ids": ["park-9"]}, "unknown_park"),
    ({"registered_on": None}, "registration_date_required"),
])
def test_each_project_mistake_names_its_type_for_the_portal_to_translate(
        overrides: dict[str, Any], expected: str) -> None:
    assert types(project_errors(project_fields(**overrides), TAXONOMY, PARK_IDS)) == [expected]


def test_a_missing_registration_date_is_refused_for_a_project_that_could_enter_an_incubator() -> None:
    """Incubators offer floor space, and take only recently registered businesses: a floor
    project without a date is not counted as new, it is refused."""
    errors = project_errors(project_fields(floor_m2=300, registered_on=None), TAXONOMY, PARK_IDS)
    assert locs(errors) == [["project", "registered_on"]]
    assert "registration date" in errors[0].msg


def test_a_land_project_may_leave_its_registration_date_out() -> None:
    land = project_fields(floor_m2=0, land_mu=30, registered_on=None)
    assert project_errors(land, TAXONOMY, PARK_IDS) == []


# --- the contract's own validation -------------------------------------------------------------

@pytest.mark.parametrize(("floor_m2", "land_mu"), [(300, 0), (0, 12.5)])
def test_a_project_needs_floor_or_land(floor_m2: float, land_mu: float) -> None:
    project = project_fields(floor_m2=floor_m2, land_mu=land_mu)
    assert (project.floor_m2 > 0) != (project.land_mu > 0)


@pytest.mark.parametrize(("floor_m2", "land_mu"), [(0, 0), (300, 12.5)])
def test_a_project_needs_exactly_one_of_floor_or_land(floor_m2: float, land_mu: float) -> None:
    with pytest.raises(ValidationError, match="exactly one of floor_m2 or land_mu"):
        project_fields(floor_m2=floor_m2, land_mu=land_mu)


def test_negative_space_is_rejected_by_the_field_bounds() -> None:
    with pytest.raises(ValidationError) as raised:
        project_fields(floor_m2=-1)
    assert any(e["loc"] == ("floor_m2",) for e in raised.value.errors())
