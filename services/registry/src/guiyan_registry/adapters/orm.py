"""registry's tables. A record's fields are stored as their contract's JSON beside the columns
that queries filter on, so a new optional contract field needs no migration."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class ParkRow(SQLModel, table=True):
    __tablename__ = "registry_parks"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    name: str
    created_at: datetime
    fields_json: str


class ProjectRow(SQLModel, table=True):
    __tablename__ = "registry_projects"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    submitted_by: str = Field(max_length=64)
    submitted_at: datetime = Field(index=True)
    fields_json: str
    updated_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawn_reason: str | None = None


class UserRow(SQLModel, table=True):
    """A user's sign-in columns are nullable, so that a database of an earlier release gains
    them as it starts: no username, no password, enabled, epoch 0."""

    __tablename__ = "registry_users"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    fields_json: str
    username: str | None = Field(default=None, max_length=64)
    username_key: str | None = Field(default=None, max_length=64, unique=True)  # casefolded
    # Only here: no contract, event, reply or log carries it.
    password_hash: str | None = Field(default=None, max_length=500)
    disabled: bool | None = None
    session_epoch: int | None = None


class StagedRowRow(SQLModel, table=True):
    """A ledger's row waiting for its import's commit, as the portal read it."""

    __tablename__ = "registry_staged_rows"

    import_id: str = Field(primary_key=True, max_length=64)
    row: int = Field(primary_key=True)
    tenant_id: str = Field(max_length=64)
    staged_at: datetime = Field(index=True)
    fields_json: str


class ExportRow(SQLModel, table=True):
    __tablename__ = "registry_exports"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    exported_by: str = Field(max_length=64)
    exported_at: datetime = Field(index=True)
    what: str = Field(max_length=64)
    rows: int
    filters_json: str


TABLES: list[type[SQLModel]] = [ParkRow, ProjectRow, UserRow, StagedRowRow, ExportRow]
