"""Every route of the portal against the access matrix (`tests/e2e/access_matrix.py`), in
process and against fake services: each kind of caller gets the status the matrix gives it, on
a record of its own city and of the other. The routes are read from the app, so a route the
matrix does not name fails here, before it is ever served.

Besides the statuses: whatever the caller, every request that reaches a service carries the
city of the caller's token, and a caller refused (401, 403) changes nothing anywhere."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

import jwt
import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from guiyan_contracts.models import Role
from guiyan_portal.auth import mint_token

from .fakes import SECRET, Portal, token
from .two_cities import (
    CHANNEL_FIELDS,
    CITIES,
    CONTACT_FIELDS,
    HEZE,
    JINING,
    PARK_FIELDS,
    PEOPLE,
    PERSON_FIELDS,
    PROJECT_FIELDS,
    STATION_FIELDS,
    TASK_FIELDS,
    jining_served,
    two_cities,
)

MATRIX_FILE = Path(__file__).parents[3] / "tests" / "e2e" / "access_matrix.py"


def shared_matrix() -> ModuleType:
    """The matrix the e2e test sends to a running system: plain data, loaded by its path as it
    lives beside the e2e tests, which need NATS."""
    spec = importlib.util.spec_from_file_location("guiyan_access_matrix", MATRIX_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up by name
    spec.loader.exec_module(module)
    return module


class Operation(NamedTuple):
    method: str
    path: str  # as the app has it: `/api/v1/parks/{park_id}`
    name: str  # the route's function

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


matrix = shared_matrix()
PORTAL = Portal(two_cities())
OPERATIONS = [Operation(method, context.path, context.name)
              for context in iter_route_contexts(PORTAL.app.routes)
              if isinstance(context.original_route, APIRoute)
              for method in sorted(context.methods)]


def shape(path: str) -> str:
    """A path with its parameters unnamed and its query left off: the app's `{park_id}` is the
    matrix's `{park}`, and `/chains?park_id={park}` is the route `/chains`."""
    return re.sub(r"\{[^}]*\}", "{}", path.removesuffix(" (of {park})").partition("?")[0])


ROWS: dict[tuple[str, str], list[Any]] = {}  # an operation's rows: one per query it is sent with
for each in matrix.MATRIX:
    ROWS.setdefault((each.method, shape(each.path)), []).append(each)
REASON = {"reason": "矩阵"}
BODIES: dict[str, Any] = {
    "create_user": {"name": "矩阵", "role": "staff"}, "create_park": PARK_FIELDS,
    "update_user": {"name": "矩阵", "role": "staff"},
    "change_password": {"current_password": "not-the-password", "new_password": "矩阵-password-1"},
    "reset_password": {"new_password": "矩阵-password-1"},
    "update_park": PARK_FIELDS, "submit_project": PROJECT_FIELDS,
    "update_project": PROJECT_FIELDS, "withdraw_project": REASON, "reject": REASON,
    "preview_plan": lambda ids: {"changes": [{"park_id": ids["park"], "floor_m2": 100}]},
    "create_station": STATION_FIELDS, "update_station": STATION_FIELDS,
    "register_person": PERSON_FIELDS, "update_person": PERSON_FIELDS,
    "record_contact": CONTACT_FIELDS,
    "create_task": lambda ids: {**TASK_FIELDS, "person_id": ids["person"]},
    "update_task": lambda ids: {**TASK_FIELDS, "person_id": ids["person"]},
    "mark_read": {}, "set_preferences": {"items": [{"kind": "proposal_accepted",
                                                    "media": ["inbox"]}]},
    "create_channel": lambda ids: {**CHANNEL_FIELDS, "park_id": ids["park"]},
    "update_channel": lambda ids: {**CHANNEL_FIELDS, "park_id": ids["park"]},
}


def is_page(path: str) -> bool:
    """A web page, whose forms the matrix posts empty (`access_matrix.py`), not an API path."""
    return not path.startswith("/api/")


def bad_token(kind: str) -> str | None:
    """A token of a kind that proves nothing (`matrix.BAD_TOKENS`), else None: no token."""
    claims = {"sub": "heze-admin", "tenant": HEZE, "role": "admin", "exp": 4102444800}
    signed_with = {"forged": ("not the portal's secret, 32 bytes or more", "HS256"),
                   "alg none": (None, "none"), "HS512": (SECRET, "HS512")}
    if kind in signed_with:
        return jwt.encode(claims, *signed_with[kind])
    if kind == "expired":
        return mint_token(SECRET, "heze-admin", HEZE, Role.admin, timedelta(seconds=-5))
    if kind == "unknown city":
        return mint_token(SECRET, "heze-admin", "atlantis", Role.admin)
    assert kind == "none"
    return None


def caller_token(caller: str) -> tuple[str | None, str]:
    """The caller's token, and the city whose records are its own."""
    if caller in matrix.BAD_TOKENS:
        return bad_token(caller), HEZE
    person = PEOPLE[caller]
    return token(person.user_id, person.city, person.role), person.city


@pytest.fixture(scope="module")
def both_cities(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with jining_served(tmp_path_factory.mktemp("cities")):
        yield


async def status(operation: Operation, row: Any, caller: str, city: str) -> str:
    """The status the caller gets for the operation on the records of `city`, once it is checked
    that the services were asked only of the caller's own city."""
    bearer, own = caller_token(caller)
    ids = CITIES[city].ids
    path = row.path.removesuffix(" (of {park})").format(**ids)
    PORTAL.services = two_cities()  # anew, so that it holds this request's questions alone
    if is_page(path):
        response = await PORTAL.request(operation.method, path, bearer,
                                        headers=matrix.EMPTY_FORM if operation.method == "POST"
                                        else None)
    else:
        body = BODIES.get(operation.name)
        response = await PORTAL.request(operation.method, path, bearer,
                                        body(ids) if callable(body) else body)
    asked = {request.tenant_id for request in PORTAL.services.asked
             if hasattr(request, "tenant_id")} | set(PORTAL.services.letter_cities)
    assert asked <= {own}, f"{operation} as {caller} asked of {asked}"
    if response.status_code in (401, 403):
        assert PORTAL.services.commands() == [], f"{operation} as {caller} changed something"
    return str(response.status_code)


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the HS512 token
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
async def test_every_caller_gets_the_status_the_access_matrix_gives(both_cities, operation):
    rows = ROWS.get((operation.method, shape(operation.path)))
    assert rows, f"{operation} is not in {MATRIX_FILE}: add its row"
    for row in rows:
        seen = {}
        for caller in matrix.CALLERS:
            own = HEZE if caller in matrix.BAD_TOKENS else PEOPLE[caller].city
            cities = [own, JINING if own == HEZE else HEZE] if row.of_a_resource else [own]
            seen[caller] = " · ".join([await status(operation, row, caller, city)
                                       for city in cities])
        assert seen == {caller: row.expected(caller) for caller in matrix.CALLERS}, row.path


def test_every_row_of_the_matrix_is_an_operation_of_the_portal() -> None:
    served = {(operation.method, shape(operation.path)) for operation in OPERATIONS}
    assert set(ROWS) <= served, f"rows without a route: {set(ROWS) - served}"
