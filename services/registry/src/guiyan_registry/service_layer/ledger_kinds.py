"""What differs between the ledgers one importer (`ledgers.py`) takes: a county's projects
(项目台账) and an archive of people (人员档案). Each kind says what its rows are, how a row finds
the record it was imported as before, which city rules it meets, and how a record is made,
changed and announced."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

from guiyan_contracts.envelope import Contract, Event, FieldError
from guiyan_contracts.models import Project, ProjectFields
from guiyan_contracts.people import Person, PersonFields
from guiyan_contracts.registry import CommitImport, LedgerKind, ProjectSubmitted, ProjectUpdated

from ..adapters.unit_of_work import RegistryUnitOfWork
from ..domain.rules import person_errors, sourced_project_errors
from .handlers import PRODUCER, city_taxonomy
from .people import corrected, new_person, registered, updated
from .tasks import cancel_open

RowRules = Callable[[Any], list[FieldError]]


@dataclass(frozen=True)
class LedgerOf:
    fields: type[Contract]  # what a row is read as
    record: str  # the first part of a row's errors' `loc`
    ref: str  # the ledger's own number for the record, when it has one
    # Who or what the record is, for a row without a number.
    identity: Callable[[Any], tuple[str, ...]]
    # The city's records of this kind, and the rules of the city a row meets: read once for
    # the whole ledger.
    load: Callable[[RegistryUnitOfWork, str], tuple[list[Any], RowRules]]
    create: Callable[[Any, CommitImport, datetime], tuple[Any, Event]]
    change: Callable[[Any, Any, CommitImport, datetime], tuple[Any, Event]]
    store_new: Callable[[RegistryUnitOfWork, list[Any]], None]
    store_changed: Callable[[RegistryUnitOfWork, Any], None]
    # Why a record may not be changed by a ledger, if it may not.
    frozen: Callable[[Any], FieldError | None] = lambda record: None

    def ref_of(self, record: Contract) -> str | None:
        return getattr(record, self.ref)


# --- projects ---------------------------------------------------------------------------------

def _project_identity(project: ProjectFields | Project) -> tuple[str, ...]:
    """A row without a ledger number is the project of the same name, founder and source."""
    return project.name, project.founder, project.source


def _load_projects(uow: RegistryUnitOfWork, tenant_id: str) -> tuple[list[Project], RowRules]:
    taxonomy = city_taxonomy(tenant_id)
    park_ids, station_ids = uow.registry.park_ids(tenant_id), uow.stations.ids(tenant_id)

    return (uow.registry.city_projects(tenant_id),
            lambda project: sourced_project_errors(project, taxonomy, park_ids, station_ids))


def _new_project(fields: ProjectFields, command: CommitImport,
                 now: datetime) -> tuple[Project, Event]:
    project = Project(id=str(uuid4()), tenant_id=command.tenant_id,
                      submitted_by=command.submitted_by, submitted_at=now, **fields.model_dump())
    return project, ProjectSubmitted(producer=PRODUCER, tenant_id=command.tenant_id,
                                     correlation_id=command.correlation_id, project=project)


def _changed_project(existing: Project, fields: ProjectFields, command: CommitImport,
                     now: datetime) -> tuple[Project, Event]:
    project = existing.model_copy(update={**fields.model_dump(), "updated_at": now})
    return project, ProjectUpdated(producer=PRODUCER, tenant_id=command.tenant_id,
                                   correlation_id=command.correlation_id, project=project,
                                   updated_by=command.submitted_by)


def _withdrawn(project: Project) -> FieldError | None:
    if project.withdrawn_at is None:
        return None
    return FieldError(loc=["project"], msg="the project was withdrawn and cannot be changed",
                      type="project_withdrawn")


def _add_projects(uow: RegistryUnitOfWork, projects: list[Project]) -> None:
    for project in projects:
        uow.registry.add_project(project)


PROJECTS = LedgerOf(
    fields=ProjectFields, record="project", ref="ledger_ref", identity=_project_identity,
    load=_load_projects, create=_new_project, change=_changed_project,
    store_new=_add_projects,
    store_changed=lambda uow, project: uow.registry.replace_project(project),
    frozen=_withdrawn)


# --- people -----------------------------------------------------------------------------------

def _person_identity(person: PersonFields | Person) -> tuple[str, ...]:
    """A row without an archive number is the person of the same name, hometown and city."""
    return person.name, person.hometown_county, person.current_city


def _load_people(uow: RegistryUnitOfWork, tenant_id: str) -> tuple[list[Person], RowRules]:
    taxonomy = city_taxonomy(tenant_id)
    station_ids = uow.stations.ids(tenant_id)
    return (uow.people.city_people(tenant_id),
            lambda person: person_errors(person, taxonomy, station_ids))


def _new_person(fields: PersonFields, command: CommitImport,
                now: datetime) -> tuple[Person, Event]:
    person = new_person(command.tenant_id, str(uuid4()), fields, now)
    return person, registered(person, command.correlation_id)


def _changed_person(existing: Person, fields: PersonFields, command: CommitImport,
                    now: datetime) -> tuple[Person, Event]:
    person = corrected(existing, fields, now)
    return person, updated(person, command.correlation_id)


def _store_changed_person(uow: RegistryUnitOfWork, person: Person) -> None:
    """As a correction through the API: an archive that now says the person withdrew their
    consent cancels their open follow-up tasks."""
    uow.people.replace(person)
    if not person.contact_consent:
        cancel_open(person.tenant_id, person.id, uow)


PEOPLE = LedgerOf(
    fields=PersonFields, record="person", ref="archive_ref", identity=_person_identity,
    load=_load_people, create=_new_person, change=_changed_person,
    store_new=lambda uow, people: uow.people.add_all(people),
    store_changed=_store_changed_person)

KINDS = {LedgerKind.projects: PROJECTS, LedgerKind.people: PEOPLE}
