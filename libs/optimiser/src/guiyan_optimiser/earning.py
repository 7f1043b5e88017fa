"""Bonuses as a plan on the flat view earns them, for a phase that moves a project or two at a
time: how many of the plan's pairs earn each bonus, each pair's worth as the plan stands, and a
move's exact gain. A bonus is earned once, however many of its pairs the plan uses, so a pair's
hopeful worth (every bonus it could earn) overvalues a project joining a link another fills.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .pairs import Pairs

NOWHERE = -1  # no pair: a project out of the plan, or without a candidate at a park


class Earning:
    """`value` and `as_earned` are of the plan as it was made from; `gain` and `move` follow
    the moves made since."""

    def __init__(self, flat: Pairs, chosen: np.ndarray) -> None:
        self.flat, self.bonuses = flat, flat.bonuses
        taken = np.zeros(len(flat.worth), dtype=bool)
        taken[chosen] = True
        self.held = taken[self.bonuses.pair]  # each entry's pair is in the plan
        self.earners = np.bincount(self.bonuses.bonus[self.held],
                                   minlength=len(self.bonuses.value))
        self.value = float(flat.score[chosen].sum()
                           + self.bonuses.value[self.earners > 0].sum())

    def as_earned(self) -> Pairs:
        """The flat view with each pair's worth as the plan stood when this was made: its score
        and the bonuses no other project's pair earned."""
        flat, bonuses = self.flat, self.bonuses
        if not bonuses.bonus.size:
            return flat
        earner = np.full(len(bonuses.value), NOWHERE)
        earner[bonuses.bonus[self.held]] = flat.project[bonuses.pair[self.held]]
        count = self.earners[bonuses.bonus]
        elsewhere = (count >= 2) | ((count == 1)
                                    & (earner[bonuses.bonus] != flat.project[bonuses.pair]))
        lost = np.bincount(bonuses.pair[elsewhere], weights=bonuses.value[bonuses.bonus[elsewhere]],
                           minlength=len(flat.worth))
        return replace(flat, worth=flat.worth - lost)

    def takeovers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each bonus one pair alone earns, against each other project's pair that could earn it
        too: (that pair, the earner's pair, the bonus's value). A project taking the earner's
        place keeps the bonus, which `as_earned` leaves out of its pair's worth. A bonus the
        earner could earn elsewhere too is left out: where it goes may keep the bonus already."""
        flat, bonuses = self.flat, self.bonuses
        earner = np.full(len(bonuses.value), NOWHERE)
        earner[bonuses.bonus[self.held]] = bonuses.pair[self.held]
        sole = (self.earners[bonuses.bonus] == 1) & ~self.held
        pair, bonus = bonuses.pair[sole], bonuses.bonus[sole]
        other = flat.project[pair] != flat.project[earner[bonus]]
        other &= ~np.isin(bonus, bonus[~other])
        return pair[other], earner[bonus][other], bonuses.value[bonus][other]

    def changes(self, added: list[int], removed: list[int]) -> dict[int, int]:
        """Each bonus of the pairs `added` into the plan and `removed` out of it, with how many
        more of the plan's pairs would earn it (NOWHERE among them is passed over)."""
        start, bonus = self.bonuses.start, self.bonuses.bonus
        found: dict[int, int] = {}
        for rows, step in ((added, 1), (removed, -1)):
            for r in rows:
                if r != NOWHERE:
                    for b in bonus[start[r]:start[r + 1]].tolist():
                        found[b] = found.get(b, 0) + step
        return found

    def gain(self, added: list[int], removed: list[int], changes: dict[int, int]) -> float:
        """What taking the pairs `added` into the plan and `removed` out of it gains: their
        scores, and each bonus of theirs earned or lost (`changes`, as `changes` gives them)."""
        score = self.flat.score
        found = (sum(float(score[r]) for r in added if r != NOWHERE)
                 - sum(float(score[r]) for r in removed if r != NOWHERE))
        for b, change in changes.items():
            before, after = self.earners[b] > 0, self.earners[b] + change > 0
            found += float(self.bonuses.value[b]) * (int(after) - int(before))
        return found

    def move(self, changes: dict[int, int]) -> None:
        """Count a move's `changes` (as `changes` gives them) in the earners."""
        for b, change in changes.items():
            self.earners[b] += change
