"""Leadership by lease: work that one replica at a time must do (matching's planning of a city)
is done only by the holder of its lease, a key in a NATS KV bucket whose age limit is the
lease's time to live (`ops` declares the bucket, `streams.declare_streams`).

A lease is taken with `create`, which succeeds only while the key is absent (lapsed, released
or never taken), and renewed with `update` at the revision last written (compare-and-set),
every third of its time to live. A renewal that fails, refused or unanswered within that third,
gives the work up at once: at most two thirds of the time to live after the last renewal was
sent, so before the lease can have lapsed and another replica taken it. A replica without a
lease tries to take it at every round: it is the warm standby. A replica that finds its own
name on a lease (it restarted before the lease lapsed) takes it back at once rather than
waiting it out, so replicas must have names of their own (a host name is).

The holder's code learns of each tenure through `won(name, term)` and `lost(name)`, never both
at once for one name. The term names the tenure (holder and revision): the work it guards
should be fenced with it where it writes (matching keeps it in its database, and a plan is
written only under its own term), since a process paused past its lease cannot know it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from nats.aio.client import Client
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from .provisioned import once_declared

log = logging.getLogger(__name__)


def lease_bucket(service: str) -> str:
    """The KV bucket of a service's leases."""
    return f"guiyan_{service}_leases"


HAND_BACK_SECONDS = 5.0  # the most a stopping keeper waits for its work to stop and leases to go
LEASED_SERVICES = ("matching",)  # the services whose work one replica at a time does
LEASE_BUCKETS = tuple(lease_bucket(service) for service in LEASED_SERVICES)


def term_revision(term: str) -> int:
    """The lease revision a term names (`holder#revision`): revisions grow with every write to
    the bucket, so of two terms of one lease the later has the greater."""
    holder, _, revision = term.rpartition("#")
    if not holder or not revision.isdigit():
        raise ValueError(f"not a lease term (holder#revision): {term!r}")
    return int(revision)


class LeaseTaken(Exception):
    """The key is not at the revision expected: another holder has it, or it lapsed."""


@dataclass(frozen=True)
class Holding:
    holder: str
    revision: int


class LeaseStore(Protocol):
    async def create(self, key: str, holder: str) -> int:
        """The new revision; `LeaseTaken` when the key is present."""

    async def update(self, key: str, holder: str, last: int) -> int:
        """The new revision; `LeaseTaken` when `last` is not the key's revision."""

    async def read(self, key: str) -> Holding | None: ...

    async def release(self, key: str, last: int) -> None: ...


class KvLeaseStore:
    """Leases as keys of a NATS KV bucket, each holding its holder's name."""

    def __init__(self, kv: KeyValue) -> None:
        self._kv = kv

    async def create(self, key: str, holder: str) -> int:
        try:
            return await self._kv.create(key, holder.encode())
        except KeyWrongLastSequenceError as error:
            raise LeaseTaken(key) from error

    async def update(self, key: str, holder: str, last: int) -> int:
        try:
            return await self._kv.update(key, holder.encode(), last=last)
        except KeyWrongLastSequenceError as error:
            raise LeaseTaken(key) from error

    async def read(self, key: str) -> Holding | None:
        try:  # KeyDeletedError (a release) is a KeyNotFoundError
            entry = await self._kv.get(key)
        except KeyNotFoundError:
            return None
        return Holding((entry.value or b"").decode(), entry.revision or 0)

    async def release(self, key: str, last: int) -> None:
        await self._kv.delete(key, last=last)


async def open_lease_store(connection: Client, bucket: str,
                           wait_seconds: float = 30.0) -> tuple[KvLeaseStore, float]:
    """The bucket's store and its leases' time to live, once `ops` has declared it."""
    js = connection.jetstream()
    kv = await once_declared(lambda: js.key_value(bucket), f"KV bucket {bucket}",
                             time.monotonic() + wait_seconds)
    ttl = (await kv.status()).ttl
    if not ttl:
        raise RuntimeError(f"KV bucket {bucket} has no time to live: a lease would never lapse")
    return KvLeaseStore(kv), ttl


