"""When a failed delivery is tried again: exponential backoff with jitter, never sooner than the
receiver asked, and never past the last attempt allowed."""

from __future__ import annotations

import random
from dataclasses import dataclass

from guiyan_contracts.notification import AttemptOutcome


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_seconds: float = 5.0
    cap_seconds: float = 900.0

    def wait(self, attempts: int, retry_after: float | None = None,
             rng: random.Random | None = None) -> float:
        """Seconds before attempt `attempts + 1`. Jitter of ±50% keeps a city's deliveries,
        failed together when a receiver went down, from all coming back at once."""
        backoff = min(self.cap_seconds, self.base_seconds * 2 ** (attempts - 1))
        jittered = backoff * (rng or random).uniform(0.5, 1.5)
        return max(jittered, retry_after or 0.0)

    def gives_up(self, outcome: AttemptOutcome, attempts: int) -> bool:
        """A permanent refusal stops at once; a transient one once every attempt is used."""
        return outcome is AttemptOutcome.permanent or attempts >= self.max_attempts
