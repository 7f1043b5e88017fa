"""How the tabu search shares the solve's time with the CP-SAT phases: it runs here, in slices,
between looks at the solves running beside it, and hands the incumbent each better plan it finds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from .incumbent import Incumbent
from .tabu import Search

T = TypeVar("T")

SLICE = 0.05  # seconds of search between looks at the CP-SAT solves running beside it


def keep_up(search: Search, incumbent: Incumbent, until: float) -> None:
    """Search from the incumbent (if it is ahead) until `until`, and hand it what is better."""
    found = search.follow(incumbent.plan, until)
    if found is not None:
        incumbent.offer(found)


def beside(solve: Callable[[], T], *, begin: Callable[[Callable[[], bool]], Search | None],
           incumbent: Incumbent) -> tuple[T, Search | None]:
    """`solve()` in a thread; meanwhile `begin(solved)` makes a search here (which may take
    a while, so it is told whether `solve` has returned), and the search keeps up with the
    incumbent until `solve` returns."""
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(solve)
        search = begin(future.done)
        while search is not None and not future.done():
            keep_up(search, incumbent, time.monotonic() + SLICE)
        return future.result(), search
