"""The burst: staff submit projects, spread over the faults' schedule, while park managers decide
offers, through the portal, as a careful real client would.

- A submission carries no id of the client's choosing (that would make a duplicate impossible by
  construction); it is known by its name, unique in the burst.
- Every POST carries an `Idempotency-Key`, new per request. When the answer is lost (the
  connection drops, a 502/503/504, a timeout) the same request is sent again with the same key
  until it is answered, so that the client ends with the one answer the system committed to.
  So is a 409 saying that its key is still being handled.
- Managers look at the offers now and then and decide some of them: accept most, reject the
  rest. A 409 to a decision is legitimate (the offer was withdrawn, expired, or the park filled
  up meanwhile) and is not retried.

What the client was finally told is recorded, request by request: the invariants compare it
with what the system stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from guiyan_devstack import demo

OFFERS_LOOKED_AT = 50
REJECTION_REASON = "场地已另作他用"
RETRIED_STATUSES = frozenset({502, 503, 504})
REQUEST_TIMEOUT_SECONDS = 30.0
FIRST_RETRY_SECONDS, LAST_RETRY_SECONDS = 0.2, 2.0


@dataclass(frozen=True)
class Answer:
    """The final answer to one request, after every retry; status None: none came in time."""

    status: int | None
    body: Any
    attempts: list[str]  # each attempt's status or error, in order


@dataclass(frozen=True)
class Submission:
    name: str
    answer: Answer

    @property
    def acknowledged(self) -> bool:
        return self.answer.status == 202

    @property
    def project_id(self) -> str:
        return str(self.answer.body["id"])


@dataclass(frozen=True)
class Decision:
    proposal_id: str
    park_id: str
    manager_id: str
    outcome: str  # accepted | rejected
    answer: Answer

    @property
    def acknowledged(self) -> bool:
        return self.answer.status == 200


@dataclass
class Burst:
    """What the client sent and was told."""

    submissions: list[Submission] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    seconds: float = 0.0

    def statuses(self) -> dict[str, int]:
        """How often each final status came (for the report)."""
        counts = Counter(f"{kind} {answer.status or 'unanswered'}" for kind, answer in (
            *(("submit", s.answer) for s in self.submissions),
            *(("decide", d.answer) for d in self.decisions)))
        return dict(sorted(counts.items()))

    def failed_attempts(self) -> dict[str, int]:
        """How often each kind of failed attempt came, before its retry (for the report)."""
        counts = Counter(attempt for answer in (*(s.answer for s in self.submissions),
                                                *(d.answer for d in self.decisions))
                         for attempt in answer.attempts[:-1])
        return dict(counts.most_common())

    def retries(self) -> int:
        return sum(len(a.attempts) - 1 for a in (
            *(s.answer for s in self.submissions), *(d.answer for d in self.decisions)))


@dataclass(frozen=True)
class LoadSettings:
    submissions: int = 500  # spread over the faults (more, if the faults report no progress)
    per_second: float = 20.0  # at most: the pace of a slice sent around a fault
    decide_share: float = 0.8  # of the offers a manager sees, this share is decided
    accept_share: float = 0.7  # of the decisions, this share accepts
    look_every_seconds: float = 0.5  # how often the managers look at the offers
    give_up_after_seconds: float = 300.0  # one request's retries, in all


def project_bodies(seed: int) -> Iterator[dict[str, Any]]:
    """Demo-like projects without ids, each with a name of its own."""
    shapes = demo.demo_projects(200, seed=seed)
    for index in itertools.count():
        body = {k: v for k, v in shapes[index % len(shapes)].items() if k != "id"}
        yield body | {"name": f"{body['name']}·{index:05d}"}


def retried(status: int | None, body: Any) -> bool:
    """Whether the answer is not yet the system's: the request is sent again with its key."""
    if status is None or status in RETRIED_STATUSES:
        return True
    return status == 409 and "Idempotency-Key" in str(body)


def described(status: int | None, answer: Any) -> str:
    """An attempt's outcome in a few words: the status, and for a failure what failed."""
    if status is None:
        return str(answer)  # the client's error: refused, disconnected, timed out
    if status < 500 and not retried(status, answer):
        return str(status)
    detail = str(answer.get("detail") if isinstance(answer, dict) else answer)
    if unanswered := re.search(r"(guiyan\.\w+\.\w+)\S* did not answer: (\w+)", detail):
        return f"{status} {unanswered[1]} did not answer: {unanswered[2]}"
    return f"{status} {detail[:80]}"


