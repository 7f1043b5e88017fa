"""Where a service's database work runs: one thread, one piece of work at a time, in the order
it was asked for.

Off the event loop, because a commit waits for its fsync (`synchronous=FULL` on SQLite): under a
burst, a loop that committed itself would spend a large share of its time in that wait, time in
which no request is read, answered or published (measured: docs/performance.md, "one database
thread per service"). One thread, because a process must never hold two SQLite write
transactions at once: a transaction that has read and then writes after another connection
committed fails at once with SQLITE_BUSY_SNAPSHOT instead of waiting. On PostgreSQL one thread
costs nothing over the event loop, which would also run the transactions one at a time.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")


class RunsDatabaseWork(Protocol):
    async def __call__(self, work: Callable[[], T]) -> T: ...


class DatabaseThread:
    def __init__(self, name: str = "database") -> None:
        self._thread = ThreadPoolExecutor(1, thread_name_prefix=name)

    async def __call__(self, work: Callable[[], T]) -> T:
        """`work` runs in the caller's context (its correlation id, for the log)."""
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(self._thread, context.run, work)


async def in_place(work: Callable[[], T]) -> T:
    """For callers with no event loop to keep free (tests, tools): the work runs where it is awaited."""
    return work()
