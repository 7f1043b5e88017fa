"""The optimiser's phases under one time limit: a greedy and an LP-rounded start, climbed by
swaps and ejections to a local optimum, CP-SAT on the whole instance for a share of the time
(enough to prove small instances optimal), CP-SAT on the projects where the plan and the LP
disagree, then large-neighbourhood search around the incumbent. The bound reported is the
tightest valid one. A caller's `Stop` ends the solve early with the best plan found so far.

Up to 20k pairs GLOP solves the LP exactly; above, PDLP solves it within the first 30% of the
time, and the Lagrangian at its prices is the bound (`prices.py`). Where the flat view and the
greedy start have left less than half of that share (a province at a few seconds), there is no
LP, and the trivial bound, which counts each bonus once, is the bound. Where the best start
seats too few required projects on an instance too large for the whole-model phase, CP-SAT
repairs it on each project's few best pairs (at the LP's prices, else by worth), and else looks
for any plan at all, so a plan that exists is never given up.

On an instance small enough for the tabu search, the search starts at once, beside the
whole-model CP-SAT (which keeps the other worker), and takes the place of the RINS phase: on tight
instances it settles within seconds at plans that CP-SAT reaches late or not at all. Where there is
one capped resource (the generalized assignment problem's shape), a Lagrangian relaxation runs
first, in at most a fifth of the time: its bound joins the others, and the search starts from its
best repaired plan.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial

import numpy as np

from . import lagrange
from .dense import arrays
from .exact import Exact, exact
from .greedy import greedy
from .incumbent import Incumbent
from .instance import (
    Instance,
    Solution,
    fixed_worth,
    objective,
    open_bonuses,
    usable,
)
from .lns import improve
from .lp import Relaxation, relax
from .pairs import Pairs, pairs
from .phases import beside
from .prices import lagrangian_bound, relax_at_scale
from .rins import rins
from .rounding import fill
from .stop import Stop
from .swaps import climb
from .tabu import Search

# Of the time limit at most, for the climb; it reaches its local optimum on dense-2000x200 in
# about a second, on dense-10000x1000 in about 11 s.
CLIMB_SHARE = 0.5
EXACT_SHARE = 0.3  # of the time limit, for CP-SAT on the whole instance before the search
LAGRANGE_SHARE = 0.2  # of the time limit at most, for the Lagrangian's start, beside CP-SAT
RINS_SHARE = 0.25  # of the time limit, for the projects where the plan and the LP disagree
EXACT_MAX_CANDIDATES = 20_000
LP_MAX_CANDIDATES = 20_000  # GLOP's exact vertex up to here; above, PDLP's LP is as good and faster
# Of the time limit at most, from the solve's start, for PDLP's LP on a large instance; where the
# flat view and the greedy start leave less than half of it, the LP is left out.
LP_SHARE = 0.3
FEASIBLE_SHARE = 0.5  # of the time left at most, for CP-SAT to find any plan where none is known
PRUNED_PAIRS = 8  # each project's best pairs at the LP's prices, for CP-SAT's search for a plan
REPAIR_BELOW = 0.9  # of the bound: a start worth less is repaired as well (tune seeds: the
# tight single-resource shape's roundings reach 64–87%, the city shapes' 96%)
REPAIR_LEFT = 0.5  # of the time limit, left at least after the LP, to repair a start far below it


def trivial_bound(instance: Instance, flat: Pairs) -> float:
    """Every project at its best candidate, capacities ignored (the Lagrangian at no prices),
    counting the bonuses the lower of two ways: each pair with every bonus it could earn, or
    every bonus earned once beside the scores alone. Weak, but always valid; the second is
    what bounds a province at a few seconds, where there is no time for the LP."""
    nothing = np.zeros_like(flat.room)
    once = lagrangian_bound(flat, nothing, np.zeros_like(flat.bonuses.value))
    return min(lagrangian_bound(flat, nothing), once) + fixed_worth(instance)


def roundings(flat: Pairs, relaxation: Relaxation) -> list[dict[str, str]]:
    """Plans from the LP: each project takes its pair of largest LP value that fits, ties broken
    by worth (projects the LP places wholly go first); and, where the LP gives prices, its pair
    of largest reduced worth. PDLP's values of a tight instance are spread over many pairs, and
    there its prices round far better (on a single-resource GAP of 2,000 × 200, 87% of the bound
    against 64%)."""
    if not relaxation.x.size:
        return []
    worth_share = flat.worth / max(1.0, float(np.abs(flat.worth).max(initial=0.0)))
    plans = [flat.plan(fill(flat, relaxation.x[flat.source] + 1e-3 * worth_share))]
    if relaxation.prices is not None:
        plans.append(flat.plan(fill(flat, flat.reduced(relaxation.prices))))
    return plans


def repair(instance: Instance, flat: Pairs, incumbent: Incumbent, *, hint: dict[str, str],
           prices: np.ndarray | None, deadline: float, workers: int, stop: Stop) -> None:
    """Where the best start seats too few required projects (none seats them all, or one that
    does is worth less than one that does not), or lies far below the bound, on an instance too
    large for the whole-model phase: CP-SAT from that start on each project's few best pairs at
    the LP's prices, or by worth without them (a model a few times the projects, solved well in
    seconds); then, if there is still no plan, on the whole instance until its first plan. A
    plan that exists is never given up."""
    priority = flat.reduced(prices) if prices is not None else flat.worth
    seconds = FEASIBLE_SHARE * (deadline - time.monotonic())
    found = exact(pruned(instance, flat, priority, hint), time_limit_seconds=seconds,
                  workers=workers, hint=hint, stop=stop)
    if not incumbent.offer(found.assignments) and incumbent.plan is None:
        seconds = FEASIBLE_SHARE * (deadline - time.monotonic())
        found = exact(instance, time_limit_seconds=seconds, workers=workers, hint=hint,
                      stop=stop, first=True)
        incumbent.offer(found.assignments)


def pruned(instance: Instance, flat: Pairs, priority: np.ndarray,
           hint: dict[str, str]) -> Instance:
    """The instance with each movable project's PRUNED_PAIRS pairs of highest priority, its
    pair in `hint`, and the pinned pairs."""
    order = np.lexsort((-priority, flat.project))
    rank = np.arange(len(order)) - flat.start[flat.project[order]]
    rows = set(order[rank < PRUNED_PAIRS].tolist()) | set(flat.chosen(hint).tolist())
    candidates = usable(instance)
    kept = [candidates[flat.source[j]] for j in sorted(rows)]
    kept += [c for c in candidates if (c.project, c.park) in instance.pinned]
    return replace(instance, candidates=kept, forbidden=frozenset(),
                   bonuses=open_bonuses(instance, {}, {(c.project, c.park) for c in kept}))


def solve(instance: Instance, time_limit_seconds: float = 5.0, *, workers: int = 2,
          on_improvement: Callable[[float, float], None] | None = None,
          on_bound: Callable[[float], None] | None = None, stop: Stop | None = None) -> Solution:
    """`on_improvement(seconds, objective)` hears of each better plan as it is found, and
    `on_bound(bound)` of the proven bound once the LP and the whole-model phase give it. Setting
    `stop` (from another thread) ends the solve within moments; the greedy start is always made."""
    stop = stop or Stop()
    started = time.monotonic()
    deadline = started + time_limit_seconds
    incumbent = Incumbent(instance, started, on_improvement)
    flat = pairs(instance)
    start = greedy(instance, flat)  # a hint even where it misses a required project
    incumbent.offer(start)
    exact_lp = len(instance.candidates) <= LP_MAX_CANDIDATES
    lp_left = started + LP_SHARE * time_limit_seconds - time.monotonic()
    if exact_lp:
        relaxation = relax(instance)
    elif lp_left > LP_SHARE * time_limit_seconds / 2:
        relaxation = relax_at_scale(instance, flat, threads=workers, seconds=lp_left)
    else:  # a province at a few seconds: PDLP would make a few dozen of its thousands of steps
        relaxation = Relaxation.none(0.0)
    short = incumbent.plan is None  # the start to search from seats too few required projects
    for rounded in roundings(flat, relaxation):
        if incumbent.offer(rounded):
            start, short = rounded, False
        elif incumbent.plan is None or objective(instance, rounded) > incumbent.value:
            start, short = rounded, True  # short of a required project, but the better start
    # A start far below the bound is a tight instance's rounding: repair searches there too. The
    # trivial bound counts each bonus once, where PDLP's LP credits every pair with its bonuses:
    # on a province that LP's bound is far above any plan, and a repair there gains nothing.
    trivial = trivial_bound(instance, flat)
    known = min(relaxation.bound, trivial)
    far = math.isfinite(known) and incumbent.value < REPAIR_BELOW * known
    # Where no required project is short, the repair is worth its time only with time left for
    # the climb after it (its model alone takes seconds to build at scale).
    far = far and deadline - time.monotonic() > REPAIR_LEFT * time_limit_seconds
    if (short or far) and len(instance.candidates) > EXACT_MAX_CANDIDATES:
        repair(instance, flat, incumbent, hint=start, prices=relaxation.prices,
               deadline=deadline, workers=workers, stop=stop)
    dense = arrays(instance)
    # The tabu search makes the same moves and more where it runs; a climbed incumbent there
    # only pulls it off its own trajectory (chu1997 d20100: 0.42% above best-known, not 0.28%).
    if incumbent.plan is not None and dense is None:
        climbed = climb(flat, flat.chosen(incumbent.plan), stop=stop.is_set,
                        until=min(deadline, time.monotonic() + CLIMB_SHARE * time_limit_seconds))
        if climbed is not None and incumbent.offer(flat.plan(climbed)):
            start = incumbent.plan  # the whole-model phase's hint
    lagrangians: list[lagrange.Relaxation] = []

    def begin(solved: Callable[[], bool]) -> Search | None:
        """The tabu search, from the Lagrangian's best repaired plan where it applies (passing
        over the incumbent, which scores higher but lies further from good plans, and starting
        over from the next best ones when it stalls), else from the incumbent."""
        if dense is None:
            return None
        known = incumbent.plan or start
        lagrangian = lagrange.relax(
            dense, lower=dense.value(incumbent.plan) if incumbent.plan else -math.inf,
            until=started + LAGRANGE_SHARE * time_limit_seconds,
            stop=lambda: solved() or stop.is_set())
        if lagrangian is None:
            return Search(dense, known)
        lagrangians.append(lagrangian)
        search = Search(dense, dense.plan(lagrangian.start),
                        others=[dense.plan(at) for at in lagrangian.starts[1:]])
        search.pass_over(known)
        return search

    # On a large instance CP-SAT gains nothing on the whole model in a share of the time: the
    # search gets all of it. A small one is often proven optimal here.
    if len(instance.candidates) <= EXACT_MAX_CANDIDATES:
        whole_model = partial(exact, instance, time_limit_seconds=EXACT_SHARE * time_limit_seconds,
                              workers=workers - (dense is not None and workers > 1), hint=start,
                              on_solution=incumbent.heard, stop=stop)
        whole, search = beside(whole_model, begin=begin, incumbent=incumbent)
    else:  # no CP-SAT beside it to wait for: the search starts at once
        whole, search = Exact("unknown", {}, math.inf), begin(lambda: True)
    if whole.status == "infeasible":
        return Solution("infeasible", 0.0, 0.0, {}, time.monotonic() - started)
    incumbent.offer(whole.assignments)
    # CP-SAT's bound counts only from a run that searched; an interrupted start proves nothing.
    searched = whole.status in ("optimal", "feasible")
    bounds = [trivial] + ([whole.bound] if searched else [])
    bounds.append(relaxation.bound)
    bounds += [lagrangian.bound + fixed_worth(instance) for lagrangian in lagrangians]
    bound = min(bounds)
    if on_bound is not None:
        on_bound(bound)
    if whole.status == "optimal" or incumbent.plan is None:
        status = whole.status if incumbent.plan is not None else "unknown"
        return incumbent.solution(status, bound)
    # PDLP's values are approximate: where they "disagree" with a plan is mostly noise.
    if relaxation.values and exact_lp and search is None and not stop.is_set():
        rins(instance, incumbent, relaxation.values,
             seconds=min(RINS_SHARE * time_limit_seconds, deadline - time.monotonic()),
             workers=workers, stop=stop)
    if not stop.is_set() and time.monotonic() < deadline:
        improve(instance, incumbent, deadline=deadline, workers=workers, search=search,
                stop=stop)
    proven = incumbent.value >= bound - 1e-6
    return incumbent.solution("optimal" if proven else "feasible", bound)
