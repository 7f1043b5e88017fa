"""Follow-up tasks: a staff member's own, the city's overdue ones, and all of them; the task
form (prefilled from a park's lead), and closing a task as done or cancelled."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse

from guiyan_contracts import people as registry_people
from guiyan_contracts import registry
from guiyan_contracts.models import Id, Park
from guiyan_contracts.people import LeadRef, Task, TaskFields, TaskStatus
from guiyan_contracts.taxonomy import load_taxonomy

from ..access import Services, StaffOrAdmin, visible_person
from ..auth import Principal
from ..gateway import Gateway
from ..periods import city_today
from .actions import done, field_errors, form_key, local_path, new_key
from .forms import by_field, first, validated
from .lists import Text
from .rendering import render, translator
from .stations import city_staff

router = APIRouter(include_in_schema=False)
VIEWS = ("mine", "overdue", "all")
# A task from a lead is due in two weeks unless its assignee is given another day.
DUE_IN = timedelta(days=14)
LEAD_KEYS = ("park_id", "chain", "link")
# The person a task form is for: without one there is no form to show again.
FormId = Annotated[Id, Form()]


async def names_of(services: Gateway, caller: Principal, person_ids: list[str],
                   purpose: str) -> dict[str, str]:
    """People's names by id, read as one logged bulk read; erased people are left out."""
    if not person_ids:
        return {}
    found = await services.ask(registry_people.GetPeople(
        tenant_id=caller.tenant_id, person_ids=sorted(set(person_ids)), read_by=caller.user_id,
        purpose=purpose), registry_people.PersonList)
    return {person.id: person.name for person in found.people}


@router.get("/tasks", response_class=HTMLResponse)
async def task_list(request: Request, caller: StaffOrAdmin, services: Services,
                    view: str = Query("mine", pattern="^(mine|overdue|all)$"),
                    status: Text = None) -> HTMLResponse:
    query: dict[str, Any] = {"tenant_id": caller.tenant_id}
    if view == "mine":
        query |= {"assignee_id": caller.user_id, "status": TaskStatus.open}
    elif view == "overdue":
        query |= {"overdue_on": city_today()}
    elif status in TaskStatus.__members__:
        query |= {"status": TaskStatus(status)}
    found = await services.ask(registry_people.ListTasks(**query), registry_people.TaskList)
    words = translator(request, caller)
    _ = words["_"]
    staff = {user.id: user.name for user in await city_staff(services, caller)}
    return await render(
        request, "tasks/list.html", caller, tasks=found.tasks, total=found.total, view=view,
        views=[("mine", _("My tasks")), ("overdue", _("Overdue")), ("all", _("All tasks"))],
        people=await names_of(services, caller, [t.person_id for t in found.tasks], "tasks"),
        staff=staff, today=city_today(), filters={"status": status or ""},
        statuses=[(s.value, words["name"]("task_status", s.value)) for s in TaskStatus],
        idempotency_key=new_key())


def task_fields(form: Any) -> dict[str, Any]:
    sent: dict[str, Any] = {key: first(form, key).strip()
                            for key in ("person_id", "assignee_id", "due_on", "notes")}
    if all(first(form, key) for key in LEAD_KEYS):
        sent["lead"] = {key: first(form, key) for key in LEAD_KEYS}
    return {key: value for key, value in sent.items() if value != ""}


def field_of(names: list[str]) -> str:
    return names[0] if names and names[0] != "lead" else "person_id"


async def show_task_form(request: Request, caller: Principal, services: Gateway,
                         values: dict[str, Any], errors: dict[str, str], status: int = 200
                         ) -> HTMLResponse:
    person = await visible_person(values["person_id"], caller, services)
    staff = await city_staff(services, caller)
    lead = None
    if all(values.get(key) for key in LEAD_KEYS):
        lead = await lead_words(request, caller, services,
                                LeadRef.model_validate({k: values[k] for k in LEAD_KEYS}))
    return await render(request, "tasks/form.html", caller, status=status, person=person,
                        values=values, errors=errors, idempotency_key=new_key(),
                        options={"staff": [(user.id, user.name) for user in staff]}, lead=lead)