class Leases:
    """Keeps, or keeps trying to take, one lease per name."""

    def __init__(self, names: Iterable[str], holder: str,
                 won: Callable[[str, str], Awaitable[None]], lost: Callable[[str], None]) -> None:
        self._names = sorted(set(names))
        self.holder = holder
        self._won, self._lost = won, lost
        self._revisions: dict[str, int] = {}  # name → the revision this holder last wrote
        self._tenures: dict[str, str] = {}  # name → its term, from the win until the loss
        self._turns: dict[str, asyncio.Lock] = {}  # name → won and lost, one at a time
        self._handovers: set[asyncio.Task[None]] = set()
        self._ttl: float | None = None  # known once the keeper has its store
        self._round_ended = -math.inf  # monotonic

    async def keeping(self) -> str | None:
        """A readiness check: None while the rounds run (holding no lease is fine, as a standby
        does), else why not: a keeper without its bucket, or whose last round ended more than a
        time to live ago, leads nothing and never will."""
        if self._ttl is None:
            return "no lease bucket open"
        since = time.monotonic() - self._round_ended
        return None if since <= self._ttl else f"no lease round for {since:.0f} s"

    def held(self) -> dict[str, str]:
        """Each name whose lease is held, with its term (`won` may still be under way)."""
        return dict(self._tenures)

    async def keep(self, store: LeaseStore, ttl: float) -> None:
        """A round every third of `ttl`, for good; the leases are released when it ends."""
        self._ttl = ttl
        try:
            while True:
                started = time.monotonic()
                await self.round(store, ttl / 3)
                self._round_ended = time.monotonic()
                await asyncio.sleep(max(0.0, ttl / 3 - (time.monotonic() - started)))
        finally:
            await self._hand_back(store)

    async def _hand_back(self, store: LeaseStore) -> None:
        """Release the leases to the end, within `HAND_BACK_SECONDS`, however often the keeper
        is cancelled meanwhile: a stopping service cancels its loops again and again until they
        end, and the release waits for a `won` under way (a database claim) first. Cut short,
        the leases stay, and the standby waits out their time to live."""
        release = asyncio.create_task(self.release(store))
        deadline = time.monotonic() + HAND_BACK_SECONDS
        while not release.done() and time.monotonic() < deadline:
            # The cancellation already under way ends the keeper once this returns.
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait({release}, timeout=deadline - time.monotonic())
        if not release.done():
            log.warning("leases not handed back within %gs: they lapse", HAND_BACK_SECONDS)
            release.cancel()

    async def round(self, store: LeaseStore, patience: float) -> None:
        """Renew each lease held and try to take each other, each answered within `patience`;
        the `won`s and `lost`s this calls for run beside the next rounds."""
        await asyncio.gather(*(self._keep_one(store, name, patience) for name in self._names))

    async def settled(self) -> None:
        """Until the `won`s and `lost`s under way have run."""
        while self._handovers:
            await asyncio.gather(*self._handovers, return_exceptions=True)

    async def release(self, store: LeaseStore) -> None:
        """Stop the work, then hand each lease back, so that a standby need not wait it out."""
        for name in list(self._tenures):
            self._give_up(name)
        await self.settled()
        for name, revision in list(self._revisions.items()):
            with contextlib.suppress(Exception):  # unreleased, it lapses
                async with asyncio.timeout(1.0):
                    await store.release(name, revision)
            self._revisions.pop(name, None)

    async def _keep_one(self, store: LeaseStore, name: str, patience: float) -> None:
        try:
            async with asyncio.timeout(patience):
                revision = await self._renew_or_take(store, name)
        except LeaseTaken:
            self._revisions.pop(name, None)
            self._give_up(name)
            return
        except Exception as error:  # unanswered: the lease may still be ours, and renewed later
            if name in self._tenures:
                log.warning("lease %s not renewed (%r): giving its work up", name, error)
            self._give_up(name)
            return
        if revision is None:  # another holder's
            return
        self._revisions[name] = revision
        if name not in self._tenures:
            term = f"{self.holder}#{revision}"
            self._tenures[name] = term
            self._hand_over(name, self._take_up(name, term))

    async def _renew_or_take(self, store: LeaseStore, name: str) -> int | None:
        last = self._revisions.get(name)
        if last is not None:
            return await store.update(name, self.holder, last)
        try:
            return await store.create(name, self.holder)
        except LeaseTaken:
            holding = await store.read(name)
            if holding is None or holding.holder != self.holder:
                return None
            return await store.update(name, self.holder, holding.revision)  # our own, from before

    async def _take_up(self, name: str, term: str) -> None:
        if self._tenures.get(name) != term:  # lost before its turn came
            return
        try:
            await self._won(name, term)
        except Exception:
            log.exception("taking up %s failed; trying again next round", name)
            if self._tenures.get(name) == term:
                del self._tenures[name]
            return
        log.info("%s leads %s (%s)", self.holder, name, term)

    def _give_up(self, name: str) -> None:
        if self._tenures.pop(name, None) is not None:
            self._hand_over(name, self._step_down(name))

    async def _step_down(self, name: str) -> None:
        self._lost(name)
        log.info("%s no longer leads %s", self.holder, name)

    def _hand_over(self, name: str, change: Awaitable[None]) -> None:
        """Run `change` after the name's earlier ones, beside the rounds."""
        turn = self._turns.setdefault(name, asyncio.Lock())

        async def in_turn() -> None:
            async with turn:
                await change

        task = asyncio.create_task(in_turn())
        self._handovers.add(task)
        task.add_done_callback(self._handovers.discard)
