"""Follow-up tasks: a staff member is to contact a person by a day, perhaps about a chain-gap
lead. Whoever a task is assigned to hears of it through `TaskAssigned`."""

from __future__ import annotations

from uuid import uuid4

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.people import (
    CreateTask,
    ListTasks,
    Task,
    TaskAssigned,
    TaskFields,
    TaskList,
    TaskStatus,
    UpdateTask,
)
from guiyan_contracts.refusals import Invalid, NotFound

from ..adapters.unit_of_work import RegistryUnitOfWork
from ..domain.rules import consent_errors, task_errors
from .handlers import PRODUCER, replayed


def create_task(command: CreateTask, uow: RegistryUnitOfWork) -> Task:
    """Sent again with the same id and fields, it answers as the first time did."""
    task_id = command.task_id or str(uuid4())
    first = replayed("task", task_id, uow.follow_ups.task(command.tenant_id, task_id),
                     uow.follow_ups.task_taken(task_id), command.task)
    if first is not None:
        return first  # type: ignore[return-value]
    _check(command.tenant_id, command.task, uow, opening=True)
    task = Task(id=task_id, tenant_id=command.tenant_id, created_by=command.created_by,
                created_at=utc_now(), **command.task.model_dump())
    uow.follow_ups.add_task(task)
    _assigned(task, command.created_by, command.correlation_id, uow)
    return task


def update_task(command: UpdateTask, uow: RegistryUnitOfWork) -> Task:
    """Closing a task (done or cancelled) records when; opening it again forgets that. A task
    given to someone else is assigned to them anew."""
    current = uow.follow_ups.task(command.tenant_id, command.task_id)
    if current is None:
        raise NotFound(f"no task {command.task_id!r}")
    closed = command.status is not TaskStatus.open
    _check(command.tenant_id, command.task, uow, opening=not closed)
    task = current.model_copy(update={
        **command.task.model_dump(), "status": command.status,
        "done_at": (current.done_at or utc_now()) if closed else None})
    uow.follow_ups.replace_task(task)
    if task.assignee_id != current.assignee_id:
        _assigned(task, command.updated_by, command.correlation_id, uow)
    return task


def list_tasks(query: ListTasks, uow: RegistryUnitOfWork) -> TaskList:
    tasks, total = uow.follow_ups.tasks(query)
    return TaskList(tasks=tasks, total=total)


def cancel_open(tenant_id: str, person_id: str, uow: RegistryUnitOfWork) -> None:
    """Nobody is to contact a person who withdrew their consent to be contacted."""
    open_tasks, _ = uow.follow_ups.tasks(ListTasks(tenant_id=tenant_id, person_id=person_id,
                                                   status=TaskStatus.open, limit=1000))
    now = utc_now()
    for task in open_tasks:
        uow.follow_ups.replace_task(task.model_copy(update={"status": TaskStatus.cancelled,
                                                            "done_at": now}))


def _check(tenant_id: str, task: TaskFields, uow: RegistryUnitOfWork, opening: bool) -> None:
    """A task left open, or opened again, is a request to contact the person: it needs their
    consent. Closing one never does."""
    person = uow.people.get(tenant_id, task.person_id)
    named = [task.lead.park_id] if task.lead is not None else []
    errors = task_errors(task, person is not None, uow.registry.users(tenant_id),
                         uow.registry.park_ids(tenant_id, among=named))
    if opening and person is not None:
        errors += consent_errors(person.contact_consent, ["task", "person_id"])
    if errors:
        raise Invalid("the task is invalid", errors)


def _assigned(task: Task, assigned_by: str, correlation_id: str | None,
              uow: RegistryUnitOfWork) -> None:
    uow.emit(TaskAssigned(producer=PRODUCER, tenant_id=task.tenant_id,
                          correlation_id=correlation_id, task_id=task.id,
                          person_id=task.person_id, assignee_id=task.assignee_id,
                          due_on=task.due_on, assigned_by=assigned_by))