async def lead_words(request: Request, caller: Principal, services: Gateway, lead: LeadRef
                     ) -> dict[str, str]:
    """The park and the link a task's lead names, by their names."""
    park = await services.ask(registry.GetPark(tenant_id=caller.tenant_id,
                                               park_id=lead.park_id), Park)
    sector = next((s.code for s in load_taxonomy(caller.tenant_id).sectors
                   for c in s.chains if c.code == lead.chain), None)
    name = translator(request, caller)["name"]
    return {"park": park.name, "link": name("link", lead.link, sector=sector, chain=lead.chain)}


@router.get("/tasks/new", response_class=HTMLResponse)
async def new_task(request: Request, caller: StaffOrAdmin, services: Services,
                   person_id: Id, park_id: Id | None = None, chain: Text = None,
                   link: Text = None) -> HTMLResponse:
    """The task form for one person; from a park's leads it carries the lead it came of."""
    values = {"person_id": person_id, "assignee_id": caller.user_id,
              "due_on": (city_today() + DUE_IN).isoformat(), "notes": "",
              "park_id": park_id or "", "chain": chain or "", "link": link or ""}
    return await show_task_form(request, caller, services, values, {})


@router.post("/tasks/new", response_class=HTMLResponse)
async def create_task(request: Request, caller: StaffOrAdmin, services: Services,
                      person_id: FormId) -> Response:
    """The form names its person, whose page it goes back to."""
    form = await request.form()
    fields, errors = validated(TaskFields, task_fields(form))
    if fields is not None:
        try:
            await services.ask(registry_people.CreateTask(
                tenant_id=caller.tenant_id, created_by=caller.user_id, task=fields,
                idempotency_key=form_key(caller, form)), Task)
            return done(f"/people/{fields.person_id}", "assigned")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                raise
    values = {key: first(form, key) for key in ("person_id", "assignee_id", "due_on", "notes",
                                                *LEAD_KEYS)}
    return await show_task_form(request, caller, services, values,
                                by_field(request, errors, field_of), status=422)


async def find_task(services: Gateway, caller: Principal, person_id: Id, task_id: Id) -> Task:
    """A task by its id, among its person's: the form that closes it names both."""
    found = await services.ask(registry_people.ListTasks(
        tenant_id=caller.tenant_id, person_id=person_id, limit=1000), registry_people.TaskList)
    task = next((task for task in found.tasks if task.id == task_id), None)
    if task is None:
        raise HTTPException(404, "no such task")
    return task


async def closed(request: Request, caller: Principal, services: Gateway, task_id: Id,
                 person_id: Id, outcome: TaskStatus) -> Response:
    form = await request.form()
    task = await find_task(services, caller, person_id, task_id)
    await services.ask(registry_people.UpdateTask(
        tenant_id=caller.tenant_id, task_id=task_id, updated_by=caller.user_id,
        task=TaskFields.model_validate(task.model_dump(include=set(TaskFields.model_fields))),
        status=outcome, idempotency_key=form_key(caller, form)), Task)
    return done(local_path(first(form, "back") or "/tasks"), outcome.value)


@router.post("/tasks/{task_id}/done", response_class=HTMLResponse)
async def task_done(request: Request, task_id: Id, caller: StaffOrAdmin, services: Services,
                    person_id: FormId) -> Response:
    return await closed(request, caller, services, task_id, person_id, TaskStatus.done)


@router.post("/tasks/{task_id}/cancel", response_class=HTMLResponse)
async def task_cancelled(request: Request, task_id: Id, caller: StaffOrAdmin,
                         services: Services, person_id: FormId) -> Response:
    return await closed(request, caller, services, task_id, person_id, TaskStatus.cancelled)
