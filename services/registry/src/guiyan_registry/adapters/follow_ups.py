"""Contacts with people and the follow-up tasks of staff, as contract models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, select

from guiyan_contracts.people import Contact, ContactFields, ListTasks, Task, TaskFields, TaskStatus

from .orm import ContactRow, TaskRow


def _contact(row: ContactRow) -> Contact:
    return Contact(id=row.id, tenant_id=row.tenant_id, person_id=row.person_id,
                   recorded_by=row.recorded_by, recorded_at=row.recorded_at,
                   **ContactFields.model_validate_json(row.fields_json).model_dump())


def _task(row: TaskRow) -> Task:
    return Task(id=row.id, tenant_id=row.tenant_id, status=TaskStatus(row.status),
                created_by=row.created_by, created_at=row.created_at, done_at=row.done_at,
                contact_id=row.contact_id,
                **TaskFields.model_validate_json(row.fields_json).model_dump())


def _task_columns(task: Task) -> dict[str, Any]:
    fields = TaskFields.model_validate(task.model_dump(include=set(TaskFields.model_fields)))
    return {"person_id": task.person_id, "assignee_id": task.assignee_id,
            "status": task.status.value, "due_on": task.due_on, "done_at": task.done_at,
            "contact_id": task.contact_id, "fields_json": fields.model_dump_json()}


class FollowUpRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_contact(self, contact: Contact) -> None:
        fields = ContactFields.model_validate(
            contact.model_dump(include=set(ContactFields.model_fields)))
        self.session.add(ContactRow(id=contact.id, tenant_id=contact.tenant_id,
                                    person_id=contact.person_id, contacted_on=contact.on,
                                    recorded_by=contact.recorded_by,
                                    recorded_at=contact.recorded_at,
                                    fields_json=fields.model_dump_json()))

    def contact(self, tenant_id: str, contact_id: str) -> Contact | None:
        row = self.session.get(ContactRow, contact_id)
        return _contact(row) if row and row.tenant_id == tenant_id else None

    def contact_taken(self, contact_id: str) -> bool:
        return self.session.get(ContactRow, contact_id) is not None

    def contacts(self, tenant_id: str, person_id: str, limit: int,
                 offset: int) -> tuple[list[Contact], int]:
        where = (ContactRow.tenant_id == tenant_id, ContactRow.person_id == person_id)
        total = self.session.exec(select(func.count()).select_from(ContactRow).where(*where)).one()
        rows = self.session.exec(
            select(ContactRow).where(*where)
            .order_by(ContactRow.contacted_on.desc(),  # type: ignore[attr-defined]
                      ContactRow.recorded_at.desc(), ContactRow.id)  # type: ignore[attr-defined]
            .limit(limit).offset(offset))
        return [_contact(row) for row in rows], total

    def add_task(self, task: Task) -> None:
        self.session.add(TaskRow(id=task.id, tenant_id=task.tenant_id,
                                 created_by=task.created_by, created_at=task.created_at,
                                 **_task_columns(task)))

    def replace_task(self, task: Task) -> None:
        row = self.session.get(TaskRow, task.id)
        assert row is not None and row.tenant_id == task.tenant_id
        for column, value in _task_columns(task).items():
            setattr(row, column, value)

    def task(self, tenant_id: str, task_id: str) -> Task | None:
        row = self.session.get(TaskRow, task_id)
        return _task(row) if row and row.tenant_id == tenant_id else None

    def task_taken(self, task_id: str) -> bool:
        return self.session.get(TaskRow, task_id) is not None

    def tasks(self, query: ListTasks) -> tuple[list[Task], int]:
        where: list[Any] = [TaskRow.tenant_id == query.tenant_id]
        exactly = {TaskRow.assignee_id: query.assignee_id, TaskRow.person_id: query.person_id,
                   TaskRow.status: query.status.value if query.status else None}
        where += [column == value for column, value in exactly.items() if value is not None]
        if query.overdue_on:
            where += [TaskRow.status == TaskStatus.open.value,
                      TaskRow.due_on < query.overdue_on]  # type: ignore[operator]
        total = self.session.exec(select(func.count()).select_from(TaskRow).where(*where)).one()
        rows = self.session.exec(select(TaskRow).where(*where)
                                 .order_by(TaskRow.due_on, TaskRow.created_at,  # type: ignore[arg-type]
                                           TaskRow.id)
                                 .limit(query.limit).offset(query.offset))
        return [_task(row) for row in rows], total

    def forget_person(self, person_id: str) -> None:
        """The person's contacts and tasks go with them."""
        for table in (ContactRow, TaskRow):
            self.session.exec(delete(table).where(  # type: ignore[call-overload]
                table.person_id == person_id))
