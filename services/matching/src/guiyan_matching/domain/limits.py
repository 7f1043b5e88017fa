"""A park as matching may promise it while an update of its capacities is on its way."""

from __future__ import annotations

from guiyan_contracts.matching import CapacityLimit
from guiyan_contracts.models import Park


def within(park: Park, limit: CapacityLimit | None) -> Park:
    """No capacity above the limit of an update on its way. A subsidy budget of 0 means no budget
    (`rules.capacity`), so there the other one counts.

    The result may have no floor and no land at all (an update moving a park from floor to land
    is on its way): it is the registered park with tighter numbers, not a park anyone entered,
    and is never checked as one."""
    if limit is None:
        return park
    tighter = {}
    for name, bound in limit.model_dump().items():
        current = getattr(park, name)
        no_budget = name == "annual_subsidy_budget_yuan" and 0 in (current, bound)
        tighter[name] = max(current, bound) if no_budget else min(current, bound)
    return park.model_copy(update=tighter)
