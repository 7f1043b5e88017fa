"""The garbage collector, held off while a plan compiles and is explained.

Compiling a province makes millions of objects (the solver's candidates, their scores) that hold
no reference cycles, so the collector's passes find nothing to free; but each full pass walks
every object alive, the candidates with them, and the passes took more time than making the
objects, and again as much as the explanations themselves afterwards (measured:
docs/performance.md, "Rules at province scale").
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection inside; one left off by someone else stays off after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
