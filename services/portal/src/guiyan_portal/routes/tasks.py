"""Follow-up tasks: a staff member is to contact a person by a day, from a lead or otherwise.
Tasks name people by id only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from guiyan_contracts import api, people
from guiyan_contracts.models import Id
from guiyan_contracts.people import Task, TaskFields, TaskStatus

from ..access import IdempotencyKey, Services, StaffOrAdmin
from ..errors import answers
from ..paging import Limit, Offset
from ..periods import city_today

router = APIRouter(prefix="/api/v1", tags=["tasks"])


@router.get("/tasks", response_model=api.Page[Task], responses=answers(401, 403, 422, 502, 503))
async def list_tasks(caller: StaffOrAdmin, services: Services, assignee_id: Id | None = None,
                     person_id: Id | None = None, status: TaskStatus | None = None,
                     overdue: Annotated[bool, Query(description=(
                         "Only open tasks due before today, in the city's time"))] = False,
                     mine: Annotated[bool, Query(description=(
                         "Only the caller's own (as `assignee_id` the caller)"))] = False,
                     limit: Limit(1000) = 200, offset: Offset = 0) -> Any:
    """The city's tasks, soonest due first (staff, admins): one staff member's overdue ones
    with `assignee_id` and `overdue=true`, the caller's own with `mine=true`."""
    found = await services.ask(people.ListTasks(
        tenant_id=caller.tenant_id, assignee_id=caller.user_id if mine else assignee_id,
        person_id=person_id, status=status, overdue_on=city_today() if overdue else None,
        limit=limit, offset=offset), people.TaskList)
    return api.Page[Task](items=found.tasks, total=found.total, limit=limit, offset=offset)


@router.post("/tasks", response_model=Task, status_code=201,
             responses=answers(401, 403, 409, 413, 422, 502, 503))
async def create_task(body: api.NewTask, caller: StaffOrAdmin, services: Services,
                      key: IdempotencyKey) -> Any:
    """Assign a follow-up task to a staff member of the city (staff, admins), who is told in
    their inbox. With `lead`, the task is made from a park's chain-gap lead and keeps it."""
    return await services.ask(people.CreateTask(
        tenant_id=caller.tenant_id, task_id=body.id, created_by=caller.user_id,
        task=body.model_dump(exclude={"id"}), idempotency_key=key), Task)


@router.put("/tasks/{task_id}", response_model=Task,
            responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def update_task(task_id: Id, body: api.TaskUpdate, caller: StaffOrAdmin,
                      services: Services) -> Any:
    """The task's whole new state (staff, admins): reassigned, moved, or closed as done or
    cancelled."""
    return await services.ask(people.UpdateTask(
        tenant_id=caller.tenant_id, task_id=task_id, updated_by=caller.user_id,
        task=TaskFields.model_validate(body.model_dump(exclude={"status"})),
        status=body.status), Task)
