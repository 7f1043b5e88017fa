"""A ledger of projects or people imported: read here, staged in registry a chunk at a time (one NATS message holds
about 1 MB, a 5,000-row ledger several), and committed there in one transaction, which checks
every row with registry's own rules. Each mistake comes back with its type and is said here in
both languages."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

from fastapi import HTTPException

from guiyan_contracts import api, registry
from guiyan_contracts.envelope import FieldError
from guiyan_contracts.models import Park
from guiyan_contracts.registry import ImportMode, ImportReport, LedgerKind, RowErrors, StagedRow
from guiyan_contracts.taxonomy import load_taxonomy

from ..gateway import Gateway
from ..presentation.fields import field_error
from ..stations import city_stations
from .columns import PROJECTS, Layout, Vocabulary
from .reader import UnreadableLedger, read_ledger

# Rows per staging message: a row is under 1 kB as JSON, so a chunk stays well below 1 MB.
CHUNK_ROWS = 500
# Where registry's errors put a row's fields: ["project", "source"], ["person", "station_id"].
RECORD_OF = {LedgerKind.projects: "project", LedgerKind.people: "person"}


async def city_parks(services: Gateway, tenant_id: str) -> list[Park]:
    parks: list[Park] = []
    while True:
        page = await services.ask(registry.ListParks(tenant_id=tenant_id, limit=1000,
                                                     offset=len(parks)), registry.ParkList)
        parks += page.parks
        if not page.parks or len(parks) >= page.total:
            return parks


async def vocabulary(services: Gateway, tenant_id: str) -> Vocabulary:
    """The city's names: its taxonomy's, its parks' and its stations' (a ledger names a station
    by its name, read here into its id before the rows are staged)."""
    parks, stations = await asyncio.gather(city_parks(services, tenant_id),
                                           city_stations(services, tenant_id))
    return Vocabulary(load_taxonomy(tenant_id), parks, stations)


async def import_ledger(services: Gateway, tenant_id: str, user_id: str, filename: str,
                        content: bytes, *, dry_run: bool, mode: ImportMode,
                        timeout: float, layout: Layout = PROJECTS) -> api.LedgerImport:
    """Rows naming a station the city does not have are refused here, the rest checked by
    registry; together they answer as one import: with `all_or_nothing` a row refused here
    writes nothing (registry checks the others on a dry run, so that every bad row is
    reported)."""
    try:
        ledger = read_ledger(filename, content, layout)
    except UnreadableLedger as error:
        raise HTTPException(422, [{"loc": ["body", "file"], "msg": str(error),
                                   "type": "unreadable_ledger"}]) from None
    words = await vocabulary(services, tenant_id)
    rows = [StagedRow(row=row.number, fields=words.fields(row.cells, layout))
            for row in ledger.rows]
    refused = [RowErrors(row=row.row, errors=found) for row in rows
               if (found := unknown_stations(row.fields, layout, words))]
    staged = [row for row in rows if row.row not in {each.row for each in refused}]
    writes = not refused or mode is ImportMode.valid_rows
    report = (await committed(services, tenant_id, user_id, staged, dry_run=dry_run or not writes,
                              mode=mode, timeout=timeout, layout=layout)
              if staged else ImportReport(rows=0, imported=0, updated=0, unchanged=0, errors=[]))
    errors = sorted([*report.errors, *refused], key=lambda found: found.row)
    return api.LedgerImport(
        rows=len(rows), imported=report.imported if writes else 0,
        updated=report.updated if writes else 0, unchanged=report.unchanged,
        errors=[said(found.row, error, layout) for found in errors for error in found.errors])


def unknown_stations(fields: dict[str, Any], layout: Layout, words: Vocabulary
                     ) -> list[FieldError]:
    """A station cell that names no station of the city, by name or id, as registry would say
    of an unknown station id: a ledger names stations by name, which registry never sees."""
    return [FieldError(loc=[RECORD_OF[layout.kind], column.field], type="unknown_station",
                       msg="not a service station of this city")
            for column in layout.columns
            if column.kind == "station" and column.field in fields
            and fields[column.field] not in words.station_names]


async def committed(services: Gateway, tenant_id: str, user_id: str, rows: list[StagedRow], *,
                    dry_run: bool, mode: ImportMode, timeout: float,
                    layout: Layout) -> ImportReport:
    """The rows staged in registry a chunk at a time, then checked, and written unless
    `dry_run`, in one transaction."""
    import_id = str(uuid4())
    for start in range(0, len(rows), CHUNK_ROWS):
        await services.ask(registry.StageImport(tenant_id=tenant_id, import_id=import_id,
                                                rows=rows[start:start + CHUNK_ROWS]),
                           registry.ImportStaged, timeout=timeout)
    return await services.ask(registry.CommitImport(
        tenant_id=tenant_id, import_id=import_id, submitted_by=user_id, kind=layout.kind,
        mode=mode, dry_run=dry_run, idempotency_key=f"{user_id}:{import_id}"),
        ImportReport, timeout=timeout)


def said(row: int, error: FieldError, layout: Layout = PROJECTS) -> api.LedgerError:
    field = next((part for part in error.loc if isinstance(part, str)
                  and part in layout.by_field), None)
    return api.LedgerError(row=row, column=layout.by_field[field].header if field else None,
                           message_zh=field_error(error, "zh"),
                           message_en=field_error(error, "en"))
