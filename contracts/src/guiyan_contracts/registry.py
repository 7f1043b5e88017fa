"""registry: parks, projects and users, the system of record."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import Field

from .envelope import CityId, Contract, Event, FieldError, Offset, Request
from .models import (
    Flag,
    Id,
    Park,
    ParkFields,
    Password,
    Project,
    ProjectFields,
    User,
    UserFields,
    Username,
)

STREAM = "GUIYAN_REGISTRY"
EVENTS = "guiyan.registry.>"


# Events
class ParkRegistered(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.park.registered.v1"
    park: Park


class ProjectSubmitted(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.project.submitted.v1"
    project: Project


class ParkUpdated(Event):
    """Capacity, budget, policy or anything else of a park changed; `park` is the new state."""

    SUBJECT: ClassVar[str] = "guiyan.registry.park.updated.v1"
    park: Park
    updated_by: Id


class ProjectUpdated(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.project.updated.v1"
    project: Project
    updated_by: Id


class ProjectWithdrawn(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.project.withdrawn.v1"
    project: Project
    withdrawn_by: Id


class UserRegistered(Event):
    SUBJECT: ClassVar[str] = "guiyan.registry.user.registered.v1"
    user: User


class UserUpdated(Event):
    """A user's name, role, contact, language or standing changed; `user` is the new state. A
    changed password is no event: nobody outside registry holds anything of it."""

    SUBJECT: ClassVar[str] = "guiyan.registry.user.updated.v1"
    user: User
    updated_by: Id


# Commands
class RegisterPark(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.park.register.v1"
    park_id: Id | None = None
    park: ParkFields


class SubmitProject(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.project.submit.v1"
    project_id: Id | None = None
    submitted_by: Id
    project: ProjectFields
    # The contact with a person that brought the project: registry links the project to the
    # person (and to the lead behind the contact's task), so that leads can be counted.
    contact_id: Id | None = None


class UpdatePark(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.park.update.v1"
    park_id: Id
    updated_by: Id
    park: ParkFields  # the whole new state, as registered
    # Answer as the update would, changing nothing: the portal checks an update before it asks
    # matching to hold the park within it, so that a refused update changes nothing anywhere.
    validate_only: bool = False


class UpdateProject(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.project.update.v1"
    project_id: Id
    updated_by: Id
    project: ProjectFields


class WithdrawProject(Request):
    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.project.withdraw.v1"
    project_id: Id
    withdrawn_by: Id
    reason: str = Field(min_length=1, max_length=1000)


class StagedRow(Contract):
    """One row of a ledger, as the portal read it into `ProjectFields`' names: not yet checked,
    so that registry checks it with its own rules and names each mistake."""

    row: int = Field(ge=1)  # the row's number in the sheet, as the ledger's reader sees it
    fields: dict[str, Any]


class StageImport(Request):
    """Rows of a ledger, kept under `import_id` until `CommitImport`: a ledger of thousands of
    rows is staged a chunk at a time, since one NATS message holds at most about 1 MB. Staging a
    row number again replaces it."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.project.import_stage.v1"
    import_id: Id
    rows: list[StagedRow] = Field(min_length=1, max_length=1000)


class ImportStaged(Contract):
    import_id: Id
    rows: int  # rows staged under the import so far


class LedgerKind(StrEnum):
    projects = "projects"  # 项目台账: rows of `ProjectFields`
    people = "people"  # 人员档案: rows of `PersonFields`


class ImportMode(StrEnum):
    all_or_nothing = "all_or_nothing"  # one bad row imports nothing
    valid_rows = "valid_rows"  # the good rows are imported, the bad ones reported