class Client:
    def __init__(self, session: aiohttp.ClientSession, settings: LoadSettings) -> None:
        self.session = session
        self.settings = settings

    async def post(self, path: str, token: str, body: dict[str, Any] | None = None) -> Answer:
        """POST with a fresh Idempotency-Key, sent again with it until answered."""
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())}
        deadline = time.monotonic() + self.settings.give_up_after_seconds
        wait, attempts = FIRST_RETRY_SECONDS, []
        while True:
            status, answer = await self._once(path, headers, body)
            attempts.append(described(status, answer))
            if not retried(status, answer):
                return Answer(status, answer, attempts)
            if time.monotonic() + wait > deadline:
                return Answer(None, answer, attempts)
            await asyncio.sleep(wait * random.uniform(0.5, 1.5))
            wait = min(wait * 2, LAST_RETRY_SECONDS)

    async def _once(self, path: str, headers: dict[str, str],
                    body: dict[str, Any] | None) -> tuple[int | None, Any]:
        try:
            async with self.session.post(path, json=body, headers=headers) as response:
                answer = await response.text()
        except (aiohttp.ClientError, TimeoutError) as error:
            return None, type(error).__name__
        try:
            return response.status, json.loads(answer)
        except ValueError:  # not JSON: kept as it came, for the report
            return response.status, answer

    async def get(self, path: str, token: str, **params: Any) -> Any:
        async with self.session.get(path, params=params,
                                    headers={"Authorization": f"Bearer {token}"}) as response:
            response.raise_for_status()
            return await response.json()


async def decide_offers(client: Client, tokens: dict[str, Any], rng: random.Random,
                        stop: asyncio.Event, burst: Burst) -> None:
    """Until `stop`: look at the open offers and decide a share of those not seen before, each
    as its park's manager."""
    seen: set[str] = set()
    deciding: set[asyncio.Task[None]] = set()

    async def decide(proposal: dict[str, Any]) -> None:
        park_id = proposal["park_id"]
        outcome = "accepted" if rng.random() < client.settings.accept_share else "rejected"
        path = f"/api/v1/proposals/{proposal['id']}/{'accept' if outcome == 'accepted' else 'reject'}"
        answer = await client.post(path, tokens["managers"][park_id],
                                   {"reason": REJECTION_REASON} if outcome == "rejected" else None)
        burst.decisions.append(Decision(proposal["id"], park_id, demo.manager_id(park_id), outcome,
                                       answer))

    while not stop.is_set():
        try:
            # The newest few: a page of hundreds, explanations and all, is slow to come.
            page = await client.get("/api/v1/proposals", tokens["admin"], status="offered",
                                    limit=OFFERS_LOOKED_AT)
        except (aiohttp.ClientError, TimeoutError, ValueError):
            page = {"items": []}  # a fault under way: look again next round
        for proposal in page["items"]:
            if proposal["id"] in seen:
                continue
            seen.add(proposal["id"])
            if rng.random() < client.settings.decide_share:
                task = asyncio.create_task(decide(proposal))
                deciding.add(task)
                task.add_done_callback(deciding.discard)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(client.settings.look_every_seconds):
                await stop.wait()
    await asyncio.gather(*deciding)


async def run_burst(portal_url: str, tokens: dict[str, Any], settings: LoadSettings, seed: int,
                    burst: Burst, faults: Callable[[], Awaitable[int]],
                    progress: Callable[[], float | None]) -> int:
    """Submit while the managers decide, and run `faults` beside them; what the client is told
    goes into `burst`. Returns how many faults were injected.

    By each moment, the share `progress()` of `settings.submissions` has been sent (at up to
    `settings.per_second`): the faults spread the burst over their schedule, whatever each fault
    takes (a restart under load can take ten seconds), and every scenario sends the same number.
    With faults that report no progress (None), the pace alone decides, and the burst lasts
    until the faults are over."""
    rng = random.Random(seed)
    connector = aiohttp.TCPConnector(limit=128)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    started = time.monotonic()
    async with aiohttp.ClientSession(portal_url, connector=connector, timeout=timeout) as session:
        client = Client(session, settings)
        stop_deciding = asyncio.Event()
        managers = asyncio.create_task(decide_offers(client, tokens, rng, stop_deciding, burst))
        injecting = asyncio.create_task(faults())

        async def submit(body: dict[str, Any]) -> None:
            answer = await client.post("/api/v1/projects", tokens["staff"], body)
            burst.submissions.append(Submission(body["name"], answer))

        def due() -> int:
            """How many submissions should have been sent by now."""
            if injecting.done():
                return settings.submissions
            share = progress()
            return len(submitting) + 1 if share is None else math.ceil(settings.submissions * share)

        submitting: list[asyncio.Task[None]] = []
        bodies = project_bodies(seed)
        while len(submitting) < settings.submissions or not injecting.done():
            if len(submitting) < due():
                submitting.append(asyncio.create_task(submit(next(bodies))))
            await asyncio.sleep(1 / settings.per_second)
        await asyncio.gather(*submitting)
        stop_deciding.set()
        await managers
        injected = await injecting
    burst.seconds = time.monotonic() - started
    return injected
