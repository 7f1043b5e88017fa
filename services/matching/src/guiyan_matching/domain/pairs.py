"""A plan's pairs and refusals as its readers see them, read from the numbers the rules left.

A province's plan pairs 10,000 projects with 1,000 parks: about 1.5 million of the ten million
pairs are eligible. The solver's candidates are made from the numbers; a `Pairing` (its terms by
name) or a refused park's reason only for what someone reads: the offers, the runners-up they
show, an unplaced project's verdicts and reasons.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import repeat

import numpy as np
from guiyan_optimiser import Candidate

from guiyan_contracts.models import ChainRole, Park, Project

from .array_rules import Weighed
from .pairing import Pairing
from .park_facts import ROLES, ParkFacts
from .policy import Weights
from .rules import Reason, RuleContext, ineligibility, score_terms, sector_accepted


class Pairs:
    """Every eligible pair: project by project in plan order, park by park in park order."""

    def __init__(self, facts: ParkFacts, weighed: list[Weighed], weights: Weights) -> None:
        self._facts, self._weights = facts, weights
        self._weighed = {each.project.id: each for each in weighed}

    def __len__(self) -> int:
        return sum(len(each.parks) for each in self._weighed.values())

    def __iter__(self) -> Iterator[Pairing]:
        for each in self._weighed.values():
            yield from (self._pairing(each, i) for i in range(len(each.parks)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pairs) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def at(self, project_id: str, park_id: str) -> Pairing:
        each, position = self._weighed[project_id], self._facts.position[park_id]
        i = int(np.searchsorted(each.parks, position))
        if i == len(each.parks) or each.parks[i] != position:
            raise KeyError((project_id, park_id))  # not a pair the rules allow
        return self._pairing(each, i)

    def best(self, project_id: str, count: int) -> list[Pairing]:
        """The project's `count` best-scoring pairs, best first; equal scores in park order."""
        each = self._weighed.get(project_id)
        if each is None:
            return []
        ranked = np.argsort(-each.scores, kind="stable")[:count]
        return [self._pairing(each, i) for i in ranked.tolist()]

    def candidates(self, rescored: Mapping[str, Mapping[str, float]]) -> list[Candidate]:
        """The solver's candidates, in the order of the pairs, with the scores `rescored` gives
        (by project, then park) in place of the rules'; a resource use is one dict shared by the
        pairs alike in it."""
        ids = [park.id for park in self._facts.parks]
        found: list[Candidate] = []
        for each in self._weighed.values():
            parks, scores = [ids[p] for p in each.parks.tolist()], each.scores.tolist()
            if own := rescored.get(each.project.id):
                scores = [own.get(park, score) for park, score in zip(parks, scores, strict=True)]
            found += map(Candidate, repeat(each.project.id), parks, scores, each.uses)
        return found

    def filling(self, roles: frozenset[ChainRole]) -> Iterator[tuple[Project, str, ChainRole, float]]:
        """Each pair whose chain role is one of `roles`: its project, park id, role and score,
        read from the numbers (no `Pairing` made)."""
        codes = [ROLES.index(role) for role in roles]
        for each in self._weighed.values():
            for i in np.flatnonzero(np.isin(each.roles, codes)).tolist():
                yield (each.project, self._facts.parks[int(each.parks[i])].id,
                       ROLES[each.roles[i]], float(each.scores[i]))

    def _pairing(self, each: Weighed, i: int) -> Pairing:
        """The pair's terms are asked of `rules.py` again: the array path gave only their sum."""
        park, role = self._facts.parks[int(each.parks[i])], ROLES[each.roles[i]]
        return Pairing(each.project, park, role, score_terms(each.project, park, role, self._weights),
                       each.uses[i])


class Refusals(Mapping[str, list[tuple[Park, Reason]]]):
    """Per project that some park rules out, those parks and why, in park order."""

    def __init__(self, facts: ParkFacts, weighed: list[Weighed], context: RuleContext) -> None:
        self._facts, self._context = facts, context
        self._weighed = {each.project.id: each for each in weighed
                         if len(each.turned_away) or len(facts.refusing(each.project.sector))}

    def __iter__(self) -> Iterator[str]:
        return iter(self._weighed)

    def __len__(self) -> int:
        return len(self._weighed)

    def __getitem__(self, project_id: str) -> list[tuple[Park, Reason]]:
        """The parks that do not take the project's sector share one reason (the rule names the
        sector alone); each park of its sector turned away is asked for its own."""
        each = self._weighed[project_id]
        parks, refusing = self._facts.parks, self._facts.refusing(each.project.sector)
        reasons = {position: reason for position, (_, reason)
                   in zip(each.turned_away.tolist(), self.by_rules(project_id), strict=True)}
        if len(refusing):
            other_sector = sector_accepted(each.project, parks[int(refusing[0])], self._context)
            reasons |= dict.fromkeys(refusing.tolist(), other_sector)
        return [(parks[position], reasons[position]) for position in sorted(reasons)]

    def by_rules(self, project_id: str) -> Iterator[tuple[Park, Reason]]:
        """The parks of the project's sector that a later rule rules out, as they are read."""
        each = self._weighed.get(project_id)
        for position in each.turned_away.tolist() if each is not None else ():
            park = self._facts.parks[position]
            reason = ineligibility(each.project, park, self._context)
            assert reason is not None
            yield park, reason
