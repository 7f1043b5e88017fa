"""Ledgers (台账): a county's Excel sheet of projects imported in one transaction, and the
record of what was exported. The portal reads the sheet; registry checks every row with the
rules a submission meets (the contract, then the city's), so a ledger can never hold what the
API would refuse."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

from pydantic import ValidationError

from guiyan_contracts.envelope import Event, FieldError, utc_now
from guiyan_contracts.models import Project, ProjectFields
from guiyan_contracts.refusals import Conflict, NotFound
from guiyan_contracts.registry import (
    CommitImport,
    ExportList,
    ExportRecord,
    ImportMode,
    ImportReport,
    ImportStaged,
    ListExports,
    ProjectSubmitted,
    ProjectUpdated,
    RecordExport,
    RowErrors,
    StageImport,
)

from ..adapters.unit_of_work import RegistryUnitOfWork
from ..domain.rules import project_errors
from .handlers import PRODUCER, city_taxonomy

# An import staged and never committed (its portal stopped halfway) is dropped after this.
STAGED_ROWS_KEPT = timedelta(hours=1)


def stage_import(command: StageImport, uow: RegistryUnitOfWork) -> ImportStaged:
    city = uow.ledgers.import_city(command.import_id)
    if city not in (None, command.tenant_id):
        raise Conflict(f"import {command.import_id!r} belongs to another city")
    now = utc_now()
    uow.ledgers.forget_staged_before(now - STAGED_ROWS_KEPT)
    uow.ledgers.stage(command.tenant_id, command.import_id, command.rows, now)
    return ImportStaged(import_id=command.import_id,
                        rows=len(uow.ledgers.staged(command.tenant_id, command.import_id)))


def _identity(fields: ProjectFields | Project) -> tuple[str, str, str]:
    """A row without a ledger number is the project of the same name, founder and source."""
    return fields.name, fields.founder, fields.source


def _contract_errors(error: ValidationError) -> list[FieldError]:
    return [FieldError(loc=["project", *problem["loc"]], msg=problem["msg"], type=problem["type"])
            for problem in error.errors()]


class _Ledger:
    """Each staged row sorted into new, changed, unchanged or wrong, against the city's
    projects as they stand."""

    def __init__(self, projects: list[Project]) -> None:
        self.by_ref = {p.ledger_ref: p for p in projects if p.ledger_ref}
        # A project submitted over the API (no ledger number) is found by who and what it is.
        self.by_identity = {_identity(p): p for p in projects if not p.ledger_ref}
        self.seen: set[tuple[str, ...]] = set()
        self.new: list[ProjectFields] = []
        self.changed: list[tuple[Project, ProjectFields]] = []
        self.unchanged = 0
        self.errors: list[RowErrors] = []

    def sort(self, number: int, fields: ProjectFields) -> None:
        key = ("ref", fields.ledger_ref) if fields.ledger_ref else ("identity", *_identity(fields))
        if key in self.seen:
            where = ["project", "ledger_ref" if fields.ledger_ref else "name"]
            self.errors.append(RowErrors(row=number, errors=[FieldError(
                loc=where, msg="an earlier row of the ledger has the same project",
                type="duplicate_row")]))
            return
        self.seen.add(key)
        existing = ((fields.ledger_ref and self.by_ref.get(fields.ledger_ref))
                    or self.by_identity.get(_identity(fields)))
        if existing is None:
            self.new.append(fields)
            return
        if fields.ledger_ref is None and existing.ledger_ref:
            fields = fields.model_copy(update={"ledger_ref": existing.ledger_ref})
        if existing.model_dump(include=set(ProjectFields.model_fields)) == fields.model_dump():
            self.unchanged += 1
        elif existing.withdrawn_at is not None:
            self.errors.append(RowErrors(row=number, errors=[FieldError(
                loc=["project"], msg="the project was withdrawn and cannot be changed",
                type="project_withdrawn")]))
        else:
            self.changed.append((existing, fields))


def _checked(staged: list[tuple[int, dict[str, Any]]], uow: RegistryUnitOfWork,
             tenant_id: str) -> _Ledger:
    taxonomy = city_taxonomy(tenant_id)
    park_ids = uow.registry.park_ids(tenant_id)
    ledger = _Ledger(uow.registry.city_projects(tenant_id))
    for number, raw in staged:
        try:
            fields = ProjectFields.model_validate(raw)
        except ValidationError as error:
            ledger.errors.append(RowErrors(row=number, errors=_contract_errors(error)))
            continue
        if errors := project_errors(fields, taxonomy, park_ids):
            ledger.errors.append(RowErrors(row=number, errors=errors))
            continue
        ledger.sort(number, fields)
    return ledger


def commit_import(command: CommitImport, uow: RegistryUnitOfWork) -> ImportReport:
    """New projects are submitted and changed ones updated (matching plans both again), all in
    this one transaction. With `all_or_nothing`, one bad row writes nothing; a dry run writes
    nothing either, and answers what the import would do."""
    staged = uow.ledgers.staged(command.tenant_id, command.import_id)
    if not staged:
        raise NotFound(f"no rows staged under import {command.import_id!r}")
    ledger = _checked(staged, uow, command.tenant_id)
    uow.ledgers.forget(command.import_id)
    refused = bool(ledger.errors) and command.mode is ImportMode.all_or_nothing
    if not (command.dry_run or refused):
        _write(ledger, command, uow)
    return ImportReport(rows=len(staged), imported=0 if refused else len(ledger.new),
                        updated=0 if refused else len(ledger.changed),
                        unchanged=ledger.unchanged, errors=ledger.errors)


def _write(ledger: _Ledger, command: CommitImport, uow: RegistryUnitOfWork) -> None:
    now = utc_now()
    events: list[Event] = []
    for fields in ledger.new:
        project = Project(id=str(uuid4()), tenant_id=command.tenant_id,
                          submitted_by=command.submitted_by, submitted_at=now,
                          **fields.model_dump())
        uow.registry.add_project(project)
        events.append(ProjectSubmitted(producer=PRODUCER, tenant_id=command.tenant_id,
                                       correlation_id=command.correlation_id, project=project))
    for existing, fields in ledger.changed:
        project = existing.model_copy(update={**fields.model_dump(), "updated_at": now})
        uow.registry.replace_project(project)
        events.append(ProjectUpdated(producer=PRODUCER, tenant_id=command.tenant_id,
                                     correlation_id=command.correlation_id, project=project,
                                     updated_by=command.submitted_by))
    uow.emit_all(events)


def record_export(command: RecordExport, uow: RegistryUnitOfWork) -> ExportRecord:
    record = ExportRecord(id=str(uuid4()), tenant_id=command.tenant_id,
                          exported_by=command.exported_by, exported_at=utc_now(),
                          what=command.what, rows=command.rows, filters=command.filters)
    uow.ledgers.record_export(record)
    return record


def list_exports(query: ListExports, uow: RegistryUnitOfWork) -> ExportList:
    exports, total = uow.ledgers.exports(query.tenant_id, query.limit, query.offset)
    return ExportList(exports=exports, total=total)
