"""The flat view of an instance that scales to millions of pairs: one row per usable pair of a
movable project, in numpy arrays, grouped by project. The LP, the Lagrangian bound and the
price-guided plans work on it in O(pairs) a step, where the dense view (`dense.py`) would need
projects × parks cells and the object phases a Python call per pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .instance import Candidate, Instance, usable

EPS = 1e-9
UNPLACED = -1


@dataclass(frozen=True)
class BonusIndex:
    """The bonuses each pair could earn: pair j's are `bonus[start[j]:start[j + 1]]`. A bonus a
    pinned pair earns already is worth 0 here: there is nothing left to earn."""
    value: np.ndarray  # (bonuses,)
    start: np.ndarray  # (P + 1,)
    bonus: np.ndarray  # each entry's bonus, the entries sorted by pair
    pair: np.ndarray  # each entry's pair

    @staticmethod
    def of(instance: Instance, find: RowFinder, count: int) -> BonusIndex:
        """The index over the `count` pairs of the flat view `find` looks up."""
        members = [(b, pair) for b, bonus in enumerate(instance.bonuses) for pair in bonus.pairs]
        rows = find([pair for _, pair in members])
        ids = np.array([b for b, _ in members], dtype=np.int64)
        value = np.array([bonus.value for bonus in instance.bonuses], dtype=np.float64)
        value[[b for b, bonus in enumerate(instance.bonuses) if bonus.pairs & instance.pinned]] = 0
        kept = rows >= 0
        order = np.argsort(rows[kept], kind="stable")
        rows, ids = rows[kept][order], ids[kept][order]
        return BonusIndex(value, np.searchsorted(rows, np.arange(count + 1)), ids, rows)

    def on_pair(self, values: np.ndarray | None = None) -> np.ndarray:
        """Each pair's bonuses, summed: what it could earn beyond its score, at most; or, given
        `values` (one for each bonus), those summed over each pair's bonuses."""
        each = self.value if values is None else values
        return np.bincount(self.pair, weights=each[self.bonus], minlength=len(self.start) - 1)


@dataclass(frozen=True)
class Pairs:
    """Pinned projects are taken out, their use taken from the room. Pairs are sorted by
    project: project i's pairs are rows `start[i]:start[i + 1]`."""
    projects: list[str]  # the movable ones
    parks: list[str]
    resources: list[str]
    project: np.ndarray  # (P,) each pair's project
    park: np.ndarray  # (P,) each pair's park
    # (P,) hopeful worth: the score, the kept move penalty, and the bonuses it could earn that no
    # pin earns already
    worth: np.ndarray
    use: np.ndarray  # (P, R) of resources its park caps; 0 where uncapped
    room: np.ndarray  # (parks, R) capacity left by pinned projects; inf where uncapped
    start: np.ndarray  # (projects + 1,)
    required: np.ndarray  # (projects,) bool
    pinned: dict[str, str]
    source: np.ndarray  # (P,) each pair's index in `usable(instance)`
    bonuses: BonusIndex
    score: np.ndarray  # (P,) the worth without the bonuses: the score and the kept move penalty

    def load(self, chosen: np.ndarray) -> np.ndarray:
        """Each park's use of each resource by the chosen pairs (indices of rows)."""
        load = np.zeros_like(self.room)
        np.add.at(load, self.park[chosen], self.use[chosen])
        return load

    def plan(self, chosen: np.ndarray) -> dict[str, str]:
        """The plan of the chosen pairs, with the pinned ones."""
        return {self.projects[i]: self.parks[k]
                for i, k in zip(self.project[chosen], self.park[chosen], strict=True)} | self.pinned

    def chosen(self, plan: dict[str, str]) -> np.ndarray:
        """The rows of `plan`'s movable projects' pairs (pairs it names that are not usable are
        left out)."""
        column = {park: k for k, park in enumerate(self.parks)}
        rows = []
        for i, project in enumerate(self.projects):
            k = column.get(plan.get(project, ""), UNPLACED)
            if k != UNPLACED:
                s, e = self.start[i], self.start[i + 1]
                found = np.flatnonzero(self.park[s:e] == k)
                if found.size:
                    rows.append(s + found[0])
        return np.array(rows, dtype=np.int64)

    def rows_by_park(self) -> list[np.ndarray]:
        """Each park's rows: the pairs a park-by-park pass looks at."""
        order = np.argsort(self.park, kind="stable")
        cuts = np.searchsorted(self.park[order], np.arange(len(self.parks) + 1))
        return [order[cuts[k]:cuts[k + 1]] for k in range(len(self.parks))]

    def reduced(self, prices: np.ndarray, worth: np.ndarray | None = None) -> np.ndarray:
        """Each pair's worth (`worth` if given, else the hopeful worth) less the price of what
        it uses, at `prices` (parks × resources)."""
        return ((self.worth if worth is None else worth)
                - np.einsum("pr,pr->p", self.use, prices[self.park]))

    def best_of_each(self, values: np.ndarray) -> np.ndarray:
        """Each project's largest value among its pairs (-inf for a project without pairs)."""
        best = np.full(len(self.projects), -np.inf)
        has = self.start[1:] > self.start[:-1]
        best[has] = np.maximum.reduceat(values, self.start[:-1][has])
        return best


