"""Failed sign-ins are counted per username and per client address: past a limit within a window,
signing in is refused (429) until enough failures leave the window, whether the password is right
or not. Counted in this process's memory: the portal runs as one process, and replicas would
each allow as many (docs/configuration.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from math import ceil

# Past this many keys, those with no recent failure are dropped: many usernames tried once each
# must not grow the process without bound.
SWEEP_ABOVE = 10_000


class LoginThrottle:
    def __init__(self, per_username: int, per_address: int, window_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = {"username": per_username, "address": per_address}
        self.window = window_seconds
        self.clock = clock
        self._failures: dict[tuple[str, str], list[float]] = {}

    def retry_after(self, username: str, address: str) -> int | None:
        """Whole seconds until a sign-in may be tried again, or None if it may be now."""
        waits = [wait for key in self._keys(username, address)
                 if (wait := self._wait(key)) is not None]
        return max(waits, default=None)

    def failed(self, username: str, address: str) -> None:
        if len(self._failures) > SWEEP_ABOVE:
            for key in list(self._failures):
                self._recent(key)
        for key in self._keys(username, address):
            self._failures[key] = [*self._recent(key), self.clock()]

    def succeeded(self, username: str) -> None:
        """A right password forgives the username's failures, not the address's."""
        self._failures.pop(("username", username.casefold()), None)

    @staticmethod
    def _keys(username: str, address: str) -> list[tuple[str, str]]:
        return [("username", username.casefold()), ("address", address)]

    def _recent(self, key: tuple[str, str]) -> list[float]:
        horizon = self.clock() - self.window
        recent = [moment for moment in self._failures.pop(key, []) if moment > horizon]
        if recent:
            self._failures[key] = recent
        return recent

    def _wait(self, key: tuple[str, str]) -> int | None:
        recent, limit = self._recent(key), self.limits[key[0]]
        if len(recent) < limit:
            return None
        return max(1, ceil(recent[-limit] + self.window - self.clock()))
