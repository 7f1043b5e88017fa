"""Recording a contact with a person: how, when, with whom, what was said, and the follow-up
task it does."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse

from guiyan_contracts import people as registry_people
from guiyan_contracts.models import Id
from guiyan_contracts.people import Contact, ContactFields, ContactMethod, Person, TaskStatus

from ..access import PeopleReader, Services, visible_person
from ..auth import Principal
from ..gateway import Gateway
from ..periods import city_today
from .actions import done, field_errors, form_key, new_key
from .forms import by_field, first, validated
from .rendering import render, translator

router = APIRouter(include_in_schema=False)
KEYS = ("method", "on", "with_whom", "notes", "task_id")


def contact_fields(form: Any) -> dict[str, Any]:
    sent = {key: first(form, key).strip() for key in KEYS}
    return {key: value for key, value in sent.items() if value != ""}


def field_of(names: list[str]) -> str:
    return names[0] if names else "method"


async def show_contact_form(request: Request, caller: Principal, services: Gateway,
                            person: Person, values: dict[str, Any], errors: dict[str, str],
                            status: int = 200) -> HTMLResponse:
    words = translator(request, caller)
    _, day = words["_"], words["date"]
    tasks = await services.ask(registry_people.ListTasks(
        tenant_id=caller.tenant_id, person_id=person.id, status=TaskStatus.open),
        registry_people.TaskList)
    options = {
        "methods": [(m.value, words["name"]("contact_method", m.value)) for m in ContactMethod],
        "tasks": [(task.id, _("Due %(day)s: %(notes)s", day=day(task.due_on),
                              notes=task.notes or "—")) for task in tasks.tasks]}
    return await render(request, "people/contact_form.html", caller, status=status,
                        person=person, values=values, errors=errors, options=options,
                        idempotency_key=new_key())


@router.get("/people/{person_id}/contacts/new", response_class=HTMLResponse)
async def new_contact(request: Request, person_id: Id, caller: PeopleReader,
                      services: Services) -> HTMLResponse:
    person = await visible_person(person_id, caller, services)
    values = {"method": ContactMethod.call.value, "on": city_today().isoformat(),
              "task_id": request.query_params.get("task_id", "")}
    return await show_contact_form(request, caller, services, person, values, {})


@router.post("/people/{person_id}/contacts/new", response_class=HTMLResponse)
async def record_contact(request: Request, person_id: Id, caller: PeopleReader,
                         services: Services) -> Response:
    person = await visible_person(person_id, caller, services)
    form = await request.form()
    fields, errors = validated(ContactFields, contact_fields(form))
    if fields is not None:
        try:
            await services.ask(registry_people.RecordContact(
                tenant_id=caller.tenant_id, person_id=person_id, recorded_by=caller.user_id,
                contact=fields, idempotency_key=form_key(caller, form)), Contact)
            return done(f"/people/{person_id}", "recorded")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                raise
    return await show_contact_form(request, caller, services, person,
                                   {key: first(form, key) for key in KEYS},
                                   by_field(request, errors, field_of), status=422)
