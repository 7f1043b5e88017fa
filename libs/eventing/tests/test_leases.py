"""The lease keeper's rules, against a store in memory (the real one, a NATS KV bucket, is
exercised in tests/reliability/tests/test_scale_out.py): one holder per name, a lease given up
at the first renewal that fails, a standby that takes a lapsed or released lease, and a holder
that takes its own lease back after a restart."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from guiyan_eventing.leases import Holding, Leases, LeaseTaken


class MemoryStore:
    """Keys with revisions, as a KV bucket keeps them; `lapse` is the time to live running out,
    `failing` a store that does not answer."""

    def __init__(self) -> None:
        self.keys: dict[str, Holding] = {}
        self._revisions = itertools.count(1)
        self.failing: BaseException | None = None
        self.hanging = False

    async def _answer(self) -> None:
        if self.hanging:
            await asyncio.sleep(3600)
        if self.failing is not None:
            raise self.failing

    async def create(self, key: str, holder: str) -> int:
        await self._answer()
        if key in self.keys:
            raise LeaseTaken(key)
        return self._write(key, holder)

    async def update(self, key: str, holder: str, last: int) -> int:
        await self._answer()
        if key not in self.keys or self.keys[key].revision != last:
            raise LeaseTaken(key)
        return self._write(key, holder)

    async def read(self, key: str) -> Holding | None:
        await self._answer()
        return self.keys.get(key)

    async def release(self, key: str, last: int) -> None:
        await self._answer()
        if key in self.keys and self.keys[key].revision == last:
            del self.keys[key]

    def lapse(self, key: str) -> None:
        del self.keys[key]

    def _write(self, key: str, holder: str) -> int:
        revision = next(self._revisions)
        self.keys[key] = Holding(holder, revision)
        return revision


class Work:
    """What the holder does with a lease: the names it leads, and every change in order."""

    def __init__(self, refuse: int = 0) -> None:
        self.leading: dict[str, str] = {}
        self.changes: list[tuple[str, str]] = []
        self._refuse = refuse

    async def won(self, name: str, term: str) -> None:
        if self._refuse:
            self._refuse -= 1
            raise ConnectionError("database away")
        self.leading[name] = term
        self.changes.append(("won", name))

    def lost(self, name: str) -> None:
        self.leading.pop(name, None)
        self.changes.append(("lost", name))


def replica(name: str, work: Work, cities: tuple[str, ...] = ("heze",)) -> Leases:
    return Leases(cities, name, won=work.won, lost=work.lost)


async def round_of(store: MemoryStore, *keepers: Leases, patience: float = 0.5) -> None:
    for keeper in keepers:
        await keeper.round(store, patience)
        await keeper.settled()


async def test_of_two_replicas_one_leads_each_city_and_the_other_waits() -> None:
    store, first, second = MemoryStore(), Work(), Work()
    a, b = replica("a", first, ("heze", "jining")), replica("b", second, ("heze", "jining"))
    for _ in range(3):
        await round_of(store, a, b)
    assert set(first.leading) == {"heze", "jining"} and second.leading == {}
    assert first.changes == [("won", "heze"), ("won", "jining")]  # renewals are no news
    assert first.leading["heze"] == a.held()["heze"] == "a#1"  # the tenure's first revision


async def test_a_standby_takes_a_lapsed_lease_and_the_old_holder_gives_the_work_up() -> None:
    store, first, second = MemoryStore(), Work(), Work()
    a, b = replica("a", first), replica("b", second)
    await round_of(store, a, b)
    store.lapse("heze")  # a stalled past its time to live
    await round_of(store, b, a)
    assert second.leading == {"heze": f"b#{store.keys['heze'].revision}"}
    assert first.changes == [("won", "heze"), ("lost", "heze")] and a.held() == {}
    await round_of(store, a, b)
    assert first.leading == {} and "heze" in second.leading


async def test_an_unanswered_renewal_gives_the_work_up_at_once_and_a_later_one_takes_it_back():
    store, work = MemoryStore(), Work()
    a = replica("a", work)
    await round_of(store, a)
    store.failing = ConnectionError("NATS away")
    await round_of(store, a)
    assert work.leading == {} and a.held() == {}
    store.failing = None  # back before the lease lapsed: still ours, at the revision we wrote
    await round_of(store, a)
    assert work.changes == [("won", "heze"), ("lost", "heze"), ("won", "heze")]
    assert work.leading["heze"] == f"a#{store.keys['heze'].revision}"  # a new term


async def test_a_renewal_that_hangs_counts_as_failed_once_its_patience_runs_out() -> None:
    store, work = MemoryStore(), Work()
    a = replica("a", work)
    await round_of(store, a)
    store.hanging = True
    await round_of(store, a, patience=0.05)
    assert work.leading == {} and work.changes[-1] == ("lost", "heze")


async def test_a_replica_restarted_under_its_name_takes_its_lease_back_without_waiting():
    store, before, after = MemoryStore(), Work(), Work()
    await round_of(store, replica("a", before))
    await round_of(store, replica("b", Work()), replica("a", after))
    assert "heze" in after.leading


async def test_a_released_lease_is_taken_by_the_standby_at_its_next_round() -> None:
    store, first, second = MemoryStore(), Work(), Work()
    a, b = replica("a", first), replica("b", second)
    await round_of(store, a, b)
    await a.release(store)
    assert first.changes == [("won", "heze"), ("lost", "heze")] and store.keys == {}
    await round_of(store, b)
    assert "heze" in second.leading


async def test_work_that_could_not_be_taken_up_is_tried_again_and_the_lease_kept() -> None:
    store, work = MemoryStore(), Work(refuse=1)
    a, b = replica("a", work), replica("b", Work())
    await round_of(store, a, b)
    assert work.leading == {} and a.held() == {}
    await round_of(store, a, b)
    assert work.changes == [("won", "heze")]


async def test_keep_renews_the_lease_and_releases_it_when_stopped() -> None:
    store, work = MemoryStore(), Work()
    a = replica("a", work)
    keeping = asyncio.create_task(a.keep(store, ttl=0.3))
    while "heze" not in store.keys or store.keys["heze"].revision < 2:
        await asyncio.sleep(0.01)
    keeping.cancel()
    with pytest.raises(asyncio.CancelledError):
        await keeping
    assert store.keys == {} and work.changes == [("won", "heze"), ("lost", "heze")]


async def test_a_keeper_cancelled_again_and_again_still_hands_its_leases_back() -> None:
    """As a stopping service cancels its loops until they end, while the work is being taken up
    (a database claim that takes a while): the work stops and the lease is released all the
    same, so the standby need not wait out its time to live."""
    store, work = MemoryStore(), SlowWork()
    a = replica("a", work)
    keeping = asyncio.create_task(a.keep(store, ttl=30))
    while not work.taking_up:
        await asyncio.sleep(0.01)
    while not keeping.done():
        keeping.cancel()
        await asyncio.wait({keeping}, timeout=0.02)
    assert store.keys == {} and work.changes == [("won", "heze"), ("lost", "heze")]


class SlowWork(Work):
    def __init__(self) -> None:
        super().__init__()
        self.taking_up = False

    async def won(self, name: str, term: str) -> None:
        self.taking_up = True
        await asyncio.sleep(0.3)
        await super().won(name, term)


async def test_the_keeper_is_ready_while_its_rounds_run_leading_or_not() -> None:
    store, a = MemoryStore(), replica("a", Work())
    assert await a.keeping() == "no lease bucket open"  # its bucket not found yet
    store.keys["heze"] = Holding("b", 1)  # a standby's round is a round all the same
    keeping = asyncio.create_task(a.keep(store, ttl=0.3))
    async with asyncio.timeout(10):
        while await a.keeping() is not None:
            await asyncio.sleep(0.01)
        keeping.cancel()  # as when the keeper crashed, and its bucket is not found again
        await asyncio.wait({keeping})
        while await a.keeping() is None:
            await asyncio.sleep(0.05)
    assert (await a.keeping() or "").startswith("no lease round for")
