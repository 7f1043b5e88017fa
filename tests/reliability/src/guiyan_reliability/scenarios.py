"""The scenarios `make reliability` runs, in this order. Another kind of fault (API fuzzing, say)
joins by adding an entry: a name, and a function of a `FaultContext` that injects its faults
while the burst runs (in a thread of its own) and returns how many it injected. It may say how
many it plans (`context.plan`) and mark each done (`context.fault_over`), so that the burst is
spread over them. A scenario that writes through the API itself adds what it was acknowledged
to `context.burst`, or the invariants count its records as phantom writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from guiyan_devstack.stack import SERVICES

from . import faults
from .faults import FaultContext

KILLS_PER_SERVICE = 20
NATS_RESTARTS = 5
POSTGRES_RESTARTS = 5


@dataclass(frozen=True)
class Scenario:
    name: str
    inject: Callable[[FaultContext], int]
    needs_postgres: bool = False  # runs on the PostgreSQL store only


def sigkill(service: str, kills: int = KILLS_PER_SERVICE) -> Scenario:
    return Scenario(f"sigkill-{service}", partial(faults.kill_service, service=service,
                                                  kills=kills))


def nats_restart(restarts: int = NATS_RESTARTS) -> Scenario:
    return Scenario("nats-restart", partial(faults.restart_nats, restarts=restarts))


def postgres_restart(restarts: int = POSTGRES_RESTARTS) -> Scenario:
    return Scenario("postgres-restart", partial(faults.restart_postgres, restarts=restarts),
                    needs_postgres=True)


POISON = Scenario("poison", faults.publish_poison)
FORGED = Scenario("forged", faults.publish_forged)

SCENARIOS: tuple[Scenario, ...] = (
    *(sigkill(service) for service in SERVICES),
    nats_restart(),
    postgres_restart(),
    POISON,
    FORGED,
)
