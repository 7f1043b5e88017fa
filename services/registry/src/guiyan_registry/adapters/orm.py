"""registry's tables. A record's fields are stored as their contract's JSON beside the columns
that queries filter on, so a new optional contract field needs no migration."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
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


class StationRow(SQLModel, table=True):
    """A service station (返乡创业服务站); its name is one in its city."""

    __tablename__ = "registry_stations"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    name: str = Field(max_length=100)
    level: str = Field(max_length=16)
    host_city: str = Field(max_length=64)
    host_province: str = Field(max_length=32)
    head_name: str = Field(max_length=100)
    created_at: datetime
    updated_at: datetime | None = None
    fields_json: str


class PersonRow(SQLModel, table=True):
    """A person of the registry: each column a list filters or sorts on, beside the record."""

    __tablename__ = "registry_people"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    name: str = Field(index=True, max_length=100)
    enterprise: str | None = Field(default=None, max_length=100)
    current_city: str = Field(max_length=64)
    current_province: str = Field(max_length=32)
    hometown_county: str = Field(max_length=64)
    sector: str | None = Field(default=None, max_length=64)
    chain: str | None = Field(default=None, max_length=64)
    link: str | None = Field(default=None, max_length=64)
    station_id: str | None = Field(default=None, index=True, max_length=64)
    status: str = Field(max_length=16)
    contact_consent: bool
    archive_ref: str | None = Field(default=None, max_length=64)
    last_contact_on: date | None = Field(default=None, index=True)
    created_at: datetime
    updated_at: datetime | None = None
    project_ids_json: str = "[]"
    fields_json: str


class ContactRow(SQLModel, table=True):
    __tablename__ = "registry_contacts"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    person_id: str = Field(index=True, max_length=64)
    contacted_on: date
    recorded_by: str = Field(max_length=64)
    recorded_at: datetime
    fields_json: str


class TaskRow(SQLModel, table=True):
    """A follow-up task: who is to contact whom, by when."""

    __tablename__ = "registry_tasks"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    person_id: str = Field(index=True, max_length=64)
    assignee_id: str = Field(index=True, max_length=64)
    status: str = Field(max_length=16)
    due_on: date
    created_by: str = Field(max_length=64)
    created_at: datetime
    done_at: datetime | None = None
    contact_id: str | None = Field(default=None, max_length=64)
    fields_json: str


class PersonalDataReadRow(SQLModel, table=True):
    __tablename__ = "registry_personal_data_reads"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    read_by: str = Field(max_length=64)
    read_at: datetime = Field(index=True)
    what: str = Field(max_length=64)
    rows: int
    filters_json: str


TABLES: list[type[SQLModel]] = [ParkRow, ProjectRow, UserRow, StagedRowRow, ExportRow,
                                StationRow, PersonRow, ContactRow, TaskRow, PersonalDataReadRow]
