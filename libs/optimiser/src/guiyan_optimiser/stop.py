"""Ending a solve early, from another thread, with the best plan found so far."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ortools.sat.python import cp_model


class Stop:
    """Set once, from any thread. Every phase of a solve looks before it starts, and each CP-SAT
    search under way is stopped at once; one that starts in the instant of setting stops at its
    first solution (see `exact`)."""

    def __init__(self) -> None:
        self._set = threading.Event()
        self._lock = threading.Lock()
        self._solvers: set[cp_model.CpSolver] = set()

    def set(self) -> None:
        with self._lock:
            self._set.set()
            for solver in self._solvers:
                solver.stop_search()

    def is_set(self) -> bool:
        return self._set.is_set()

    @contextmanager
    def watching(self, solver: cp_model.CpSolver) -> Iterator[None]:
        with self._lock:
            self._solvers.add(solver)
        try:
            yield
        finally:
            with self._lock:
                self._solvers.discard(solver)