def pairs(instance: Instance) -> Pairs:
    """Built a column at a time: a comprehension over a million candidates takes a tenth of a
    second, where a loop doing all the work per candidate takes seconds."""
    pinned = dict(instance.pinned)
    projects = [p for p in instance.projects if p not in pinned]
    row = {p: i for i, p in enumerate(projects)}
    parks = [park.id for park in instance.parks]
    column = {park: k for k, park in enumerate(parks)}
    resources = sorted({r for park in instance.parks for r in park.capacity})
    room = np.full((len(parks), max(1, len(resources))), np.inf)
    for park in instance.parks:
        for j, resource in enumerate(resources):
            room[column[park.id], j] = park.capacity.get(resource, np.inf)
    candidates = usable(instance)
    project_of = np.array([row.get(c.project, -1) for c in candidates], dtype=np.int64)
    park_of = np.array([column[c.park] for c in candidates], dtype=np.int64)
    use = uses(candidates, resources, room.shape[1])
    use[~np.isfinite(room[park_of])] = 0.0  # a use a park does not cap costs nothing there
    for index in np.flatnonzero(project_of < 0):  # a pinned project's pair takes its room
        if pinned.get(candidates[index].project) == candidates[index].park:
            room[park_of[index]] -= use[index]
    source = np.flatnonzero(project_of >= 0)
    source = source[np.argsort(project_of[source], kind="stable")]
    project, park = project_of[source], park_of[source]
    start = np.searchsorted(project, np.arange(len(projects) + 1))
    required = np.array([p in instance.required for p in projects], dtype=bool)
    worth = np.array([c.score for c in candidates], dtype=np.float64)[source]
    find = RowFinder(row, column, project, park)
    if instance.previous:
        kept = find(list(instance.previous))
        worth[kept[kept >= 0]] += instance.move_penalty
    bonuses = BonusIndex.of(instance, find, len(source))
    return Pairs(projects, parks, resources, project, park, worth + bonuses.on_pair(),
                 use[source], room, start, required, pinned, source, bonuses, worth)


class RowFinder:
    """The flat view's row of each (project, park) pair, -1 where it has none (a pinned
    project's, a forbidden or unknown pair): a sorted search on the code project × parks + park,
    where a dict of a province's pairs would take a second to build. An instance names each
    pair once (`instance_from_json` holds it to that)."""

    def __init__(self, row: dict[str, int], column: dict[str, int], project: np.ndarray,
                 park: np.ndarray) -> None:
        self.row, self.column = row, column
        code = project * len(column) + park
        self.order = np.argsort(code, kind="stable")
        self.codes = code[self.order]

    def __call__(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        project = np.array([self.row.get(p, -1) for p, _ in pairs], dtype=np.int64)
        park = np.array([self.column.get(k, -1) for _, k in pairs], dtype=np.int64)
        code = project * len(self.column) + park
        if not self.codes.size:
            return np.full(len(pairs), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.codes, code), len(self.codes) - 1)
        found = (project >= 0) & (park >= 0) & (self.codes[at] == code)
        return np.where(found, self.order[at], -1)


def uses(candidates: list[Candidate], resources: list[str], width: int) -> np.ndarray:
    """Each candidate's use of each resource (columns past `resources` stay 0). Candidates alike
    in use may share one dict (a province's do, some fifty pairs to a dict), and each dict is
    read once: reading every pair's took most of the flat view's time."""
    dicts = [c.use for c in candidates]
    identity = np.fromiter(map(id, dicts), dtype=np.uint64, count=len(dicts))
    _, first, which = np.unique(identity, return_index=True, return_inverse=True)
    table = np.zeros((len(first), width))
    for j, resource in enumerate(resources):
        table[:, j] = [dicts[i].get(resource, 0.0) for i in first.tolist()]
    return table[which]
