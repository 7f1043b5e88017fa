"""Parks, projects and users of one tenant, as contract models."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from guiyan_contracts.models import Park, ParkFields, Project, ProjectFields, User, UserFields
from guiyan_contracts.refusals import UnreadableRecord
from guiyan_contracts.system import Problem
from guiyan_eventing.errors import describe

from .orm import ParkRow, ProjectRow, StationRow, UserRow

R = TypeVar("R")
TABLE: dict[str, type[SQLModel]] = {"park": ParkRow, "project": ProjectRow, "user": UserRow}


class Unreadable:
    """Records that no longer read as their contracts (kept from an older release, say): lists
    leave them out, reading one is a conflict, and health names them until an update writes
    them anew. One per process, for every transaction's findings."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], Problem] = {}

    def read(self, kind: str, row: ParkRow | ProjectRow | UserRow, reader: Callable[..., R]) -> R:
        try:
            record = reader(row)
        except ValidationError as error:
            self._found[(kind, row.id)] = Problem(
                service="registry", city=row.tenant_id, item=f"{kind} {row.id}",
                reason=f"set aside, its record cannot be read: {describe(error)}")
            raise UnreadableRecord(f"{kind} {row.id}'s record cannot be read "
                                   f"({describe(error)}); update it to write it anew") from None
        self._found.pop((kind, row.id), None)
        return record

    def written(self, kind: str, record_id: str) -> None:
        self._found.pop((kind, record_id), None)

    def problems(self) -> list[Problem]:
        return list(self._found.values())


UNREADABLE = Unreadable()


def _park(row: ParkRow) -> Park:
    fields = ParkFields.model_validate_json(row.fields_json).model_dump()
    return Park(id=row.id, tenant_id=row.tenant_id, created_at=row.created_at, **fields)


def _project(row: ProjectRow, fields: ProjectFields | None = None) -> Project:
    """The project as recorded, or with other `fields` (the record's own not read at all)."""
    fields = fields or ProjectFields.model_validate_json(row.fields_json)
    return Project(id=row.id, tenant_id=row.tenant_id, submitted_by=row.submitted_by,
                   submitted_at=row.submitted_at, updated_at=row.updated_at,
                   withdrawn_at=row.withdrawn_at, withdrawn_reason=row.withdrawn_reason,
                   **fields.model_dump())


def _user(row: UserRow) -> User:
    return User(id=row.id, tenant_id=row.tenant_id, username=row.username,
                disabled=bool(row.disabled),
                **UserFields.model_validate_json(row.fields_json).model_dump())


def username_key(username: str) -> str:
    """Usernames are one regardless of case: `Wang` cannot sign up beside `wang`."""
    return username.casefold()


def city_ids(session: Session, table: type[ParkRow | StationRow], tenant_id: str,
             among: Collection[str] | None) -> set[str]:
    """The ids of the city's records in `table`; with `among`, only those of them (none asked
    for, no query)."""
    query = select(table.id).where(table.tenant_id == tenant_id)
    if among is not None:
        if not among:
            return set()
        query = query.where(col(table.id).in_(set(among)))
    return set(session.exec(query))


class RegistryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, kind: str, tenant_id: str, record_id: str) -> Park | Project | User | None:
        return {"park": self.park, "project": self.project, "user": self.user}[kind](
            tenant_id, record_id)

    def taken(self, kind: str, record_id: str) -> bool:
        """Whether any tenant already uses this id: ids are global keys."""
        return self.session.get(TABLE[kind], record_id) is not None

    def _readable(self, kind: str, rows: list, reader: Callable[..., R]) -> list[R]:
        """The rows that read as their contract; the others are set aside."""
        found = []
        for row in rows:
            try:
                found.append(UNREADABLE.read(kind, row, reader))
            except UnreadableRecord:
                continue
        return found

    def add_park(self, park: Park) -> None:
        fields = ParkFields.model_validate(park.model_dump(include=set(ParkFields.model_fields)))
        self.session.add(ParkRow(id=park.id, tenant_id=park.tenant_id, name=park.name,
                                 created_at=park.created_at, fields_json=fields.model_dump_json()))

    def replace_park(self, park: Park) -> None:
        row = self.session.get(ParkRow, park.id)
        assert row is not None and row.tenant_id == park.tenant_id
        fields = ParkFields.model_validate(park.model_dump(include=set(ParkFields.model_fields)))
        row.name, row.fields_json = park.name, fields.model_dump_json()
        UNREADABLE.written("park", park.id)

    def park(self, tenant_id: str, park_id: str) -> Park | None:
        row = self.session.get(ParkRow, park_id)
        return UNREADABLE.read("park", row, _park) if row and row.tenant_id == tenant_id else None

    def created_at(self, tenant_id: str, park_id: str) -> datetime | None:
        """When a park of the city was registered, read even from a record set aside."""
        row = self.session.get(ParkRow, park_id)
        return row.created_at if row and row.tenant_id == tenant_id else None

    def parks(self, tenant_id: str) -> list[Park]:
        query = select(ParkRow).where(ParkRow.tenant_id == tenant_id).order_by(ParkRow.id)
        return self._readable("park", list(self.session.exec(query)), _park)

    def park_page(self, tenant_id: str, limit: int, offset: int) -> tuple[list[Park], int]:
        where = ParkRow.tenant_id == tenant_id
        total = self.session.exec(select(func.count()).select_from(ParkRow).where(where)).one()
        query = select(ParkRow).where(where).order_by(ParkRow.id).limit(limit).offset(offset)
        return self._readable("park", list(self.session.exec(query)), _park), total

    def park_ids(self, tenant_id: str, among: Collection[str] | None = None) -> set[str]:
        """The city's park ids, without reading each park's fields; with `among`, only those of
        them. A project names a few parks; reading all of a city's parks and stations for every
        submission took an eighth of registry's CPU under a burst (docs/performance.md,
        "registry: a record's references read by what it names")."""
        return city_ids(self.session, ParkRow, tenant_id, among)

    def add_project(self, project: Project) -> None:
        fields = ProjectFields.model_validate(
            project.model_dump(include=set(ProjectFields.model_fields)))
        self.session.add(ProjectRow(id=project.id, tenant_id=project.tenant_id,
                                    submitted_by=project.submitted_by,
                                    submitted_at=project.submitted_at,
                                    fields_json=fields.model_dump_json()))

    def replace_project(self, project: Project) -> None:
        row = self.session.get(ProjectRow, project.id)
        assert row is not None and row.tenant_id == project.tenant_id
        fields = ProjectFields.model_validate(
            project.model_dump(include=set(ProjectFields.model_fields)))
        row.fields_json = fields.model_dump_json()
        row.updated_at, row.withdrawn_at = project.updated_at, project.withdrawn_at
        row.withdrawn_reason = project.withdrawn_reason
        UNREADABLE.written("project", project.id)

    def project(self, tenant_id: str, project_id: str, for_update: bool = False) -> Project | None:
        """With `for_update`, the project's row is locked until the transaction ends, for a
        command that changes the project from what it reads (on PostgreSQL; SQLite runs one
        write at a time)."""
        row = self._project_row(project_id, for_update)
        return (UNREADABLE.read("project", row, _project)
                if row and row.tenant_id == tenant_id else None)

    def project_with(self, tenant_id: str, project_id: str,
                     fields: ProjectFields) -> Project | None:
        """The project as it would be with `fields`: its record's fields are not read, so a
        record set aside can be written anew. The row is locked until the transaction ends."""
        row = self._project_row(project_id, for_update=True)
        return _project(row, fields) if row and row.tenant_id == tenant_id else None

    def _project_row(self, project_id: str, for_update: bool) -> ProjectRow | None:
        # Locked, the row is read afresh: the lock is what makes the read current.
        return self.session.get(ProjectRow, project_id, with_for_update=for_update,
                                populate_existing=for_update)

    def projects(self, tenant_id: str, limit: int, offset: int) -> tuple[list[Project], int]:
        where = ProjectRow.tenant_id == tenant_id
        total = self.session.exec(select(func.count()).select_from(ProjectRow).where(where)).one()
        query = (select(ProjectRow).where(where)
                 .order_by(ProjectRow.submitted_at.desc(), ProjectRow.id)  # type: ignore[attr-defined]
                 .limit(limit).offset(offset))
        return self._readable("project", list(self.session.exec(query)), _project), total

    def city_projects(self, tenant_id: str) -> list[Project]:
        """Every readable project of the city, withdrawn ones too: what a ledger is matched
        against."""
        query = select(ProjectRow).where(ProjectRow.tenant_id == tenant_id)
        return self._readable("project", list(self.session.exec(query)), _project)

    def add_user(self, user: User, password_hash: str | None) -> None:
        fields = UserFields.model_validate(user.model_dump(include=set(UserFields.model_fields)))
        self.session.add(UserRow(
            id=user.id, tenant_id=user.tenant_id, fields_json=fields.model_dump_json(),
            username=user.username, password_hash=password_hash, disabled=user.disabled,
            username_key=username_key(user.username) if user.username else None,
            session_epoch=0))

    def replace_user(self, user: User) -> None:
        row = self._user_row(user.tenant_id, user.id)
        fields = UserFields.model_validate(user.model_dump(include=set(UserFields.model_fields)))
        row.fields_json, row.disabled = fields.model_dump_json(), user.disabled
        UNREADABLE.written("user", user.id)

    def _user_row(self, tenant_id: str, user_id: str) -> UserRow:
        row = self.session.get(UserRow, user_id)
        assert row is not None and row.tenant_id == tenant_id
        return row

    def user(self, tenant_id: str, user_id: str) -> User | None:
        row = self.session.get(UserRow, user_id)
        return UNREADABLE.read("user", row, _user) if row and row.tenant_id == tenant_id else None

    def user_page(self, tenant_id: str, limit: int, offset: int) -> tuple[list[User], int]:
        where = UserRow.tenant_id == tenant_id
        total = self.session.exec(select(func.count()).select_from(UserRow).where(where)).one()
        query = select(UserRow).where(where).order_by(UserRow.id).limit(limit).offset(offset)
        return self._readable("user", list(self.session.exec(query)), _user), total

    def username_taken(self, username: str) -> bool:
        query = select(UserRow.id).where(UserRow.username_key == username_key(username))
        return self.session.exec(query).first() is not None

    def signing_in(self, username: str) -> tuple[User, str | None] | None:
        """The user with this username, in whichever city, and their password's hash."""
        query = select(UserRow).where(UserRow.username_key == username_key(username))
        row = self.session.exec(query).first()
        return (UNREADABLE.read("user", row, _user), row.password_hash) if row else None

    def password_hash(self, tenant_id: str, user_id: str) -> str | None:
        return self._user_row(tenant_id, user_id).password_hash

    def set_password_hash(self, tenant_id: str, user_id: str, password_hash: str) -> None:
        self._user_row(tenant_id, user_id).password_hash = password_hash

    def session_epoch(self, tenant_id: str, user_id: str) -> int:
        return self._user_row(tenant_id, user_id).session_epoch or 0

    def end_sessions(self, tenant_id: str, user_id: str) -> None:
        """Every session issued before now stops being taken."""
        row = self._user_row(tenant_id, user_id)
        row.session_epoch = (row.session_epoch or 0) + 1

    def users(self, tenant_id: str) -> dict[str, User]:
        query = select(UserRow).where(UserRow.tenant_id == tenant_id)
        return {user.id: user for user in
                self._readable("user", list(self.session.exec(query)), _user)}
