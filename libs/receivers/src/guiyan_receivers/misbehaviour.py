"""How a receiver can be told to misbehave for its next requests, the same for all of them."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Literal

Kind = Literal["fail", "throttle", "hang", "refuse"]


@dataclass(frozen=True)
class Trick:
    kind: Kind
    status: int | None = None  # fail: the HTTP status or SMTP code to answer with
    seconds: float = 0.0  # hang: how long to hold the request before answering


class Misbehaving:
    """The next requests, in order, each take one trick; once none is left they are answered
    as the real receiver would."""

    def __init__(self) -> None:
        self._tricks: deque[Trick] = deque()
        self._tricks_lock = threading.Lock()

    def fail(self, n: int = 1, status: int = 500) -> None:
        self._queue(n, Trick("fail", status=status))

    def throttle(self, n: int = 1) -> None:
        """Answer as the receiver does when sent more than it allows."""
        self._queue(n, Trick("throttle"))

    def hang(self, n: int = 1, seconds: float = 5.0) -> None:
        """Hold each request this long (longer than the client waits), then answer as usual:
        the receiver took the message though the client never heard so."""
        self._queue(n, Trick("hang", seconds=seconds))

    def refuse(self, n: int = 1) -> None:
        """Refuse for good, as the receiver does a request it will never take."""
        self._queue(n, Trick("refuse"))

    def _queue(self, n: int, trick: Trick) -> None:
        with self._tricks_lock:
            self._tricks.extend([trick] * n)

    def _next_trick(self) -> Trick | None:
        with self._tricks_lock:
            return self._tricks.popleft() if self._tricks else None
