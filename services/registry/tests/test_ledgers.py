"""A ledger staged in chunks and committed in one transaction, on a real database."""

from __future__ import annotations

import pytest
from sqlmodel import select

from guiyan_contracts.refusals import Conflict, NotFound
from guiyan_contracts.registry import (
    CommitImport,
    ListExports,
    ListProjects,
    RecordExport,
    StagedRow,
    StageImport,
)
from guiyan_eventing.outbox import OutboxMessage
from guiyan_registry.service_layer import handlers, ledgers

from .test_store import PROJECT, outbox_subjects, seed, send

SUBMITTED, UPDATED = "guiyan.registry.project.submitted.v1", "guiyan.registry.project.updated.v1"


def ledger_rows(count: int, bad: set[int] = frozenset()) -> list[StagedRow]:
    """`count` projects numbered L1…; the rows in `bad` name a county Heze does not have."""
    rows = []
    for number in range(1, count + 1):
        fields = {**PROJECT.model_dump(mode="json"), "name": f"项目{number}",
                  "ledger_ref": f"L{number}"}
        if number in bad:
            fields["hometown_county"] = "atlantis"
        rows.append(StagedRow(row=number + 1, fields=fields))  # row 1 holds the headers
    return rows


def staged_and_committed(uow, rows: list[StagedRow], import_id: str = "imp-1",
                         **commit) -> object:
    for start in range(0, len(rows), 3):  # chunks, as the portal sends a big ledger
        send(uow, ledgers.stage_import, StageImport(tenant_id="heze", import_id=import_id,
                                                    rows=rows[start:start + 3]))
    return send(uow, ledgers.commit_import, CommitImport(
        tenant_id="heze", import_id=import_id, submitted_by="staff", **commit))


def project_count(uow) -> int:
    with uow() as unit:
        return handlers.list_projects(ListProjects(tenant_id="heze"), unit).total


def test_one_bad_row_imports_nothing_all_or_nothing_and_only_itself_with_valid_rows(uow) -> None:
    seed(uow)
    rows = ledger_rows(8, bad={3, 6})
    report = staged_and_committed(uow, rows)
    assert [e.row for e in report.errors] == [4, 7]
    assert report.errors[0].errors[0].type == "unknown_county"
    assert report.errors[0].errors[0].loc == ["project", "hometown_county"]
    assert (report.rows, report.imported) == (8, 0) and project_count(uow) == 0
    assert SUBMITTED not in outbox_subjects(uow)
    report = staged_and_committed(uow, rows, import_id="imp-2", mode="valid_rows")
    assert [e.row for e in report.errors] == [4, 7]
    assert report.imported == 6 and project_count(uow) == 6
    assert outbox_subjects(uow).count(SUBMITTED) == 6


def test_a_dry_run_reports_and_writes_nothing(uow) -> None:
    seed(uow)
    report = staged_and_committed(uow, ledger_rows(5, bad={2}), mode="valid_rows", dry_run=True)
    assert (report.imported, [e.row for e in report.errors]) == (4, [3])
    assert project_count(uow) == 0
    with pytest.raises(NotFound):  # the staged rows went with the answer
        send(uow, ledgers.commit_import, CommitImport(tenant_id="heze", import_id="imp-1",
                                                      submitted_by="staff"))


def test_the_same_ledger_again_changes_nothing_and_a_changed_row_is_an_update(uow) -> None:
    seed(uow)
    rows = ledger_rows(4)
    assert staged_and_committed(uow, rows).imported == 4
    again = staged_and_committed(uow, rows, import_id="imp-2")
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 4)
    assert outbox_subjects(uow).count(SUBMITTED) == 4
    rows[1].fields["jobs"] = 99
    changed = staged_and_committed(uow, rows, import_id="imp-3")
    assert (changed.imported, changed.updated, changed.unchanged) == (0, 1, 3)
    assert outbox_subjects(uow)[-1] == UPDATED  # matching withdraws its offer and plans again
    with uow() as unit:
        jobs = {p.ledger_ref: p.jobs for p in unit.registry.city_projects("heze")}
    assert jobs["L2"] == 99 and project_count(uow) == 4


def test_rows_without_a_number_match_by_name_founder_and_source(uow) -> None:
    seed(uow)
    rows = [StagedRow(row=2, fields=PROJECT.model_dump(mode="json"))]
    assert staged_and_committed(uow, rows).imported == 1
    assert staged_and_committed(uow, rows, import_id="imp-2").unchanged == 1
    twice = [*rows, StagedRow(row=3, fields=PROJECT.model_dump(mode="json"))]
    report = staged_and_committed(uow, twice, import_id="imp-3")
    assert [(e.row, e.errors[0].type) for e in report.errors] == [(3, "duplicate_row")]


def test_a_contract_mistake_keeps_its_type_and_field(uow) -> None:
    seed(uow)
    fields = {**PROJECT.model_dump(mode="json"), "jobs": "很多", "floor_m2": 0}
    report = staged_and_committed(uow, [StagedRow(row=2, fields=fields)])
    assert {(tuple(e.loc), e.type) for e in report.errors[0].errors} == {
        (("project", "jobs"), "int_type")}


def test_an_import_belongs_to_its_city(uow) -> None:
    seed(uow)
    send(uow, ledgers.stage_import, StageImport(tenant_id="heze", import_id="imp-1",
                                                rows=ledger_rows(1)))
    with pytest.raises(Conflict):
        send(uow, ledgers.stage_import, StageImport(tenant_id="other", import_id="imp-1",
                                                    rows=ledger_rows(1)))
    with pytest.raises(NotFound):
        send(uow, ledgers.commit_import, CommitImport(tenant_id="other", import_id="imp-1",
                                                      submitted_by="staff"))


def test_exports_are_recorded_for_the_city_newest_first(uow) -> None:
    for what, rows in (("projects", 12), ("parks", 3)):
        send(uow, ledgers.record_export, RecordExport(
            tenant_id="heze", exported_by="staff", what=what, rows=rows,
            filters={"county": "caoxian"}))
    with uow() as unit:
        page = ledgers.list_exports(ListExports(tenant_id="heze"), unit)
        assert ledgers.list_exports(ListExports(tenant_id="other"), unit).total == 0
        assert unit.session.exec(select(OutboxMessage)).all() == []
    assert page.total == 2 and {e.what for e in page.exports} == {"projects", "parks"}
    assert page.exports[0].filters == {"county": "caoxian"}
