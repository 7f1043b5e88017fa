"""The best feasible plan found so far, and who to tell when it improves."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from .instance import Instance, Solution, allowed, objective


class Incumbent:
    def __init__(self, instance: Instance, started: float,
                 report: Callable[[float, float], None] | None) -> None:
        self.instance, self.started, self.report = instance, started, report
        self.plan: dict[str, str] | None = None
        self.value = -math.inf
        self._reported = -math.inf
        self._reporting = threading.Lock()  # CP-SAT reports from its own thread

    def offer(self, plan: dict[str, str]) -> bool:
        if not allowed(self.instance, plan):  # a phase's slip never becomes the answer
            return False
        value = objective(self.instance, plan)
        if value <= self.value + 1e-9:
            return False
        self.plan, self.value = dict(plan), value
        self.heard(value)
        return True

    def heard(self, value: float) -> None:
        """Tell of a better plan once, whether found here or by CP-SAT along the way."""
        with self._reporting:
            if self.report is not None and value > self._reported + 1e-9:
                self._reported = value
                self.report(time.monotonic() - self.started, value)

    def solution(self, status: str, bound: float) -> Solution:
        if self.plan is None:
            return Solution(status, 0.0, bound, {}, time.monotonic() - self.started)
        return Solution(status, self.value, max(bound, self.value), self.plan,
                        time.monotonic() - self.started)
