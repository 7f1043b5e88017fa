"""What makes a park or a project valid for its city: checked against the city's taxonomy.

Each check returns field errors rather than raising on the first, so staff see every mistake at once.
Each error's `type` names the mistake (`unknown_county`, …), so the portal can say it in the
reader's language; `msg` is the English.
"""

from __future__ import annotations

from guiyan_contracts.envelope import FieldError
from guiyan_contracts.models import ParkFields, ProjectFields, Role, User
from guiyan_contracts.taxonomy import Taxonomy


def county_errors(county: str, taxonomy: Taxonomy, loc: list[str | int]) -> list[FieldError]:
    if county in taxonomy.county_codes():
        return []
    known = ", ".join(sorted(taxonomy.county_codes()))
    return [FieldError(loc=loc, msg=f"unknown county {county!r} in {taxonomy.city}; one of {known}",
                       type="unknown_county")]


def facility_errors(facilities: list[str], taxonomy: Taxonomy, loc: list[str | int]) -> list[FieldError]:
    known = taxonomy.facility_codes()
    return [FieldError(loc=[*loc, index], msg=f"unknown facility {facility!r}; one of "
                       f"{', '.join(sorted(known))}", type="unknown_facility")
            for index, facility in enumerate(facilities) if facility not in known]


def park_errors(park: ParkFields, taxonomy: Taxonomy, users: dict[str, User]) -> list[FieldError]:
    errors = county_errors(park.county, taxonomy, ["park", "county"])
    errors += facility_errors(park.facilities, taxonomy, ["park", "facilities"])
    for index, sector in enumerate(park.sectors):
        if taxonomy.sector(sector) is None:
            errors.append(FieldError(loc=["park", "sectors", index], msg=f"unknown sector {sector!r}", type="unknown_sector"))
    for index, hosted in enumerate(park.hosted_links):
        chain = next((c for s in park.sectors if (c := taxonomy.chain(s, hosted.chain))), None)
        if chain is None:
            errors.append(FieldError(loc=["park", "hosted_links", index, "chain"],
                                     msg=f"chain {hosted.chain!r} is not in the park's sectors",
                                     type="chain_not_in_sector"))
        elif chain.position(hosted.link) is None:
            errors.append(FieldError(loc=["park", "hosted_links", index, "link"],
                                     msg=f"link {hosted.link!r} is not in chain {hosted.chain!r}",
                                     type="link_not_in_chain"))
    for index, manager_id in enumerate(park.manager_ids):
        manager = users.get(manager_id)
        if manager is None or manager.role is not Role.park_manager:
            errors.append(FieldError(loc=["park", "manager_ids", index],
                                     msg=f"{manager_id!r} is not a park manager of this city",
                                     type="not_a_park_manager"))
    return errors


def project_errors(project: ProjectFields, taxonomy: Taxonomy,
                   park_ids: set[str]) -> list[FieldError]:
    errors = county_errors(project.hometown_county, taxonomy, ["project", "hometown_county"])
    errors += facility_errors(project.required_facilities, taxonomy, ["project", "required_facilities"])
    chain = taxonomy.chain(project.sector, project.chain)
    if taxonomy.sector(project.sector) is None:
        errors.append(FieldError(loc=["project", "sector"], msg=f"unknown sector {project.sector!r}",
                                 type="unknown_sector"))
    elif chain is None:
        errors.append(FieldError(loc=["project", "chain"],
                                 msg=f"chain {project.chain!r} is not in sector {project.sector!r}",
                                 type="chain_not_in_sector"))
    elif chain.position(project.link) is None:
        errors.append(FieldError(loc=["project", "link"],
                                 msg=f"link {project.link!r} is not in chain {project.chain!r}",
                                 type="link_not_in_chain"))
    for index, park_id in enumerate(project.preferred_park_ids):
        if park_id not in park_ids:
            errors.append(FieldError(loc=["project", "preferred_park_ids", index],
                                     msg=f"no park {park_id!r} in this city", type="unknown_park"))
    if project.floor_m2 > 0 and project.registered_on is None:
        # Floor space is what incubators offer, and they take only businesses registered
        # recently: a missing date must not pass for a new business.
        errors.append(FieldError(loc=["project", "registered_on"],
                                 msg="a project asking for floor space needs its business "
                                     "registration date (incubators take only recent ones)",
                                 type="registration_date_required"))
    return errors