class CommitImport(Request):
    """Check every staged row of `import_id` and, unless `dry_run`, write them in one
    transaction: a row that matches a project (by its ledger number, else by name, founder and
    source) updates it when changed, any other makes a new one. The staged rows are gone
    after."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.project.import_commit.v1"
    import_id: Id
    submitted_by: Id
    # People are found again by their archive number, else by name, hometown and current city.
    kind: LedgerKind = LedgerKind.projects
    mode: ImportMode = ImportMode.all_or_nothing
    dry_run: bool = False


class RowErrors(Contract):
    row: int
    errors: list[FieldError]  # loc as a submitted record's: ["project", "sector"], ["person", "name"]


class ImportReport(Contract):
    rows: int
    imported: int  # new records (would be, on a dry run)
    updated: int
    unchanged: int
    errors: list[RowErrors]


class RecordExport(Request):
    """Someone took a copy of the city's records out as a spreadsheet: kept for admins to read."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.export.record.v1"
    exported_by: Id
    what: str = Field(min_length=1, max_length=64)  # projects, proposals, parks, plans
    rows: int = Field(ge=0)
    filters: dict[str, str] = Field(default={}, max_length=50)


class ExportRecord(Contract):
    id: Id
    tenant_id: CityId
    exported_by: Id
    exported_at: datetime
    what: str
    rows: int
    filters: dict[str, str]


class RegisterUser(Request):
    """A user with a `username` and `password` may sign in; one without, only with a bearer
    token. The password is kept only as its hash, and never answered."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.user.register.v1"
    WRITE_ONLY: ClassVar[frozenset[str]] = frozenset({"password"})
    user_id: Id | None = None
    user: UserFields
    username: Username | None = None
    password: Password | None = Field(default=None, repr=False)


class ChangePassword(Request):
    """The user's own change: it ends every session the user had."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.user.change_password.v1"
    WRITE_ONLY: ClassVar[frozenset[str]] = frozenset({"current_password", "new_password"})
    user_id: Id
    current_password: Password = Field(repr=False)
    new_password: Password = Field(repr=False)


class ResetPassword(Request):
    """An admin sets a user's password: it ends every session the user had."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.user.reset_password.v1"
    WRITE_ONLY: ClassVar[frozenset[str]] = frozenset({"new_password"})
    user_id: Id
    new_password: Password = Field(repr=False)
    reset_by: Id


class UpdateUser(Request):
    """The user's whole new state, and the parks they manage: each park that gains or loses them
    is updated too. Disabling a user, or changing their role, ends their sessions."""

    SUBJECT: ClassVar[str] = "guiyan.cmd.registry.user.update.v1"
    user_id: Id
    updated_by: Id
    user: UserFields
    disabled: Flag = False
    managed_park_ids: list[Id] = Field(default=[], max_length=200)


# Queries
class GetPark(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.park.get.v1"
    park_id: Id


class ListParks(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.park.list.v1"
    limit: int = Field(default=200, ge=1, le=1000)
    offset: Offset = 0


class GetProject(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.project.get.v1"
    project_id: Id


class ListProjects(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.project.list.v1"
    limit: int = Field(default=200, ge=1, le=1000)
    offset: Offset = 0


class ListExports(Request):
    """The city's exports, newest first."""

    SUBJECT: ClassVar[str] = "guiyan.query.registry.export.list.v1"
    limit: int = Field(default=200, ge=1, le=1000)
    offset: Offset = 0


class GetUser(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.user.get.v1"
    user_id: Id


class ListUsers(Request):
    SUBJECT: ClassVar[str] = "guiyan.query.registry.user.list.v1"
    limit: int = Field(default=200, ge=1, le=1000)
    offset: Offset = 0


class Authenticate(Request):
    """Who has this username and password, in whichever city. A wrong username, a wrong password
    and a disabled user are one refusal (`forbidden`) with one message, so that an answer never
    tells which usernames exist."""

    SUBJECT: ClassVar[str] = "guiyan.query.registry.user.authenticate.v1"
    WRITE_ONLY: ClassVar[frozenset[str]] = frozenset({"password"})
    # A username is unique across cities: whoever signs in does not say their city.
    tenant_id: CityId | None = None  # type: ignore[assignment]
    username: str = Field(min_length=1, max_length=64)
    password: Password = Field(repr=False)


class UserView(Contract):
    user: User
    managed_park_ids: list[Id]
    # Sessions carry the epoch they were issued under: a raised epoch ends them all.
    session_epoch: int = 0


class UserList(Contract):
    users: list[User]
    total: int


class ParkList(Contract):
    parks: list[Park]
    total: int


class ProjectList(Contract):
    projects: list[Project]
    total: int


class ExportList(Contract):
    exports: list[ExportRecord]
    total: int
