"""Bearer tokens: HS256 JWTs naming the user, their city (tenant) and role, for scripts (a browser
signs in for a session cookie instead, `sessions.py`).

The token says who the caller is; whether they are still enabled, their role and the parks they
manage are asked of registry on each request, so a change takes effect at once. A token for a city this
deployment does not serve is refused like a forged one: its city is never looked up as a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import jwt

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.models import ID_PATTERN, Role
from guiyan_contracts.registry import UserView
from guiyan_contracts.taxonomy import configured_cities


@dataclass(frozen=True)
class Principal:
    user_id: str
    tenant_id: str
    role: Role
    # The parks registry says the user manages; None for a token's user registry does not know.
    managed_park_ids: tuple[str, ...] | None = None
    # The station a `station` user heads: the only station, and the only people, they see.
    station_id: str | None = None


def principal_of(view: UserView) -> Principal:
    """The caller as registry has them now: their role is registry's, not a token's."""
    return Principal(user_id=view.user.id, tenant_id=view.user.tenant_id, role=view.user.role,
                     managed_park_ids=tuple(view.managed_park_ids),
                     station_id=view.user.station_id)


def mint_token(secret: str, user_id: str, tenant_id: str, role: Role,
               valid_for: timedelta = timedelta(days=30)) -> str:
    claims = {"sub": user_id, "tenant": tenant_id, "role": role.value,
              "exp": utc_now() + valid_for}
    return jwt.encode(claims, secret, algorithm="HS256")


def read_token(secret: str, token: str) -> Principal:
    """Raises jwt.InvalidTokenError when it is not ours, or not for a city served here."""
    claims = jwt.decode(token, secret, algorithms=["HS256"],
                        options={"require": ["sub", "exp", "tenant", "role"]})
    city, role = claims["tenant"], claims["role"]
    if not isinstance(city, str) or city not in configured_cities():
        raise jwt.InvalidTokenError("the token's city is not served here")
    if not isinstance(role, str) or role not in Role.__members__:
        raise jwt.InvalidTokenError("the token's role is unknown")
    if not isinstance(claims["sub"], str) or not re.fullmatch(ID_PATTERN, claims["sub"]):
        raise jwt.InvalidTokenError("the token's user is not an id")
    return Principal(user_id=claims["sub"], tenant_id=city, role=Role(role))
