"""registry's process: answers commands and queries; its events leave through the outbox."""

from guiyan_contracts.people import (
    CreateTask,
    ErasePerson,
    GetPeople,
    GetPerson,
    GetStation,
    ListContacts,
    ListPeople,
    ListPersonalDataReads,
    ListStations,
    ListTasks,
    RecordContact,
    RegisterPerson,
    RegisterStation,
    UpdatePerson,
    UpdateStation,
    UpdateTask,
)
from guiyan_contracts.registry import (
    Authenticate,
    ChangePassword,
    CommitImport,
    GetPark,
    GetProject,
    GetUser,
    ListExports,
    ListParks,
    ListProjects,
    ListUsers,
    RecordExport,
    RegisterPark,
    RegisterUser,
    ResetPassword,
    StageImport,
    SubmitProject,
    UpdatePark,
    UpdateProject,
    UpdateUser,
    WithdrawProject,
)
from guiyan_eventing.migrations.cli import run_or_migrate
from guiyan_eventing.runtime import Service

from ..adapters.metrics import projects_by_status
from ..adapters.repository import UNREADABLE
from ..adapters.unit_of_work import RegistryUnitOfWork
from ..config import RegistrySettings
from ..migrations import MIGRATIONS
from ..service_layer import contacts, erasure, handlers, ledgers, people, stations, tasks, users


def build(settings: RegistrySettings | None = None) -> Service[RegistryUnitOfWork]:
    service = Service("registry", settings or RegistrySettings(), MIGRATIONS, RegistryUnitOfWork)
    service.gauge_from_database("guiyan_registry_projects", "Projects by status",
                                ("city", "status"), projects_by_status)
    service.on_request(RegisterUser, users.register_user)
    service.on_request(UpdateUser, users.update_user)
    service.on_request(ChangePassword, users.change_password)
    service.on_request(ResetPassword, users.reset_password)
    service.on_request(RegisterPark, handlers.register_park)
    service.on_request(SubmitProject, handlers.submit_project)
    service.on_request(UpdatePark, handlers.update_park)
    service.on_request(UpdateProject, handlers.update_project)
    service.on_request(WithdrawProject, handlers.withdraw_project)
    service.on_request(GetPark, handlers.get_park)
    service.on_request(ListParks, handlers.list_parks)
    service.on_request(GetProject, handlers.get_project)
    service.on_request(ListProjects, handlers.list_projects)
    service.on_request(StageImport, ledgers.stage_import)
    service.on_request(CommitImport, ledgers.commit_import)
    service.on_request(RecordExport, ledgers.record_export)
    service.on_request(ListExports, ledgers.list_exports)
    service.on_request(GetUser, users.get_user)
    service.on_request(ListUsers, users.list_users)
    service.on_request(Authenticate, users.authenticate)
    service.on_request(RegisterStation, stations.register_station)
    service.on_request(UpdateStation, stations.update_station)
    service.on_request(GetStation, stations.get_station)
    service.on_request(ListStations, stations.list_stations)
    service.on_request(RegisterPerson, people.register_person)
    service.on_request(UpdatePerson, people.update_person)
    service.on_request(GetPerson, people.get_person)
    service.on_request(GetPeople, people.get_people)
    service.on_request(ListPeople, people.list_people)
    service.on_request(ListPersonalDataReads, people.list_personal_data_reads)
    service.on_request(RecordContact, contacts.record_contact)
    service.on_request(ListContacts, contacts.list_contacts)
    service.on_request(CreateTask, tasks.create_task)
    service.on_request(UpdateTask, tasks.update_task)
    service.on_request(ListTasks, tasks.list_tasks)
    service.respond(ErasePerson, lambda request: service.database(
        lambda: erasure.answer_erasure(request, service.uow)))
    service.report_problems(UNREADABLE.problems)
    return service


def main() -> None:
    run_or_migrate("registry", RegistrySettings, MIGRATIONS, lambda settings: build(settings).run())
