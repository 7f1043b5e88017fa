"""Bearer tokens: HS256 JWTs naming the user, their city (tenant) and role.

The token says who the caller is; what a park manager may touch (their parks) is asked of
registry on each request, so a change of managers takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import jwt

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.models import Role


@dataclass(frozen=True)
class Principal:
    user_id: str
    tenant_id: str
    role: Role


def mint_token(secret: str, user_id: str, tenant_id: str, role: Role,
               valid_for: timedelta = timedelta(days=30)) -> str:
    claims = {"sub": user_id, "tenant": tenant_id, "role": role.value,
              "exp": utc_now() + valid_for}
    return jwt.encode(claims, secret, algorithm="HS256")


def read_token(secret: str, token: str) -> Principal:
    """Raises jwt.InvalidTokenError (or ValueError for an unknown role) when it is not ours."""
    claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["sub", "exp"]})
    return Principal(user_id=claims["sub"], tenant_id=claims["tenant"], role=Role(claims["role"]))
