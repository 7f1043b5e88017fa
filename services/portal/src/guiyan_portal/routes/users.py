from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guiyan_contracts import api, registry
from guiyan_contracts.models import Id, User

from ..access import Admin, Caller, IdempotencyKey, Services
from ..errors import answers
from ..paging import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["users"])


@router.get("/me", response_model=registry.UserView, responses=answers(401, 404, 502, 503))
async def me(caller: Caller, services: Services) -> Any:
    """The caller, and the parks they manage."""
    return await services.ask(registry.GetUser(tenant_id=caller.tenant_id,
                                               user_id=caller.user_id), registry.UserView)


@router.post("/users", response_model=User, status_code=201,
             responses=answers(401, 403, 409, 413, 422, 502, 503))
async def create_user(body: api.NewUser, caller: Admin, services: Services,
                      key: IdempotencyKey) -> Any:
    """Register a user of the caller's city (admins); with `username` and `password`, they can
    sign in. Sending the same `id` again is safe. A username is unique across every city (409)."""
    return await services.ask(registry.RegisterUser(
        tenant_id=caller.tenant_id, user_id=body.id, idempotency_key=key,
        user=body.model_dump(exclude={"id", "username", "password"}),
        username=body.username, password=body.password), User)


@router.get("/users", response_model=api.Page[User], responses=answers(401, 403, 422, 502, 503))
async def list_users(caller: Admin, services: Services, limit: Limit(1000) = 200,
                     offset: Offset = 0) -> Any:
    """The users of the caller's city (admins), by id."""
    page = await services.ask(registry.ListUsers(tenant_id=caller.tenant_id, limit=limit,
                                                 offset=offset), registry.UserList)
    return api.Page[User](items=page.users, total=page.total, limit=limit, offset=offset)


@router.get("/users/{user_id}", response_model=registry.UserView,
            responses=answers(401, 403, 404, 502, 503))
async def get_user(user_id: Id, caller: Admin, services: Services) -> Any:
    """A user of the caller's city, and the parks they manage (admins)."""
    return await services.ask(registry.GetUser(tenant_id=caller.tenant_id, user_id=user_id),
                              registry.UserView)


@router.put("/users/{user_id}", response_model=registry.UserView,
            responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def update_user(user_id: Id, body: api.UserUpdate, caller: Admin, services: Services,
                      key: IdempotencyKey) -> Any:
    """A user's whole new state and the parks they manage (admins). Disabling them, or changing
    their role, ends their sessions at once; an admin cannot do either to themselves (409)."""
    return await services.ask(registry.UpdateUser(
        tenant_id=caller.tenant_id, user_id=user_id, updated_by=caller.user_id,
        idempotency_key=key, user=body.model_dump(exclude={"disabled", "managed_park_ids"}),
        disabled=body.disabled, managed_park_ids=body.managed_park_ids), registry.UserView)


@router.post("/users/{user_id}/password", response_model=registry.UserView,
             responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def reset_password(user_id: Id, body: api.PasswordReset, caller: Admin,
                         services: Services, key: IdempotencyKey) -> Any:
    """Set a user's password (admins): their sessions end. A user without a username has none to
    sign in with (409)."""
    return await services.ask(registry.ResetPassword(
        tenant_id=caller.tenant_id, user_id=user_id, reset_by=caller.user_id,
        new_password=body.new_password, idempotency_key=key), registry.UserView)
