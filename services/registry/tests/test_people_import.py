"""An archive of people (人员档案) imported through the projects' importer: the same per-row
report, modes and re-import rules, on a real database."""

from __future__ import annotations

from sqlmodel import select

from guiyan_contracts.people import CreateTask, ListPeople, ListTasks, TaskFields, TaskStatus
from guiyan_contracts.registry import CommitImport, StagedRow, StageImport
from guiyan_eventing.outbox import OutboxMessage
from guiyan_registry.service_layer import ledgers, people, tasks

from .people_records import person_fields, seed_city
from .test_store import send

REGISTERED = "guiyan.registry.person.registered.v1"
COUNTIES = ["caoxian", "dingtao", "chengwu", "juye"]
# The few bad rows of the archive, each with its own mistake, by index in the archive.
MISTAKES = {17: {"hometown_county": "atlantis"}, 123: {"station_id": "nowhere"},
            260: {"link": "spaceships"}, 444: {"name": ""}}


def archive(count: int = 500, mistakes: dict[int, dict] = MISTAKES) -> list[StagedRow]:
    rows = []
    for index in range(count):
        fields = person_fields(name=f"在外人员{index}", phone=None, archive_ref=f"RZ-{index:04d}",
                               hometown_county=COUNTIES[index % 4],
                               contact_consent=index % 3 != 0).model_dump(mode="json")
        if not fields["contact_consent"]:
            fields.update(consent_on=None, consent_source=None)
        rows.append(StagedRow(row=index + 2, fields=fields | mistakes.get(index, {})))
    return rows


def staged_and_committed(uow, rows: list[StagedRow], import_id: str = "imp-1", **commit):
    """Staged in chunks of 250, as the portal sends an archive, and committed."""
    for start in range(0, len(rows), 250):
        send(uow, ledgers.stage_import, StageImport(tenant_id="heze", import_id=import_id,
                                                    rows=rows[start:start + 250]))
    return send(uow, ledgers.commit_import, CommitImport(
        tenant_id="heze", import_id=import_id, submitted_by="staff-1", **commit))


def people_count(uow) -> int:
    with uow() as unit:
        return people.list_people(ListPeople(tenant_id="heze", read_by="test", limit=1),
                                  unit).total


def kind(**commit) -> dict:
    return {"kind": "people", **commit}


def test_an_archive_of_500_with_bad_rows_reports_exactly_those_in_both_modes(uow) -> None:
    seed_city(uow)
    rows = archive()
    bad = sorted(index + 2 for index in MISTAKES)
    refused = staged_and_committed(uow, rows, **kind())
    assert [e.row for e in refused.errors] == bad
    assert [(e.errors[0].loc, e.errors[0].type) for e in refused.errors] == [
        (["person", "hometown_county"], "unknown_county"),
        (["person", "station_id"], "unknown_station"),
        (["person", "link"], "link_not_in_chain"),
        (["person", "name"], "string_too_short")]
    assert (refused.imported, people_count(uow)) == (0, 0)
    imported = staged_and_committed(uow, rows, import_id="imp-2", **kind(mode="valid_rows"))
    assert [e.row for e in imported.errors] == bad
    assert (imported.rows, imported.imported, people_count(uow)) == (500, 496, 496)
    with uow() as unit:
        subjects = unit.session.exec(select(OutboxMessage.subject)).all()
    assert subjects.count(REGISTERED) == 496


def test_an_archive_imported_again_is_unchanged_and_a_changed_row_an_update(uow) -> None:
    seed_city(uow)
    rows = archive(40, mistakes={})
    assert staged_and_committed(uow, rows, **kind()).imported == 40
    again = staged_and_committed(uow, rows, import_id="imp-2", **kind())
    assert (again.imported, again.updated, again.unchanged, again.errors) == (0, 0, 40, [])
    rows[5].fields["current_city"] = "宁波"
    changed = staged_and_committed(uow, rows, import_id="imp-3", **kind())
    assert (changed.imported, changed.updated, changed.unchanged) == (0, 1, 39)
    assert people_count(uow) == 40


def test_rows_without_an_archive_number_match_by_name_hometown_and_city(uow) -> None:
    seed_city(uow)
    row = person_fields(archive_ref=None).model_dump(mode="json")
    assert staged_and_committed(uow, [StagedRow(row=2, fields=row)], **kind()).imported == 1
    again = staged_and_committed(uow, [StagedRow(row=2, fields=row)], import_id="imp-2", **kind())
    assert again.unchanged == 1
    twice = [StagedRow(row=2, fields=row), StagedRow(row=3, fields=row)]
    report = staged_and_committed(uow, twice, import_id="imp-3", **kind(dry_run=True))
    assert [(e.row, e.errors[0].loc, e.errors[0].type) for e in report.errors] == [
        (3, ["person", "name"], "duplicate_row")]


def test_an_archive_that_says_consent_was_withdrawn_cancels_the_person_s_open_tasks(uow) -> None:
    seed_city(uow)
    rows = archive(3, mistakes={})  # index 1 and 2 consent
    staged_and_committed(uow, rows, **kind())
    with uow() as unit:
        (person,) = people.list_people(ListPeople(tenant_id="heze", read_by="test",
                                                  q="在外人员1"), unit).people
    send(uow, tasks.create_task, CreateTask(
        tenant_id="heze", task_id="t1", created_by="staff-1",
        task=TaskFields(person_id=person.id, assignee_id="staff-1", due_on="2025-07-01")))
    rows[1].fields.update(contact_consent=False, consent_on=None, consent_source=None)
    assert staged_and_committed(uow, rows, import_id="imp-2", **kind()).updated == 1
    with uow() as unit:
        (task,) = tasks.list_tasks(ListTasks(tenant_id="heze", person_id=person.id), unit).tasks
    assert task.status is TaskStatus.cancelled
