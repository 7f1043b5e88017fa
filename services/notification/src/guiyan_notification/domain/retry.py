"""When a failed delivery is tried again: exponential backoff with jitter, never sooner than the
receiver asked (nor later than the cap), and never past the last attempt allowed."""

from __future__ import annotations

import random
from dataclasses import dataclass

from guiyan_contracts.notification import AttemptOutcome

# A robot that throttles every attempt is given up on too, after this many times the limit.
THROTTLED_ALLOWANCE = 10


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_seconds: float = 5.0
    cap_seconds: float = 900.0

    def wait(self, attempts: int, retry_after: float | None = None,
             rng: random.Random | None = None) -> float:
        """Seconds before the next attempt, after `attempts` that failed. Jitter of ±50% keeps a
        city's deliveries, failed together when a receiver went down, from all coming back at
        once. A receiver's own Retry-After is kept to, up to the cap."""
        backoff = min(self.cap_seconds, self.base_seconds * 2 ** (attempts - 1))
        jittered = backoff * (rng or random).uniform(0.5, 1.5)
        return max(jittered, min(retry_after or 0.0, self.cap_seconds))

    def gives_up(self, outcome: AttemptOutcome, counted: int, made: int = 0) -> bool:
        """A permanent refusal stops at once; a transient one once `counted` failures used every
        attempt. Throttling is not counted, but the `made` attempts in all are bounded too."""
        if outcome is AttemptOutcome.permanent:
            return True
        return counted >= self.max_attempts or made >= self.max_attempts * THROTTLED_ALLOWANCE
