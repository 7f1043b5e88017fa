"""registry's handlers of parks and projects (users are in `users.py`): plain functions of (request, unit of work) that never commit: the runtime
commits when a handler answers, and rolls back when it refuses."""

from __future__ import annotations

import contextlib
from uuid import uuid4

from guiyan_contracts.envelope import Contract, FieldError, utc_now
from guiyan_contracts.models import Park, Project, ProjectFields
from guiyan_contracts.refusals import Conflict, Invalid, NotFound, UnreadableRecord
from guiyan_contracts.registry import (
    GetPark,
    GetProject,
    ListParks,
    ListProjects,
    ParkList,
    ParkRegistered,
    ParkUpdated,
    ProjectList,
    ProjectSubmitted,
    ProjectUpdated,
    ProjectWithdrawn,
    RegisterPark,
    SubmitProject,
    UpdatePark,
    UpdateProject,
    WithdrawProject,
)
from guiyan_contracts.taxonomy import Taxonomy, UnknownCity, load_taxonomy

from ..adapters.unit_of_work import RegistryUnitOfWork
from ..domain.rules import park_errors, sourced_project_errors

PRODUCER = "registry"


def city_taxonomy(tenant_id: str) -> Taxonomy:
    try:
        return load_taxonomy(tenant_id)
    except UnknownCity as error:
        raise Invalid.at(["tenant_id"], str(error)) from None


def _same_fields(record: Contract, fields: Contract) -> bool:
    return record.model_dump(include=set(type(fields).model_fields)) == fields.model_dump()


def replay(uow: RegistryUnitOfWork, kind: str, tenant_id: str, record_id: str,
            fields: Contract) -> Contract | None:
    """A retried command with the same id and fields answers as the first did; the same id with
    other fields, or taken in another city, is a conflict."""
    return replayed(kind, record_id, uow.registry.find(kind, tenant_id, record_id),
                    uow.registry.taken(kind, record_id), fields)


def replayed(kind: str, record_id: str, existing: Contract | None, taken: bool,
             fields: Contract) -> Contract | None:
    """`replay` of a record found as `existing` in the city, its id `taken` in any."""
    if existing is not None and _same_fields(existing, fields):
        return existing
    if existing is not None or taken:
        raise Conflict(f"{kind} {record_id!r} exists with other fields")
    return None


def register_park(command: RegisterPark, uow: RegistryUnitOfWork) -> Park:
    taxonomy = city_taxonomy(command.tenant_id)
    park_id = command.park_id or str(uuid4())
    if first := replay(uow, "park", command.tenant_id, park_id, command.park):
        return first  # type: ignore[return-value]
    if errors := park_errors(command.park, taxonomy, uow.registry.users(command.tenant_id)):
        raise Invalid("the park is invalid", errors)
    park = Park(id=park_id, tenant_id=command.tenant_id, created_at=utc_now(),
                **command.park.model_dump())
    uow.registry.add_park(park)
    uow.emit(ParkRegistered(producer=PRODUCER, tenant_id=park.tenant_id,
                            correlation_id=command.correlation_id, park=park))
    return park


def submit_project(command: SubmitProject, uow: RegistryUnitOfWork) -> Project:
    taxonomy = city_taxonomy(command.tenant_id)
    project_id = command.project_id or str(uuid4())
    if first := replay(uow, "project", command.tenant_id, project_id, command.project):
        return first  # type: ignore[return-value]
    errors = _project_errors(command.project, taxonomy, command.tenant_id, uow)
    contact = (uow.follow_ups.contact(command.tenant_id, command.contact_id)
               if command.contact_id else None)
    if command.contact_id and contact is None:
        errors.append(FieldError(loc=["contact_id"], type="unknown_contact",
                                 msg=f"no contact {command.contact_id!r} in this city"))
    if errors:
        raise Invalid("the project is invalid", errors)
    project = Project(id=project_id, tenant_id=command.tenant_id,
                      submitted_by=command.submitted_by, submitted_at=utc_now(),
                      **command.project.model_dump())
    uow.registry.add_project(project)
    if contact is not None:
        _link_to_person(project, contact.person_id, uow)
    uow.emit(ProjectSubmitted(producer=PRODUCER, tenant_id=project.tenant_id,
                              correlation_id=command.correlation_id, project=project))
    return project


def _project_errors(project: ProjectFields, taxonomy: Taxonomy, tenant_id: str,
                    uow: RegistryUnitOfWork) -> list[FieldError]:
    return sourced_project_errors(
        project, taxonomy, uow.registry.park_ids(tenant_id, among=project.preferred_park_ids),
        uow.stations.ids(tenant_id, among=[project.source]))


