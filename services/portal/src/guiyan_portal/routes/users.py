from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guiyan_contracts import api, registry
from guiyan_contracts.models import User

from ..access import Admin, Caller, IdempotencyKey, Services
from ..errors import answers

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
    """Register a user of the caller's city (admins). Sending the same `id` again is safe."""
    return await services.ask(registry.RegisterUser(
        tenant_id=caller.tenant_id, user_id=body.id, user=body.model_dump(exclude={"id"}),
        idempotency_key=key), User)
