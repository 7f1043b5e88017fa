"""Ledgers (台账): a county's Excel sheet of projects, or an archive of people, imported in one
transaction, and the record of what was exported. The portal reads the sheet; registry checks
every row with the rules a submission meets (the contract, then the city's), so a ledger can
never hold what the API would refuse. Both kinds go through one importer: what differs between
them is in `ledger_kinds.py`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

from pydantic import ValidationError

from guiyan_contracts.envelope import Event, FieldError, utc_now
from guiyan_contracts.refusals import Conflict, NotFound
from guiyan_contracts.registry import (
    CommitImport,
    ExportList,
    ExportRecord,
    ImportMode,
    ImportReport,
    ImportStaged,
    ListExports,
    RecordExport,
    RowErrors,
    StageImport,
)

from ..adapters.unit_of_work import RegistryUnitOfWork
from .ledger_kinds import KINDS, LedgerOf

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
                        rows=uow.ledgers.staged_count(command.tenant_id, command.import_id))


def _contract_errors(error: ValidationError, record: str) -> list[FieldError]:
    return [FieldError(loc=[record, *problem["loc"]], msg=problem["msg"], type=problem["type"])
            for problem in error.errors()]


class _Ledger:
    """Each staged row sorted into new, changed, unchanged or wrong, against the city's
    records of the ledger's kind as they stand."""

    def __init__(self, kind: LedgerOf, records: list[Any]) -> None:
        self.kind = kind
        self.by_ref = {kind.ref_of(r): r for r in records if kind.ref_of(r)}
        # A record made over the API (no ledger number) is found by who or what it is.
        self.by_identity = {kind.identity(r): r for r in records if not kind.ref_of(r)}
        self.seen: set[tuple[str, ...]] = set()
        self.new: list[Any] = []
        self.changed: list[tuple[Any, Any]] = []
        self.unchanged = 0
        self.errors: list[RowErrors] = []

    def sort(self, number: int, fields: Any) -> None:
        kind, ref = self.kind, self.kind.ref_of(fields)
        key = ("ref", ref) if ref else ("identity", *kind.identity(fields))
        if key in self.seen:
            where = [kind.record, kind.ref if ref else "name"]
            self.errors.append(RowErrors(row=number, errors=[FieldError(
                loc=where, msg=f"an earlier row of the ledger has the same {kind.record}",
                type="duplicate_row")]))
            return
        self.seen.add(key)
        existing = (ref and self.by_ref.get(ref)) or self.by_identity.get(kind.identity(fields))
        if existing is None:
            self.new.append(fields)
        elif existing.model_dump(include=set(kind.fields.model_fields)) == fields.model_dump():
            self.unchanged += 1
        elif frozen := kind.frozen(existing):
            self.errors.append(RowErrors(row=number, errors=[frozen]))
        else:
            self.changed.append((existing, fields))


def _checked(kind: LedgerOf, staged: list[tuple[int, dict[str, Any]]], uow: RegistryUnitOfWork,
             tenant_id: str) -> _Ledger:
    records, rules = kind.load(uow, tenant_id)
    ledger = _Ledger(kind, records)
    for number, raw in staged:
        try:
            fields = kind.fields.model_validate(raw)
        except ValidationError as error:
            ledger.errors.append(RowErrors(row=number, errors=_contract_errors(error, kind.record)))
            continue
        if errors := rules(fields):
            ledger.errors.append(RowErrors(row=number, errors=errors))
            continue
        ledger.sort(number, fields)
    return ledger


def commit_import(command: CommitImport, uow: RegistryUnitOfWork) -> ImportReport:
    """New records are made and changed ones updated (and announced, so that matching plans
    projects again and finds leads among people anew), all in this one transaction. With
    `all_or_nothing`, one bad row writes nothing; a dry run writes nothing either, and answers
    what the import would do."""
    staged = uow.ledgers.staged(command.tenant_id, command.import_id)
    if not staged:
        raise NotFound(f"no rows staged under import {command.import_id!r}")
    ledger = _checked(KINDS[command.kind], staged, uow, command.tenant_id)
    uow.ledgers.forget(command.import_id)
    refused = bool(ledger.errors) and command.mode is ImportMode.all_or_nothing
    if not (command.dry_run or refused):
        _write(ledger, command, uow)
    return ImportReport(rows=len(staged), imported=0 if refused else len(ledger.new),
                        updated=0 if refused else len(ledger.changed),
                        unchanged=ledger.unchanged, errors=ledger.errors)


def _write(ledger: _Ledger, command: CommitImport, uow: RegistryUnitOfWork) -> None:
    """Every record and event in one statement each where the kind allows: an archive of
    hundreds of people is imported at once."""
    kind, now = ledger.kind, utc_now()
    made = [kind.create(fields, command, now) for fields in ledger.new]
    kind.store_new(uow, [record for record, _ in made])
    events: list[Event] = [event for _, event in made]
    for existing, fields in ledger.changed:
        record, event = kind.change(existing, fields, command, now)
        kind.store_changed(uow, record)
        events.append(event)
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
