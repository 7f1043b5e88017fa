"""A park as matching may promise it while updates of its capacities are on their way."""

from __future__ import annotations

from collections.abc import Sequence

from guiyan_contracts.matching import CapacityLimit
from guiyan_contracts.models import Park


def within(park: Park, limits: Sequence[CapacityLimit]) -> Park:
    """No capacity above any limit of an update on its way. Registry's state is the park's or
    one of those updates' (committed, its event not yet here), so promising no more than the
    least of them never promises more than registry says. A subsidy budget of 0 means no budget
    (`rules.capacity`), so there the other one counts.

    The result may have no floor and no land at all (an update moving a park from floor to land
    is on its way): it is the registered park with tighter numbers, not a park anyone entered,
    and is never checked as one."""
    tighter: dict[str, float] = {}
    for limit in limits:
        for name, bound in limit.model_dump().items():
            current = tighter.get(name, getattr(park, name))
            no_budget = name == "annual_subsidy_budget_yuan" and 0 in (current, bound)
            tighter[name] = max(current, bound) if no_budget else min(current, bound)
    return park.model_copy(update=tighter) if tighter else park
