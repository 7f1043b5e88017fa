"""Keeps `make run`'s processes running, as a process supervisor would: a service, or the
nats-server `make run` started, that dies is started again after a wait that doubles with each
quick death (1 s up to a minute), and each death and restart is logged. A process that stayed up a
minute starts its count afresh. nats-server comes back on its port, with its store."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .stack import Stack

FIRST_WAIT, LONGEST_WAIT, STEADY_SECONDS = 1.0, 60.0, 60.0
NATS = "nats-server"


@dataclass
class Restarts:
    started_at: float = field(default_factory=time.monotonic)
    quick_deaths: int = 0
    restart_at: float | None = None  # monotonic; set while the process waits to be started


class Supervisor:
    def __init__(self, stack: Stack, say: Callable[..., None] = print) -> None:
        self.stack = stack
        self.say = say
        self.restarts = {name: Restarts() for name in [*stack.processes,
                                                       *([NATS] if stack.nats else [])]}

    def _process(self, name: str) -> subprocess.Popen[bytes] | None:
        return self.stack.nats if name == NATS else self.stack.processes.get(name)

    def _start(self, name: str) -> None:
        if name == NATS:
            self.stack.start_nats()
        else:
            self.stack.start_service(name)

    def check(self) -> None:
        """One look at every process: note the dead, start those whose wait is over."""
        now = time.monotonic()
        for name, restarts in self.restarts.items():
            process = self._process(name)
            if restarts.restart_at is None and process is not None and process.poll() is not None:
                quick = now - restarts.started_at < STEADY_SECONDS
                restarts.quick_deaths = restarts.quick_deaths + 1 if quick else 1
                wait = min(LONGEST_WAIT, FIRST_WAIT * 2 ** (restarts.quick_deaths - 1))
                restarts.restart_at = now + wait
                self.say(f"{name} stopped (exit {process.returncode}); starting it again in "
                         f"{wait:g} s. See {self.stack.logs / name}.log", flush=True)
            elif restarts.restart_at is not None and now >= restarts.restart_at:
                self._start(name)
                restarts.restart_at, restarts.started_at = None, now
                self.say(f"{name} started again", flush=True)

    def watch(self, every: float = 0.5) -> None:
        """Until interrupted (Ctrl-C raises KeyboardInterrupt here)."""
        while True:
            self.check()
            time.sleep(every)
