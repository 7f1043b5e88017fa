"""Who is calling and what they may touch: the checks every route makes, in one place.

The token gives the caller's user, city and role; every request to a service is scoped to that
city. A park manager's parks are asked of registry on each request.
"""

from __future__ import annotations

from typing import Annotated

import jwt
from fastapi import Depends, Header, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from guiyan_contracts import matching, registry
from guiyan_contracts.models import Proposal, Role

from .auth import Principal, read_token
from .config import PortalSettings
from .gateway import Gateway

bearer = HTTPBearer(auto_error=False)


def settings(request: Request) -> PortalSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def gateway(request: Request) -> Gateway:
    return request.app.state.gateway  # type: ignore[no-any-return]


Settings = Annotated[PortalSettings, Depends(settings)]
Services = Annotated[Gateway, Depends(gateway)]


async def principal(config: Settings, credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
    """Async although it never awaits: FastAPI runs a plain `def` dependency in a worker
    thread, a thread hop on every request."""
    if credentials is None:
        raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    try:
        return read_token(config.auth_secret, credentials.credentials)
    except jwt.InvalidTokenError:
        raise HTTPException(401, "invalid bearer token",
                            headers={"WWW-Authenticate": "Bearer"}) from None


Caller = Annotated[Principal, Depends(principal)]


def require(caller: Principal, *roles: Role) -> None:
    if caller.role not in roles:
        raise HTTPException(403, f"needs role {' or '.join(r.value for r in roles)}")


async def idempotency_key(caller: Caller, key: Annotated[str | None, Header(
        alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[!-~]+$",
        description="Any string of your choosing (a UUID, say), new for each new request. "
                    "Sent again with the same key, the request is answered as the first time "
                    "and changes nothing more; with another body it is refused (422). A refusal "
                    "is not kept: sent again, it is answered afresh. Keys are kept for a day "
                    "(IDEMPOTENCY_RETENTION_SECONDS).")] = None) -> str | None:
    """The key as the services keep it: one caller's keys never meet another's."""
    return f"{caller.user_id}:{key}" if key else None


IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]


async def managed_parks(services: Gateway, caller: Principal) -> list[str] | None:
    """The parks a caller may see proposals of; None means every park of the city."""
    if caller.role is not Role.park_manager:
        return None
    try:
        view = await services.ask(registry.GetUser(tenant_id=caller.tenant_id,
                                                   user_id=caller.user_id), registry.UserView)
    except HTTPException as error:
        if error.status_code == 404:
            raise HTTPException(403, "this manager is not registered in the city") from None
        raise
    return view.managed_park_ids


async def visible_proposal(services: Gateway, caller: Principal, proposal_id: str) -> Proposal:
    proposal = await services.ask(matching.GetProposal(tenant_id=caller.tenant_id,
                                                       proposal_id=proposal_id), Proposal)
    parks = await managed_parks(services, caller)
    if parks is not None and proposal.park_id not in parks:
        raise HTTPException(403, "this proposal is for a park you do not manage")
    return proposal
