"""Hill-climbing on a plan by the moves of the classic GAP local searches, evaluated for every
project and park at once in numpy: a project moves to a park with room (or, if optional, in from
unplaced); or it takes the place of a project there, which moves on to a park with room, to the
newcomer's old park, or out of the plan. Moves are ranked by gain and applied greedily, each
checked again against the plan as the earlier ones left it, until none gains.

A rounded LP plan leaves many such moves, and the neighbourhood search finds them only a few
parks at a time: climbing first hands it a better plan seconds sooner (docs/performance.md,
"Swaps before the neighbourhoods").
"""

from __future__ import annotations

import time

import numpy as np

from .pairs import EPS, Pairs

MAX_CELLS = 3_000_000  # projects × parks × resources: the dense arrays the moves are computed on
NEVER = -np.inf


class Climb:
    """The plan as each project's column (`m`, one past the last park, is "unplaced")."""

    def __init__(self, flat: Pairs, chosen: np.ndarray) -> None:
        n, m, r = len(flat.projects), len(flat.parks), flat.use.shape[1]
        self.flat, self.n, self.m = flat, n, m
        self.worth = np.full((n, m + 1), NEVER)
        self.worth[flat.project, flat.park] = flat.worth
        self.worth[~flat.required, m] = 0.0
        self.use = np.zeros((n, m + 1, r))
        self.use[flat.project, flat.park] = flat.use
        # Resource-major copies: a move's checks compare whole rows, one resource at a time.
        self.use_by_project = np.ascontiguousarray(self.use.transpose(2, 0, 1))  # (r, n, m + 1)
        self.use_by_park = np.ascontiguousarray(self.use.transpose(2, 1, 0))  # (r, m + 1, n)
        self.row = np.full((n, m + 1), -1, dtype=np.int64)
        self.row[flat.project, flat.park] = np.arange(len(flat.park))
        self.room = np.vstack([flat.room, np.full((1, r), np.inf)])
        self.at = np.full(n, m, dtype=np.int64)
        self.at[flat.project[chosen]] = flat.park[chosen]
        self.load = np.zeros_like(self.room)
        np.add.at(self.load, self.at, self.use[np.arange(n), self.at])

    def chosen(self) -> np.ndarray:
        placed = np.flatnonzero(self.at < self.m)
        return self.row[placed, self.at[placed]]

    def _moves(self) -> list[tuple[float, int, int, int]]:
        """Improving moves (gain, i, k, j): project i to column k, and if j ≥ 0, project j (at
        k now) to the column j's best place, found again when the move is applied."""
        m, everyone = self.m, np.arange(self.n)
        slack = self.room - self.load
        current = self.worth[everyone, self.at]
        fits = np.all(self.use <= slack[None] + EPS, axis=2) & (self.worth > NEVER)
        gain = np.where(fits, self.worth - current[:, None], NEVER)
        gain[everyone, self.at] = NEVER
        best = np.argmax(gain, axis=1)
        moves = [(float(gain[i, best[i]]), int(i), int(best[i]), -1)
                 for i in np.flatnonzero(gain[everyone, best] > EPS)]
        # Each placed project's best place elsewhere at the current slack (0 out of the plan).
        elsewhere = np.where(fits, self.worth, NEVER)
        elsewhere[everyone, self.at] = NEVER
        onward = elsewhere.max(axis=1)
        freed = slack[self.at] + self.use[everyone, self.at]  # room at i's park once i leaves
        placed_at = self.at < m
        for k in range(m):
            staying = np.flatnonzero(self.at == k)
            if not staying.size:
                continue
            # Rows: the projects staying at k (j); columns: every project that could enter (i).
            room = slack[k] + self.use[staying, k]
            incoming = (self.worth[:, k] > NEVER) & (self.at != k)
            cells = staying[:, None] * (m + 1) + self.at[None, :]  # each j's row, at each i's park
            enters = np.repeat(incoming[None], len(staying), axis=0)
            swapped = np.ones(enters.shape, dtype=bool)
            for r, (by_park, by_project) in enumerate(zip(self.use_by_park, self.use_by_project,
                                                          strict=True)):
                enters &= by_park[k][None] <= room[:, r, None] + EPS
                swapped &= np.take(by_project, cells) <= freed[None, :, r] + EPS
            into_old = np.where(swapped & placed_at[None], np.take(self.worth, cells), NEVER)
            after = np.maximum(onward[staying, None], into_old)
            value = np.where(enters, self.worth[None, :, k] - current[None] + after
                             - current[staying, None], NEVER)
            best_in = np.argmax(value, axis=1)
            gains = value[np.arange(len(staying)), best_in]
            moves += [(float(g), int(i), k, int(j))
                      for g, i, j in zip(gains, best_in, staying, strict=True) if g > EPS]
        moves.sort(reverse=True)
        return moves

    def _apply(self, i: int, k: int, j: int) -> bool:
        """Make the move if it still fits and gains, with j's best place found now."""
        old = self.at[i]
        if old == k or self.worth[i, k] == NEVER or (j >= 0 and self.at[j] != k):
            return False
        gain = self.worth[i, k] - self.worth[i, old]
        load = self.load.copy()
        load[old] -= self.use[i, old]
        load[k] += self.use[i, k]
        target = -1
        if j >= 0:
            load[k] -= self.use[j, k]
            fits = np.all(load + self.use[j] <= self.room + EPS, axis=1) & (self.worth[j] > NEVER)
            fits[k] = False
            if not fits.any():
                return False
            target = int(np.argmax(np.where(fits, self.worth[j], NEVER)))
            gain += self.worth[j, target] - self.worth[j, k]
            load[target] += self.use[j, target]
        if gain <= EPS or np.any(load[[old, k]] > self.room[[old, k]] + EPS):
            return False
        self.load, self.at[i] = load, k
        if j >= 0:
            self.at[j] = target
        return True

    def run(self, until: float) -> None:
        while time.monotonic() < until:
            applied = False
            with np.errstate(invalid="ignore"):  # -inf - -inf where a move is masked out anyway
                moves = self._moves()
            for _, i, k, j in moves:
                applied |= self._apply(i, k, j)
                if time.monotonic() >= until:
                    return
            if not applied:
                return


def climb(flat: Pairs, chosen: np.ndarray, *, until: float) -> np.ndarray | None:
    """The chosen rows after climbing until no move gains or `until`; None where the dense
    arrays would be too large."""
    if len(flat.projects) * (len(flat.parks) + 1) * flat.use.shape[1] > MAX_CELLS:
        return None
    state = Climb(flat, chosen)
    state.run(until)
    return state.chosen()