def _link_to_person(project: Project, person_id: str, uow: RegistryUnitOfWork) -> None:
    """The person a contact brought the project from lists it among theirs (a founder's
    record, once they are back)."""
    person = uow.people.get(project.tenant_id, person_id)
    if person is not None and project.id not in person.project_ids:
        uow.people.replace(person.model_copy(update={
            "project_ids": [*person.project_ids, project.id]}))


def update_park(command: UpdatePark, uow: RegistryUnitOfWork) -> Park:
    """The park's new state replaces the old, and is sent on even when nothing changed: an
    update is how a record set aside (here or in matching) is written anew, and matching takes
    the same state twice as once. With `validate_only`, the answer is the update's but nothing
    is changed."""
    taxonomy = city_taxonomy(command.tenant_id)
    created_at = uow.registry.created_at(command.tenant_id, command.park_id)
    if created_at is None:
        raise NotFound(f"no park {command.park_id!r}")
    if errors := park_errors(command.park, taxonomy, uow.registry.users(command.tenant_id)):
        raise Invalid("the park is invalid", errors)
    park = Park(id=command.park_id, tenant_id=command.tenant_id, created_at=created_at,
                **command.park.model_dump())
    if command.validate_only:
        return park
    uow.registry.replace_park(park)
    uow.emit(ParkUpdated(producer=PRODUCER, tenant_id=park.tenant_id,
                         correlation_id=command.correlation_id, park=park,
                         updated_by=command.updated_by))
    return park


def update_project(command: UpdateProject, uow: RegistryUnitOfWork) -> Project:
    """Matching withdraws a pending offer of a changed project and plans it again. A project
    whose record is set aside is written anew; a withdrawn one is not changed. The project is
    locked from its first read: a withdrawal on another replica waits, or is seen."""
    taxonomy = city_taxonomy(command.tenant_id)
    updated = uow.registry.project_with(command.tenant_id, command.project_id, command.project)
    if updated is None:
        raise NotFound(f"no project {command.project_id!r}")
    if updated.withdrawn_at is not None:
        raise Conflict(f"project {command.project_id!r} was withdrawn: {updated.withdrawn_reason}")
    with contextlib.suppress(UnreadableRecord):  # then it is written anew, whatever it held
        if _same_fields(get_project(GetProject(tenant_id=command.tenant_id,
                                               project_id=command.project_id), uow),
                        command.project):
            return updated
    if errors := _project_errors(command.project, taxonomy, command.tenant_id, uow):
        raise Invalid("the project is invalid", errors)
    project = updated.model_copy(update={"updated_at": utc_now()})
    uow.registry.replace_project(project)
    uow.emit(ProjectUpdated(producer=PRODUCER, tenant_id=project.tenant_id,
                            correlation_id=command.correlation_id, project=project,
                            updated_by=command.updated_by))
    return project


def withdraw_project(command: WithdrawProject, uow: RegistryUnitOfWork) -> Project:
    """Withdrawing twice answers as the first time did. The project is locked as it is read: an
    update on another replica waits, and then finds it withdrawn."""
    current = uow.registry.project(command.tenant_id, command.project_id, for_update=True)
    if current is None:
        raise NotFound(f"no project {command.project_id!r}")
    if current.withdrawn_at is not None:
        return current
    project = current.model_copy(update={"withdrawn_at": utc_now(),
                                         "withdrawn_reason": command.reason})
    uow.registry.replace_project(project)
    uow.emit(ProjectWithdrawn(producer=PRODUCER, tenant_id=project.tenant_id,
                              correlation_id=command.correlation_id, project=project,
                              withdrawn_by=command.withdrawn_by))
    return project


def get_park(query: GetPark, uow: RegistryUnitOfWork) -> Park:
    if park := uow.registry.park(query.tenant_id, query.park_id):
        return park
    raise NotFound(f"no park {query.park_id!r}")


def list_parks(query: ListParks, uow: RegistryUnitOfWork) -> ParkList:
    parks, total = uow.registry.park_page(query.tenant_id, query.limit, query.offset)
    return ParkList(parks=parks, total=total)


def get_project(query: GetProject, uow: RegistryUnitOfWork) -> Project:
    if project := uow.registry.project(query.tenant_id, query.project_id):
        return project
    raise NotFound(f"no project {query.project_id!r}")


def list_projects(query: ListProjects, uow: RegistryUnitOfWork) -> ProjectList:
    projects, total = uow.registry.projects(query.tenant_id, query.limit, query.offset)
    return ProjectList(projects=projects, total=total)

