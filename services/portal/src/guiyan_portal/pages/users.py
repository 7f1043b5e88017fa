"""Admins' pages for the city's users: who they are, their role and parks, new users, a
disabled account and a reset password."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.datastructures import FormData
from fastapi.responses import HTMLResponse

from guiyan_contracts import api, registry
from guiyan_contracts.envelope import FieldError
from guiyan_contracts.models import Id, Role, User, UserFields

from ..access import Admin, Services
from ..auth import Principal
from ..gateway import Gateway
from .actions import done, field_errors, form_key, new_key
from .forms import by_field, every, first, validated
from .rendering import Flash, render, translator

router = APIRouter(include_in_schema=False)
PAGE = 50


async def parks_and_managers(services: Gateway, caller: Principal) -> tuple[dict[str, str],
                                                                      dict[str, list[str]]]:
    found = await services.ask(registry.ListParks(tenant_id=caller.tenant_id, limit=1000),
                               registry.ParkList)
    managed: dict[str, list[str]] = {}
    for park in found.parks:
        for manager in park.manager_ids:
            managed.setdefault(manager, []).append(park.id)
    return {p.id: p.name for p in found.parks}, managed


@router.get("/admin/users", response_class=HTMLResponse)
async def user_list(request: Request, caller: Admin, services: Services,
                    offset: int = Query(0, ge=0, le=1_000_000)) -> HTMLResponse:
    found = await services.ask(registry.ListUsers(tenant_id=caller.tenant_id, limit=PAGE,
                                                  offset=offset), registry.UserList)
    park_names, managed = await parks_and_managers(services, caller)
    return await render(request, "admin/users.html", caller,
                        page=api.Page(items=found.users, total=found.total, limit=PAGE,
                                      offset=offset),
                        park_names=park_names, managed=managed,
                        href=lambda at: f"/admin/users?offset={at}")


def user_fields(form: FormData) -> dict[str, Any]:
    return {"name": first(form, "name").strip(), "role": first(form, "role"),
            "email": first(form, "email").strip() or None, "locale": first(form, "locale") or "zh"}


def form_values(form: FormData) -> dict[str, Any]:
    return {key: first(form, key) for key in ("name", "username", "role", "email", "locale",
                                              "disabled")} | {
        "managed_park_ids": every(form, "managed_park_ids")}


async def show_user_form(request: Request, caller: Principal, services: Gateway, *, creating: bool,
                         action: str, values: dict, errors: dict, user_id: str = "",
                         status: int = 200, flashes: list[Flash] | None = None) -> HTMLResponse:
    words = translator(request, caller)
    _ = words["_"]
    park_names, _managed = await parks_and_managers(services, caller)
    options = {"roles": [(role.value, words["name"]("role", role.value)) for role in Role],
               "locales": [("zh", _("Chinese")), ("en", _("English"))],
               "parks": list(park_names.items())}
    heading = _("New user") if creating else _("Edit %(name)s",
                                                                 name=values.get("name", ""))
    return await render(request, "admin/user_form.html", caller, status=status, flashes=flashes,
                        heading=heading, creating=creating, action=action, values=values,
                        errors=errors, options=options, user_id=user_id,
                        idempotency_key=new_key())


def user_field(names: list[str]) -> str:
    """A registration's user fields are the form's own."""
    return next((name for name in names if name != "user"), "name")


@router.get("/admin/users/new", response_class=HTMLResponse)
async def new_user(request: Request, caller: Admin, services: Services) -> HTMLResponse:
    return await show_user_form(request, caller, services, creating=True,
                                action="/admin/users/new", values={"role": "staff",
                                                                   "locale": "zh"}, errors={})


@router.post("/admin/users/new", response_class=HTMLResponse)
async def create_user(request: Request, caller: Admin, services: Services) -> Response:
    form = await request.form()
    _ = translator(request, caller)["_"]
    parks = every(form, "managed_park_ids")
    sign_in = {key: value for key in ("username", "password")
               if (value := first(form, key).strip() if key == "username" else first(form, key))}
    registration, errors = validated(registry.RegisterUser, {
        "tenant_id": caller.tenant_id, "user": user_fields(form), **sign_in,
        "idempotency_key": form_key(caller, form)})
    # A person made here signs in: both are needed, though the API takes users without them.
    errors += [FieldError(loc=[key], msg="Field required", type="missing")
               for key in ("username", "password") if key not in sign_in]
    if errors:
        registration = None
    if registration is not None and parks and registration.user.role is not Role.park_manager:
        return await show_user_form(
            request, caller, services, creating=True, action="/admin/users/new",
            values=form_values(form), status=422,
            errors={"managed_park_ids": _("Only a park manager runs parks.")})
    if registration is not None:
        try:
            user = await services.ask(registration, User)
            if parks:
                await services.ask(registry.UpdateUser(
                    tenant_id=caller.tenant_id, user_id=user.id, updated_by=caller.user_id,
                    user=registration.user, managed_park_ids=parks), registry.UserView)
            return done(f"/admin/users/{user.id}", "saved")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                if refusal.status_code != 409:
                    raise
                return await show_user_form(
                    request, caller, services, creating=True, action="/admin/users/new",
                    values=form_values(form), errors={"username": _("This username is taken.")},
                    status=409)
    return await show_user_form(request, caller, services, creating=True,
                                action="/admin/users/new", values=form_values(form),
                                errors=by_field(request, errors, user_field), status=422)


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
async def edit_user(request: Request, user_id: Id, caller: Admin,
                    services: Services) -> HTMLResponse:
    view = await services.ask(registry.GetUser(tenant_id=caller.tenant_id, user_id=user_id),
                              registry.UserView)
    values = view.user.model_dump(mode="json") | {"managed_park_ids": view.managed_park_ids}
    return await show_user_form(request, caller, services, creating=False,
                                action=f"/admin/users/{user_id}", values=values, errors={},
                                user_id=user_id)


@router.post("/admin/users/{user_id}", response_class=HTMLResponse)
async def update_user(request: Request, user_id: Id, caller: Admin,
                      services: Services) -> Response:
    # Another city's user, or none, is not found (404) before the form is read.
    await services.ask(registry.GetUser(tenant_id=caller.tenant_id, user_id=user_id),
                       registry.UserView)
    form = await request.form()
    fields, errors = validated(UserFields, user_fields(form))
    flashes: list[Flash] = []
    if fields is not None:
        try:
            await services.ask(registry.UpdateUser(
                tenant_id=caller.tenant_id, user_id=user_id, updated_by=caller.user_id,
                user=fields, disabled=first(form, "disabled") == "on",
                managed_park_ids=every(form, "managed_park_ids"),
                idempotency_key=form_key(caller, form)), registry.UserView)
            return done(f"/admin/users/{user_id}", "saved")
        except HTTPException as refusal:
            if (errors := field_errors(refusal)) is None:
                if refusal.status_code != 409:
                    raise
                errors = []
                flashes = [Flash("error", translator(request, caller)["_"](
                    "You cannot disable yourself or change your own role."))]
    return await show_user_form(request, caller, services, creating=False,
                                action=f"/admin/users/{user_id}", values=form_values(form),
                                errors=by_field(request, errors, user_field), user_id=user_id,
                                status=409 if flashes else 422, flashes=flashes)


@router.post("/admin/users/{user_id}/password", response_class=HTMLResponse)
async def reset_password(request: Request, user_id: Id, caller: Admin,
                         services: Services) -> Response:
    # Another city's user, or none, is not found (404) before the form is read.
    view = await services.ask(registry.GetUser(tenant_id=caller.tenant_id, user_id=user_id),
                              registry.UserView)
    form = await request.form()
    reset, _errors = validated(registry.ResetPassword, {
        "tenant_id": caller.tenant_id, "user_id": user_id, "reset_by": caller.user_id,
        "new_password": first(form, "new_password")})
    status = 422  # a password left blank, refused here before registry is asked
    if reset is not None:
        try:
            await services.ask(reset, registry.UserView)
            return done(f"/admin/users/{user_id}", "saved")
        except HTTPException as refusal:
            if refusal.status_code not in (409, 422):
                raise
            status = refusal.status_code
    _ = translator(request, caller)["_"]
    message = (_("Choose at least 10 characters, other than the username.")
               if status == 422 else _("This user has no username to sign in with."))
    return await show_user_form(request, caller, services, creating=False,
                                action=f"/admin/users/{user_id}",
                                values=view.user.model_dump(mode="json")
                                | {"managed_park_ids": view.managed_park_ids},
                                errors={"new_password": message}, user_id=user_id,
                                status=status)
