"""Hill-climbing on a plan by the moves of the classic GAP local searches, evaluated in numpy on
the flat view: a project moves to a park with room (or, if optional, in from unplaced); or it
takes the place of a project there, which moves on to a park with room, to the newcomer's old
park, or out of the plan. Moves are ranked by gain and applied greedily, each checked again
against the plan as the earlier ones left it, until none gains.

Bonuses are earned once (`earning.py`): a pass ranks its moves at each pair's worth as the plan
stood when the pass began, with one correction: a project taking the place of one that alone
earns a bonus there, which the newcomer's pair could earn too, keeps it, and so does the project
pushed out that moves into the newcomer's old park, for a bonus the newcomer alone earned there
(two projects alike trading parks). A move's own gain counts its bonuses exactly, and where
bonuses are in play it also chooses where the project pushed out goes, among its few best
places. A move sharing a bonus with an earlier move of the pass waits for the next pass, whose
ranking sees that move.

A rounded LP plan leaves many such moves, and the neighbourhood search finds them only a few
parks at a time: climbing first hands it a better plan seconds sooner (docs/performance.md,
"Swaps before the neighbourhoods").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .earning import NOWHERE, Earning
from .pairs import EPS, Pairs

MAX_CELLS = 50_000_000  # projects × parks: the table from a project and a park to their pair
TABLE_CELLS = 2_000_000  # of one block of a park's replacement tables
# Of the time left as a pass begins, at most, for listing its moves; the rest is kept for making
# them, which takes a tenth as long (a province's first pass: 0.9 s, then 0.1 s).
LISTING = 0.85
TARGETS = 3  # of a pushed-out project's places, weighed by the move's exact gain
NEVER = -np.inf


@dataclass(frozen=True)
class Takeover:
    """At one park k, what a move of `_replacements` keeps of links that one project alone
    fills: the bonus's value for a pair at k (a table's column) and a project j at k (a row)."""
    pair: np.ndarray
    project: np.ndarray
    value: np.ndarray

    def add_to(self, table: np.ndarray, staying: np.ndarray, rows: np.ndarray) -> None:
        """Add to `table` (a row for each of `staying`, a column for each of `rows`, both
        ascending) what each newcomer keeps of the bonuses the project it replaces alone earns."""
        line = np.minimum(np.searchsorted(staying, self.project), len(staying) - 1)
        column = np.minimum(np.searchsorted(rows, self.pair), len(rows) - 1)
        ok = (staying[line] == self.project) & (rows[column] == self.pair)
        np.add.at(table, (line[ok], column[ok]), self.value[ok])


class Climb:
    """The plan as each project's pair (a row of the flat view) or NOWHERE."""

    def __init__(self, flat: Pairs, chosen: np.ndarray) -> None:
        # `flat` with each pair's worth as the plan stood at the start of the pass
        self.hopeful, self.flat = flat, flat
        self.n, self.m = len(flat.projects), len(flat.parks)
        assert len(flat.park) < 2**31  # MAX_CELLS keeps it so: at most one pair a cell
        self.pair = np.full((self.n, self.m), NOWHERE, dtype=np.int32)
        self.pair[flat.project, flat.park] = np.arange(len(flat.park))
        self.at_park = flat.rows_by_park()
        self.uses = np.ascontiguousarray(flat.use.T)  # resource-major: whole rows compared at once
        self.row = np.full(self.n, NOWHERE, dtype=np.int64)
        self.row[flat.project[chosen]] = chosen
        self.load = flat.load(chosen)
        self.earning = Earning(flat, chosen)
        self.settled = np.zeros(len(flat.bonuses.value), dtype=bool)  # moved on in this pass

    def chosen(self) -> np.ndarray:
        return self.row[self.row != NOWHERE]

    def value(self) -> tuple[int, float]:
        """The plan's required projects seated, and its worth with each bonus counted once."""
        chosen = self.chosen()
        seated = int(self.hopeful.required[self.hopeful.project[chosen]].sum())
        return seated, Earning(self.hopeful, chosen).value

    def _park(self) -> np.ndarray:
        """Each project's park, or m where it is unplaced."""
        return np.where(self.row != NOWHERE, self.flat.park[self.row], self.m)

    def _current(self) -> np.ndarray:
        """Each project's worth where it is: 0 unplaced, or NEVER for a required one."""
        unplaced = np.where(self.flat.required, NEVER, 0.0)
        return np.where(self.row != NOWHERE, self.flat.worth[self.row], unplaced)

    def _moves(self, until: float) -> list[tuple[float, int, int, int]]:
        """Improving moves (gain, i, k, j): project i to park k, and if j ≥ 0, project j (at k
        now) on to its best place, found again when the move is applied. A province's pass over
        its parks takes seconds: at `until` it ends with the replacements found so far."""
        flat, m = self.flat, self.m
        slack = flat.room - self.load
        park, current = self._park(), self._current()
        fits = flat.park != park[flat.project]
        for r, use in enumerate(self.uses):
            fits &= use <= slack[flat.park, r] + EPS
        gain = np.where(fits, flat.worth - current[flat.project], NEVER)
        order = np.argsort(-gain, kind="stable")
        _, first = np.unique(flat.project[order], return_index=True)
        best = order[first]
        moves = [(float(gain[p]), int(flat.project[p]), int(flat.park[p]), -1)
                 for p in best[gain[best] > EPS]]
        # Each project's best place elsewhere at the current slack, out of the plan included.
        onward = np.where(flat.required, NEVER, 0.0)
        has = flat.start[1:] > flat.start[:-1]
        onward[has] = np.maximum(onward[has], np.maximum.reduceat(
            np.where(fits, flat.worth, NEVER), flat.start[:-1][has]))
        placed = self.row != NOWHERE
        freed = np.full((self.n, flat.room.shape[1]), NEVER)
        freed[placed] = slack[park[placed]] + flat.use[self.row[placed]]  # room once i leaves
        staying_order = np.argsort(park, kind="stable")  # each park's projects, ascending
        cuts = np.searchsorted(park[staying_order], np.arange(m + 1))
        entering, into_old = self._takeovers()
        for k in range(m):
            if time.monotonic() >= until:
                break
            rows = self.at_park[k]
            at_k = staying_order[cuts[k]:cuts[k + 1]]
            # A park without caps may hold thousands: its tables are built a block at a time.
            block = max(1, TABLE_CELLS // max(1, len(rows)))
            for begin in range(0, len(at_k) if rows.size else 0, block):
                moves += self._replacements(k, at_k[begin:begin + block], rows, slack=slack,
                                            park=park, current=current, onward=onward,
                                            freed=freed, takeovers=(entering.get(k),
                                                                    into_old.get(k)))
        moves.sort(reverse=True)
        return moves

    def _replacements(self, k: int, staying: np.ndarray, rows: np.ndarray, *, slack: np.ndarray,
                      park: np.ndarray, current: np.ndarray, onward: np.ndarray,
                      freed: np.ndarray, takeovers: tuple[Takeover | None, Takeover | None],
                      ) -> list[tuple[float, int, int, int]]:
        """For each project j staying at k, the best project to take its place there (from k's
        pairs `rows`), j moving on to its best place elsewhere or into the newcomer's old park,
        each keeping the links the other alone filled where it goes (`takeovers`, as
        `_takeovers` gives them for k). Tables: a row for each j, a column for each pair at k."""
        flat, m = self.flat, self.m
        entering = flat.project[rows]
        room = slack[k] + flat.use[self.row[staying]]
        back = self.pair[staying[:, None], np.minimum(park[entering], m - 1)[None]]
        back[:, park[entering] == m] = NOWHERE
        enters = np.repeat((park[entering] != k)[None], len(staying), axis=0)
        swapped = back != NOWHERE
        for r, use in enumerate(self.uses):
            enters &= use[rows][None] <= room[:, r, None] + EPS
            swapped &= use[back] <= freed[entering, r][None] + EPS
        into_old = np.where(swapped, flat.worth[back], NEVER)
        newcomer, swapping = takeovers
        if swapping is not None:
            swapping.add_to(into_old, staying, rows)
        after = np.maximum(onward[staying, None], into_old)
        value = flat.worth[rows][None] - current[entering][None] + after - current[staying, None]
        if newcomer is not None:
            newcomer.add_to(value, staying, rows)
        # An unseated required project entering where a required j has nowhere to go: inf - inf.
        value = np.where(enters & ~np.isnan(value), value, NEVER)
        column = np.argmax(value, axis=1)
        gains = value[np.arange(len(staying)), column]
        return [(float(g), int(entering[c]), k, int(j))
                for g, c, j in zip(gains, column, staying, strict=True) if g > EPS]

    def _takeovers(self) -> tuple[dict[int, Takeover], dict[int, Takeover]]:
        """By park k, for the tables of `_replacements`, the links a project alone fills:
        kept by a newcomer taking its place at k (`entering`), or by the project j at k that
        moves into the newcomer's old park, where the newcomer alone fills a link that j's pair
        there could fill too (`into_old`)."""
        flat = self.flat
        pair, earner, value = self.earning.takeovers()
        here = flat.park[pair] == flat.park[earner]
        pair, earner, value = pair[here], earner[here], value[here]
        entering = self._by_park(flat.park[pair], pair, flat.project[earner], value)
        j = flat.project[pair]
        placed = self.row[j] != NOWHERE
        k = np.where(placed, flat.park[self.row[j]], 0)
        newcomer = self.pair[flat.project[earner], k]  # the earner's pair at j's park
        kept = placed & (newcomer != NOWHERE)
        into_old = self._by_park(k[kept], newcomer[kept], j[kept], value[kept])
        return entering, into_old

    def _by_park(self, park: np.ndarray, pair: np.ndarray, project: np.ndarray,
                 value: np.ndarray) -> dict[int, Takeover]:
        """The entries (`pair`, `project`, `value`) grouped by `park`, for the parks with any."""
        order = np.argsort(park, kind="stable")
        cuts = np.searchsorted(park[order], np.arange(self.m + 1))
        found = {}
        for k in np.flatnonzero(cuts[1:] > cuts[:-1]).tolist():
            chunk = order[cuts[k]:cuts[k + 1]]
            found[k] = Takeover(pair[chunk], project[chunk], value[chunk])
        return found

    def _targets(self, j: int, k: int, load: np.ndarray, old: int) -> list[int]:
        """Where j could go on leaving k, at `load`: its pairs that fit, the TARGETS best at
        the pass's worth, and out of the plan if j is optional. Where bonuses are in play, the
        pass's worth may rank them wrong, and the move's exact gain chooses among them; j's pair
        at the park of the newcomer's old pair `old` (NOWHERE: it was out) is among them then,
        as the ranking may have credited it with a link the newcomer alone filled there."""
        flat = self.flat
        s, e = flat.start[j], flat.start[j + 1]
        fits = np.all(load[flat.park[s:e]] + flat.use[s:e] <= flat.room[flat.park[s:e]] + EPS,
                      axis=1) & (flat.park[s:e] != k)
        worth = np.where(fits, flat.worth[s:e], NEVER)
        bonuses = bool(flat.bonuses.bonus.size)
        count = min(TARGETS if bonuses else 1, int(fits.sum()))
        best = (s + np.argsort(-worth, kind="stable")[:count]).tolist()
        back = int(self.pair[j, flat.park[old]]) if bonuses and old != NOWHERE else NOWHERE
        if back != NOWHERE and fits[back - s] and back not in best:
            best.append(back)
        return ([] if flat.required[j] else [NOWHERE]) + best  # a tie goes out

    def _apply(self, i: int, k: int, j: int) -> bool:
        """Make the move if it still fits and gains, with j's place chosen now by the move's
        exact gain; not if it shares a bonus with an earlier move of the pass."""
        flat = self.flat
        old, new = int(self.row[i]), int(self.pair[i, k])
        if new == NOWHERE or old == new or (j >= 0 and (self.row[j] == NOWHERE
                                                        or flat.park[self.row[j]] != k)):
            return False
        load = self.load.copy()
        if old != NOWHERE:
            load[flat.park[old]] -= flat.use[old]
        load[k] += flat.use[new]
        leaving, targets = NOWHERE, [NOWHERE]
        if j >= 0:
            leaving = int(self.row[j])
            load[k] -= flat.use[leaving]
            targets = self._targets(j, k, load, old)
        touched = [k] + ([int(flat.park[old])] if old != NOWHERE else [])
        if not targets or np.any(load[touched] > flat.room[touched] + EPS):
            return False
        best = None
        for target in targets:
            added, removed = [new, target], [old, leaving]
            changes = self.earning.changes(added, removed)
            bonuses = np.fromiter(changes, dtype=np.int64, count=len(changes))
            if not self.settled[bonuses].any():
                gain = self.earning.gain(added, removed, changes)
                if best is None or gain > best[0]:
                    best = gain, target, changes, bonuses
        if best is None:
            return False
        gain, target, changes, bonuses = best
        seated = old == NOWHERE and flat.required[i]  # a required project seated gains at any cost
        if not seated and gain <= EPS:
            return False
        # A bonus worth nothing (one a pin earns) holds no later move back.
        self.settled[bonuses[self.hopeful.bonuses.value[bonuses] > 0]] = True
        self.earning.move(changes)
        if target != NOWHERE:
            load[flat.park[target]] += flat.use[target]
        self.load, self.row[i] = load, new
        if j >= 0:
            self.row[j] = target
        return True

    def run(self, until: float, stop: Callable[[], bool]) -> None:
        """Passes until none gains. Each move's gain is exact, so a pass never loses but by
        rounding; one that does all the same is undone, and the climb ends there."""
        value = self.value()
        while time.monotonic() < until and not stop():
            before = self.row.copy()
            self.load = self.hopeful.load(self.chosen())  # afresh: sums and differences drift
            self.earning = Earning(self.hopeful, self.chosen())
            self.flat = self.earning.as_earned()
            self.settled[:] = False
            with np.errstate(invalid="ignore"):  # inf - inf where a move is masked out
                moves = self._moves(time.monotonic() + LISTING * (until - time.monotonic()))
            applied = False
            for _, i, k, j in moves:
                applied |= self._apply(i, k, j)
                if time.monotonic() >= until or stop():
                    break
            now = self.value()
            if now[0] < value[0] or (now[0] == value[0]
                                     and now[1] < value[1] - EPS * max(1.0, abs(value[1]))):
                self.row = before
                return
            if not applied or now <= value:
                return
            value = now


def climb(flat: Pairs, chosen: np.ndarray, *, until: float,
          stop: Callable[[], bool] = lambda: False) -> np.ndarray | None:
    """The chosen rows after climbing until no move gains, `until` or `stop()`; None where the
    table of pairs would be too large."""
    if len(flat.projects) * len(flat.parks) > MAX_CELLS:
        return None
    if not len(flat.park):
        return chosen  # nothing can move
    state = Climb(flat, chosen)
    state.run(until, stop)
    return state.chosen()
