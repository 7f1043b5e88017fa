"""What makes a park, a project, a station, a person or a task valid for its city: checked
against the city's taxonomy and records.

Each check returns field errors rather than raising on the first, so staff see every mistake at once.
Each error's `type` names the mistake (`unknown_county`, …), so the portal can say it in the
reader's language; `msg` is the English.
"""

from __future__ import annotations

from datetime import date

from guiyan_contracts.envelope import FieldError
from guiyan_contracts.models import ParkFields, ProjectFields, Role, User
from guiyan_contracts.people import PersonFields, StationFields, StationLevel, TaskFields
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


def chain_link_errors(sector: str, chain_code: str | None, link: str | None, taxonomy: Taxonomy,
                      record: str) -> list[FieldError]:
    """The sector, then its chain, then the chain's link: the first unknown one is the error.
    A person may name a sector only (no chain, no link)."""
    chain = taxonomy.chain(sector, chain_code) if chain_code is not None else None
    if taxonomy.sector(sector) is None:
        return [FieldError(loc=[record, "sector"], msg=f"unknown sector {sector!r}",
                           type="unknown_sector")]
    if chain_code is None:
        return []
    if chain is None:
        return [FieldError(loc=[record, "chain"],
                           msg=f"chain {chain_code!r} is not in sector {sector!r}",
                           type="chain_not_in_sector")]
    if link is None or chain.position(link) is None:
        return [FieldError(loc=[record, "link"], msg=f"link {link!r} is not in chain {chain_code!r}",
                           type="link_not_in_chain")]
    return []


def station_errors(station_id: str | None, station_ids: set[str],
                   loc: list[str | int]) -> list[FieldError]:
    """A project's source and a person's station are stations of the city, named by id."""
    if station_id is None or station_id in station_ids:
        return []
    return [FieldError(loc=loc, msg=f"no service station {station_id!r} in this city",
                       type="unknown_station")]


def project_errors(project: ProjectFields, taxonomy: Taxonomy,
                   park_ids: set[str]) -> list[FieldError]:
    errors = county_errors(project.hometown_county, taxonomy, ["project", "hometown_county"])
    errors += facility_errors(project.required_facilities, taxonomy, ["project", "required_facilities"])
    errors += chain_link_errors(project.sector, project.chain, project.link, taxonomy, "project")
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


def sourced_project_errors(project: ProjectFields, taxonomy: Taxonomy, park_ids: set[str],
                           station_ids: set[str]) -> list[FieldError]:
    """A project's rules, and its source a station of the city."""
    return (project_errors(project, taxonomy, park_ids)
            + station_errors(project.source, station_ids, ["project", "source"]))


def station_record_errors(station: StationFields, taxonomy: Taxonomy,
                          users: dict[str, User]) -> list[FieldError]:
    errors = []
    if station.level is StationLevel.county and station.county is not None:
        errors += county_errors(station.county, taxonomy, ["station", "county"])
    for index, user_id in enumerate(station.staff_ids):
        if user_id not in users:
            errors.append(FieldError(loc=["station", "staff_ids", index],
                                     msg=f"no user {user_id!r} in this city", type="unknown_user"))
    return errors


def person_errors(person: PersonFields, taxonomy: Taxonomy,
                  station_ids: set[str]) -> list[FieldError]:
    errors = county_errors(person.hometown_county, taxonomy, ["person", "hometown_county"])
    if person.sector is not None:
        errors += chain_link_errors(person.sector, person.chain, person.link, taxonomy, "person")
    return errors + station_errors(person.station_id, station_ids, ["person", "station_id"])


def assignee_errors(assignee_id: str, users: dict[str, User],
                    loc: list[str | int]) -> list[FieldError]:
    """Follow-up tasks go to the city's staff (and admins, who are staff too)."""
    assignee = users.get(assignee_id)
    if assignee is not None and assignee.role in (Role.staff, Role.admin):
        return []
    return [FieldError(loc=loc, msg=f"{assignee_id!r} is not a staff member of this city",
                       type="not_staff")]


def contact_day_errors(on: date, city_today: date) -> list[FieldError]:
    """A contact is recorded once it happened: a day ahead would hold the person's last contact
    there, ranking them as recently contacted for months to come."""
    if on <= city_today:
        return []
    return [FieldError(loc=["contact", "on"], msg="a contact cannot be on a day still to come",
                       type="day_ahead")]


def consent_errors(consents: bool, loc: list[str | int]) -> list[FieldError]:
    """Nobody is asked to contact a person who has not agreed to be contacted: consent that
    was never given, or was withdrawn, ends its use (PIPL)."""
    if consents:
        return []
    return [FieldError(loc=loc, msg="the person has not agreed to be contacted",
                       type="no_consent")]


def task_errors(task: TaskFields, person_known: bool, users: dict[str, User],
                park_ids: set[str]) -> list[FieldError]:
    errors = assignee_errors(task.assignee_id, users, ["task", "assignee_id"])
    if not person_known:
        errors.append(FieldError(loc=["task", "person_id"],
                                 msg=f"no person {task.person_id!r} in this city",
                                 type="unknown_person"))
    if task.lead is not None and task.lead.park_id not in park_ids:
        errors.append(FieldError(loc=["task", "lead", "park_id"],
                                 msg=f"no park {task.lead.park_id!r} in this city",
                                 type="unknown_park"))
    return errors
