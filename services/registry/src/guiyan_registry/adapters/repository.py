"""Parks, projects and users of one tenant, as contract models."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from guiyan_contracts.models import Park, ParkFields, Project, ProjectFields, User, UserFields

from .orm import ParkRow, ProjectRow, UserRow


def _park(row: ParkRow) -> Park:
    fields = ParkFields.model_validate_json(row.fields_json).model_dump()
    return Park(id=row.id, tenant_id=row.tenant_id, created_at=row.created_at, **fields)


def _project(row: ProjectRow) -> Project:
    fields = ProjectFields.model_validate_json(row.fields_json).model_dump()
    return Project(id=row.id, tenant_id=row.tenant_id, submitted_by=row.submitted_by,
                   submitted_at=row.submitted_at, updated_at=row.updated_at,
                   withdrawn_at=row.withdrawn_at, withdrawn_reason=row.withdrawn_reason, **fields)


def _user(row: UserRow) -> User:
    return User(id=row.id, tenant_id=row.tenant_id,
                **UserFields.model_validate_json(row.fields_json).model_dump())


class RegistryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, kind: str, tenant_id: str, record_id: str) -> Park | Project | User | None:
        return {"park": self.park, "project": self.project, "user": self.user}[kind](
            tenant_id, record_id)

    def taken(self, kind: str, record_id: str) -> bool:
        """Whether any tenant already uses this id: ids are global keys."""
        table = {"park": ParkRow, "project": ProjectRow, "user": UserRow}[kind]
        return self.session.get(table, record_id) is not None

    def add_park(self, park: Park) -> None:
        fields = ParkFields.model_validate(park.model_dump(include=set(ParkFields.model_fields)))
        self.session.add(ParkRow(id=park.id, tenant_id=park.tenant_id, name=park.name,
                                 created_at=park.created_at, fields_json=fields.model_dump_json()))

    def replace_park(self, park: Park) -> None:
        row = self.session.get(ParkRow, park.id)
        assert row is not None and row.tenant_id == park.tenant_id
        fields = ParkFields.model_validate(park.model_dump(include=set(ParkFields.model_fields)))
        row.name, row.fields_json = park.name, fields.model_dump_json()

    def park(self, tenant_id: str, park_id: str) -> Park | None:
        row = self.session.get(ParkRow, park_id)
        return _park(row) if row and row.tenant_id == tenant_id else None

    def parks(self, tenant_id: str) -> list[Park]:
        query = select(ParkRow).where(ParkRow.tenant_id == tenant_id).order_by(ParkRow.id)
        return [_park(row) for row in self.session.exec(query)]

    def park_page(self, tenant_id: str, limit: int, offset: int) -> tuple[list[Park], int]:
        where = ParkRow.tenant_id == tenant_id
        total = self.session.exec(select(func.count()).select_from(ParkRow).where(where)).one()
        query = select(ParkRow).where(where).order_by(ParkRow.id).limit(limit).offset(offset)
        return [_park(row) for row in self.session.exec(query)], total

    def park_ids(self, tenant_id: str) -> set[str]:
        """Without reading each park's fields: a project's preferred parks are checked on every
        submission."""
        return set(self.session.exec(select(ParkRow.id).where(ParkRow.tenant_id == tenant_id)))

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

    def project(self, tenant_id: str, project_id: str) -> Project | None:
        row = self.session.get(ProjectRow, project_id)
        return _project(row) if row and row.tenant_id == tenant_id else None

    def projects(self, tenant_id: str, limit: int, offset: int) -> tuple[list[Project], int]:
        where = ProjectRow.tenant_id == tenant_id
        total = self.session.exec(select(func.count()).select_from(ProjectRow).where(where)).one()
        query = (select(ProjectRow).where(where)
                 .order_by(ProjectRow.submitted_at.desc(), ProjectRow.id)  # type: ignore[attr-defined]
                 .limit(limit).offset(offset))
        return [_project(row) for row in self.session.exec(query)], total

    def add_user(self, user: User) -> None:
        fields = UserFields.model_validate(user.model_dump(include=set(UserFields.model_fields)))
        self.session.add(UserRow(id=user.id, tenant_id=user.tenant_id,
                                 fields_json=fields.model_dump_json()))

    def user(self, tenant_id: str, user_id: str) -> User | None:
        row = self.session.get(UserRow, user_id)
        return _user(row) if row and row.tenant_id == tenant_id else None

    def users(self, tenant_id: str) -> dict[str, User]:
        query = select(UserRow).where(UserRow.tenant_id == tenant_id)
        return {row.id: _user(row) for row in self.session.exec(query)}
