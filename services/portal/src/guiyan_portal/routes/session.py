"""Signing in and out with a session cookie, and changing one's own password."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from guiyan_contracts import api, registry

from ..access import Caller, IdempotencyKey, Services
from ..errors import answers
from ..sessions import csrf_token, log_in, log_out, start_session

router = APIRouter(prefix="/api/v1", tags=["session"])


@router.post("/session", response_model=api.SignedIn,
             responses=answers(401, 403, 413, 422, 429, 502, 503))
async def sign_in(body: api.Credentials, request: Request, response: Response,
                  services: Services) -> Any:
    """Sign in: sets the `guiyan_session` cookie (HttpOnly). A wrong username, a wrong password
    and a disabled user get one answer (401); too many failures, 429 with Retry-After. Send the
    answer's `csrf_token` as X-CSRF-Token with every POST, PUT and DELETE."""
    caller = await log_in(request, response, body.username, body.password)
    view = await services.ask(registry.GetUser(tenant_id=caller.tenant_id,
                                               user_id=caller.user_id), registry.UserView)
    return api.SignedIn(user=view, csrf_token=csrf_token(request))


@router.delete("/session", status_code=204, responses=answers(413))
async def sign_out(response: Response) -> None:
    """Sign out: the session cookie is cleared. Safe without a session."""
    log_out(response)


@router.post("/me/password", response_model=registry.UserView,
             responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def change_password(body: api.PasswordChange, caller: Caller, request: Request,
                          response: Response, services: Services, key: IdempotencyKey) -> Any:
    """Change one's own password: every other session of the user ends; the one that asked goes
    on, with the same CSRF token."""
    view = await services.ask(registry.ChangePassword(
        tenant_id=caller.tenant_id, user_id=caller.user_id, idempotency_key=key,
        current_password=body.current_password, new_password=body.new_password),
        registry.UserView)
    if (session := getattr(request.state, "session", None)) is not None:
        start_session(request, response, view, session.session_id)
    return view
