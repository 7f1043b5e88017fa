"""An instance as one sparse linear model, for HiGHS and for PDLP: one variable a usable pair,
maximise worth · x subject to each project's row (1 if required, else at most 1) and each capped
(park, resource) row (at most the capacity); a pinned pair's variable is fixed at 1. Bonuses are left out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from guiyan_optimiser import Candidate, Instance
from guiyan_optimiser.instance import usable, worth
from scipy.sparse import csc_array


@dataclass(frozen=True)
class Model:
    candidates: list[Candidate]  # the usable ones, one a column
    worth: np.ndarray
    project_of: np.ndarray  # each column's project row
    matrix: csc_array  # the project rows first, then the capacity rows
    row_lower: np.ndarray
    row_upper: np.ndarray
    lower: np.ndarray  # 1 for a pinned pair
    projects: int  # how many project rows come first
    required: np.ndarray  # of each project row
    constant: float  # what the objective adds to worth · x: −move penalty × previous pairs
    # The most the instance's bonuses (a field it may carry) can add: the model leaves them out, so
    # a bound on it holds for the instance only with this added.
    bonus_ceiling: float


def build(instance: Instance) -> Model:
    candidates = usable(instance)
    project_row = {p: i for i, p in enumerate(instance.projects)}
    capacity_row: dict[tuple[str, str], int] = {}
    capacities = []
    for park in instance.parks:
        for resource, capacity in park.capacity.items():
            capacity_row[(park.id, resource)] = len(instance.projects) + len(capacities)
            capacities.append(capacity)
    rows, columns, values = [], [], []
    for column, candidate in enumerate(candidates):
        rows.append(project_row[candidate.project])
        columns.append(column)
        values.append(1.0)
        for resource, amount in candidate.use.items():
            if (row := capacity_row.get((candidate.park, resource))) is not None:
                rows.append(row)
                columns.append(column)
                values.append(amount)
    required = np.array([p in instance.required for p in instance.projects])
    height = len(instance.projects) + len(capacities)
    return Model(
        candidates=candidates,
        worth=np.array([worth(instance, c) for c in candidates]),
        project_of=np.array([project_row[c.project] for c in candidates], dtype=np.int64),
        matrix=csc_array((values, (rows, columns)), shape=(height, len(candidates))),
        row_lower=np.concatenate([required.astype(float), np.full(len(capacities), -np.inf)]),
        row_upper=np.concatenate([np.ones(len(instance.projects)), capacities]),
        lower=np.array([(c.project, c.park) in instance.pinned for c in candidates], dtype=float),
        projects=len(instance.projects),
        required=required,
        constant=-instance.move_penalty * len(instance.previous),
        bonus_ceiling=sum(max(b.value, 0.0) for b in getattr(instance, "bonuses", ())))
