"""registry's process: answers commands and queries; its events leave through the outbox."""

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
from guiyan_eventing.runtime import Service

from ..adapters.orm import TABLES
from ..adapters.repository import UNREADABLE
from ..adapters.unit_of_work import RegistryUnitOfWork
from ..config import RegistrySettings
from ..service_layer import handlers, ledgers, users


def build(settings: RegistrySettings | None = None) -> Service[RegistryUnitOfWork]:
    service = Service("registry", settings or RegistrySettings(), TABLES, RegistryUnitOfWork)
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
    service.report_problems(UNREADABLE.problems)
    return service


def main() -> None:
    build().run()
