"""The portal with a fake in place of its gateway to NATS: routes and access rules are tested
without NATS or any service, against canned replies."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from guiyan_contracts.api import DeadLetterPage
from guiyan_contracts.envelope import Contract
from guiyan_contracts.models import DeadLetter, Role
from guiyan_contracts.refusals import Refusal
from guiyan_eventing.rpc import RemoteError
from guiyan_portal import access
from guiyan_portal.auth import mint_token
from guiyan_portal.config import PortalSettings
from guiyan_portal.entrypoints.app import create_app
from guiyan_portal.gateway import http_error

SECRET = "a test secret of thirty-two bytes or more"
R = TypeVar("R", bound=BaseModel)
# A canned reply: the answer itself, or a function of the request that returns it or raises as
# the service would (a `Refusal`), or as NATS would (a `RemoteError`: unavailable, say).
Reply = BaseModel | Callable[[Any], BaseModel]


class FakeGateway:
    """What `guiyan_portal.gateway.Gateway` offers the routes, answered from canned replies per
    subject and canned dead letters; it keeps every request it is sent, in order."""

    def __init__(self, replies: Mapping[str, Reply], letters: Iterable[DeadLetter] = ()) -> None:
        self.replies = dict(replies)
        self.letters = list(letters)
        self.asked: list[Contract] = []
        self.letter_cities: list[str | None] = []  # the city of each read of the dead letters
        self.connected = True

    async def ask(self, request: Contract, result_type: type[R], subject: str | None = None,
                  timeout: float | None = None) -> R:
        self.asked.append(request)
        subject = subject or request.SUBJECT  # type: ignore[attr-defined]
        reply = self.replies[subject]  # a KeyError: the route asked what the test did not expect
        try:
            answer = reply if isinstance(reply, BaseModel) else reply(request)
        except Refusal as refusal:
            raise http_error(refusal.body()) from None
        except RemoteError as failure:
            raise http_error(failure.body) from None
        assert isinstance(answer, result_type), f"{subject} answered a {type(answer).__name__}"
        return answer

    async def dead_letters(self, city: str | None, after: int, limit: int) -> DeadLetterPage:
        self.letter_cities.append(city)
        found = [letter for letter in self.letters
                 if letter.city == city and letter.stream_sequence > after]
        return DeadLetterPage(items=found[:limit], total=len(found), limit=limit, next_after=None)

    async def dead_letter(self, city: str, sequence: int) -> DeadLetter | None:
        self.letter_cities.append(city)
        return next((letter for letter in self.letters
                     if (letter.city, letter.stream_sequence) == (city, sequence)), None)

    def commands(self) -> list[Contract]:
        """What it was asked that changes something (a check that changes nothing aside)."""
        return [request for request in self.asked
                if getattr(request, "SUBJECT", "").startswith("guiyan.cmd.")
                and not getattr(request, "validate_only", False)]


class Portal:
    """The portal's app as it serves, its gateway replaced by `services` (which a test may
    replace in turn between requests)."""

    def __init__(self, services: FakeGateway, **settings: Any) -> None:
        self.app = create_app(PortalSettings(auth_secret=SECRET, **settings))
        self.services = services
        self.app.dependency_overrides[access.gateway] = lambda: self.services

    @property
    def services(self) -> FakeGateway:
        return self.app.state.gateway  # type: ignore[no-any-return]

    @services.setter
    def services(self, services: FakeGateway) -> None:
        self.app.state.gateway = services  # where signing in asks, beside the routes' override

    async def request(self, method: str, path: str, token: str | None = None,
                      json: Any = None, headers: Mapping[str, str] | None = None,
                      cookies: Mapping[str, str] | None = None, data: Any = None,
                      ) -> httpx.Response:
        headers = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                     base_url="http://portal", cookies=cookies) as client:
            return await client.request(method, path, json=json, headers=headers, data=data)


def token(user_id: str, city: str, role: Role) -> str:
    return mint_token(SECRET, user_id, city, role)
