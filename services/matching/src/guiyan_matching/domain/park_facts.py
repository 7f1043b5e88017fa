"""A plan's parks as columns, so that the rules can weigh one project against many parks at once.

Parks are indexed by the sectors they take: most pairs fail `sector_accepted`, so a project is
weighed only against its sector's parks. For every other rule, the facts about a park that the rule
reads are a `Facet` of those parks: a code per park, with one example park per code. The rule, as
`rules.py` states it, is then asked once per code rather than once per park.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np

from guiyan_contracts.models import ChainRole, Park, Project
from guiyan_contracts.taxonomy import Taxonomy

from .chains import PlacedLinks
from .rules import chain_role

ROLES = tuple(ChainRole)  # a role's code is its position here
ParkFact = Callable[[Park], Hashable]


@dataclass(frozen=True)
class Facet:
    """Which parks look alike to one rule: `codes` per park, `examples[code]` one of them (as a
    position in the same park list as `codes`)."""

    codes: np.ndarray
    examples: tuple[int, ...]


def facet(keys: Iterable[Hashable]) -> Facet:
    """Parks with equal keys share a code; codes are numbered by first appearance."""
    first: dict[Hashable, int] = {}
    codes = [first.setdefault(key, len(first)) for key in keys]
    examples = [0] * len(first)
    for position in reversed(range(len(codes))):
        examples[codes[position]] = position
    return Facet(np.array(codes, dtype=np.int32), tuple(examples))


def listed(count: int, chosen: dict[int, int]) -> Facet:
    """The parks a project names itself (its rejected or preferred parks), each alike only to
    itself; every other park is alike to the rest. `chosen`: position → code from 1."""
    codes = np.zeros(count, dtype=np.int32)
    examples = [0] * (len(chosen) + 1)
    for position, code in chosen.items():
        codes[position], examples[code] = code, position
    rest = np.flatnonzero(codes == 0)
    examples[0] = int(rest[0]) if len(rest) else 0  # unused when every park is named
    return Facet(codes, tuple(examples))


# --- the park facts each rule reads -----------------------------------------------------------

def kind(park: Park) -> Hashable:
    return park.kind


def certified(park: Park) -> Hashable:
    return park.chemical_park_certified


def investment_floor(park: Park) -> Hashable:
    return park.min_investment_yuan_per_mu


def tax_floor(park: Park) -> Hashable:
    return park.min_tax_yuan_per_mu_year


def facilities(park: Park) -> Hashable:
    return frozenset(park.facilities)


def space_kinds(park: Park) -> Hashable:
    return park.land_mu > 0, park.floor_m2 > 0


def county(park: Park) -> Hashable:
    return park.county


def anything(park: Park) -> Hashable:
    """For what a park does not change: one code for all."""
    return None


def subsidy_terms(park: Park) -> Hashable:
    """What `resource_use` reads of a park besides the project: its kind (incubator slots), its
    subsidy policy and its budget. A subsidy rule that comes to read another fact of the park
    must add it here, or parks that differ in it would share one cost."""
    return (park.kind, park.subsidy_policy.model_dump_json(), park.annual_subsidy_budget_yuan)


@dataclass(frozen=True)
class SectorParks:
    """The parks taking one sector: their positions in the plan's park list (in park order), the
    parks, and each position's index in them."""

    code: str
    positions: np.ndarray
    parks: list[Park]
    index: dict[int, int]


@dataclass
class ParkFacts:
    """The parks of one plan, with what the rules read of them, indexed by sector. Facets are
    made per sector the first time a project of that sector asks, and kept while the plan's
    parks, placements, taxonomy and policy stay as they were (see `PairingMemory`)."""

    parks: list[Park]
    placed: PlacedLinks
    taxonomy: Taxonomy
    position: dict[str, int] = field(init=False)
    _taking: dict[str, SectorParks] = field(init=False)
    _refusing: dict[str, np.ndarray] = field(default_factory=dict, init=False)
    _facets: dict[tuple[str, ParkFact], Facet] = field(default_factory=dict, init=False)
    _roles: dict[tuple[str, str, str], Facet] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.position = {park.id: index for index, park in enumerate(self.parks)}
        taking: dict[str, list[int]] = {}
        for index, park in enumerate(self.parks):
            for sector in dict.fromkeys(park.sectors):
                taking.setdefault(sector, []).append(index)
        self._taking = {sector: SectorParks(sector, np.array(found, dtype=np.int32),
                                            [self.parks[i] for i in found],
                                            {position: i for i, position in enumerate(found)})
                        for sector, found in taking.items()}

    def taking(self, sector: str) -> SectorParks:
        return self._taking.get(sector, SectorParks(sector, np.empty(0, dtype=np.int32), [], {}))

    def refusing(self, sector: str) -> np.ndarray:
        """Positions of the parks that do not take `sector`, in park order."""
        if sector not in self._refusing:
            every = np.ones(len(self.parks), dtype=bool)
            every[self.taking(sector).positions] = False
            self._refusing[sector] = np.flatnonzero(every).astype(np.int32)
        return self._refusing[sector]

    def facet(self, sector: str, fact: ParkFact) -> Facet:
        """`fact` over the parks taking `sector`; codes and examples index that list."""
        if (sector, fact) not in self._facets:
            self._facets[sector, fact] = facet(fact(park) for park in self.taking(sector).parks)
        return self._facets[sector, fact]

    def roles(self, project: Project) -> Facet:
        """The project's chain role (a code of `ROLES`) at each park taking its sector. The role
        depends on the project only through its sector, chain and link, and on a park only
        through the links it hosts on that chain, so `chain_role` is asked once per such set."""
        key = (project.sector, project.chain, project.link)
        if key not in self._roles:
            members = self.taking(project.sector).parks
            hosted = facet(self._links_on(park, project.chain) for park in members)
            role_of = [ROLES.index(chain_role(project, park, self.taxonomy,
                                              self.placed.get(park.id, frozenset())))
                       for park in (members[e] for e in hosted.examples)]
            codes = np.array(role_of, dtype=np.int8)[hosted.codes]
            self._roles[key] = Facet(codes, tuple(
                int(np.argmax(codes == code)) if (codes == code).any() else 0
                for code in range(len(ROLES))))
        return self._roles[key]

    def _links_on(self, park: Park, chain: str) -> frozenset[str]:
        registered = {h.link for h in park.hosted_links if h.chain == chain}
        return frozenset(registered | {link for c, link in self.placed.get(park.id, ()) if c == chain})
