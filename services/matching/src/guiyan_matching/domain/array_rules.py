"""`rules.py` applied to a sector's projects and every park taking that sector at once, in arrays.

`rules.py` stays the statement of each rule and term. Here each is asked once per kind of park it
can tell apart (`park_facts.Facet`) and its answer spread over the parks, so that a province
(10,000 projects × 1,000 parks) compiles in seconds rather than minutes. The parks a rule reads
are declared below, rule by rule; `tests/test_array_rules.py` holds the outcome equal to asking
every pair (`pair_by_pair.py`) on a generated city.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from guiyan_contracts.models import Project

from .park_facts import (
    ROLES,
    Facet,
    ParkFact,
    ParkFacts,
    SectorParks,
    anything,
    certified,
    county,
    facilities,
    investment_floor,
    kind,
    listed,
    space_kinds,
    subsidy_terms,
    tax_floor,
)
from .policy import Weights
from .rules import (
    ELIGIBILITY_RULES,
    SCORE_TERMS,
    EligibilityRule,
    RuleContext,
    accepted_by_park_kind,
    hazardous_only_in_certified_chemical_parks,
    incubator_entry_window,
    meets_investment_intensity,
    meets_tax_per_mu,
    not_forbidden,
    required_facilities_present,
    resource_use,
    sector_accepted,
    space_of_the_right_kind,
)
from .support import support_tiers


@dataclass(frozen=True)
class Among:
    """The parks a project is weighed against, those taking its sector, and the parks that
    rejected it."""

    sector: SectorParks
    barred: frozenset[str]


Reader = Callable[[Project, ParkFacts, Among], Facet]


def of_park(fact: ParkFact) -> Reader:
    return lambda project, facts, among: facts.facet(project.sector, fact)


def chain_roles(project: Project, facts: ParkFacts, among: Among) -> Facet:
    return facts.roles(project)


def rejected_parks(project: Project, facts: ParkFacts, among: Among) -> Facet:
    """`not_forbidden` reads the pair: each park that rejected the project is told apart."""
    return named_parks(sorted(among.barred), project, facts, among)


def preferred_parks(project: Project, facts: ParkFacts, among: Among) -> Facet:
    """`preference_points` reads the project's own list: each park on it is told apart."""
    return named_parks(project.preferred_park_ids, project, facts, among)


def named_parks(park_ids: list[str], project: Project, facts: ParkFacts, among: Among) -> Facet:
    index = among.sector.index
    named = [index[p] for park_id in park_ids
             if (p := facts.position.get(park_id)) is not None and p in index]
    if not named:  # most projects: every park alike
        return facts.facet(project.sector, anything)
    return listed(len(index), {i: code for code, i in enumerate(dict.fromkeys(named), start=1)})


# What each rule and term reads of a park. `sector_accepted` is the index itself
# (`ParkFacts.taking`). A rule or term missing here fails the first plan loudly.
RULE_READS: dict[EligibilityRule, Reader] = {
    accepted_by_park_kind: of_park(kind),
    not_forbidden: rejected_parks,
    hazardous_only_in_certified_chemical_parks: of_park(certified),
    meets_investment_intensity: of_park(investment_floor),
    meets_tax_per_mu: of_park(tax_floor),
    incubator_entry_window: of_park(kind),
    required_facilities_present: of_park(facilities),
    space_of_the_right_kind: of_park(space_kinds),
}
TERM_READS: dict[str, Reader] = {
    "chain_role": chain_roles, "hometown": of_park(county), "jobs": of_park(anything),
    "investment_intensity": of_park(anything), "tax_per_mu": of_park(anything),
    "preference": preferred_parks,
}


@dataclass(frozen=True, eq=False)
class Weighed:
    """One project's pairs as numbers: the parks it may enter (positions in the plan's park
    list, in park order) with its chain role (a code of `ROLES`), score and resource use at each;
    and the parks of its sector that another rule turns away, whose reasons are found only when
    someone reads them. `barred`: the parks it was rejected by when weighed."""

    project: Project
    barred: frozenset[str]
    parks: np.ndarray
    roles: np.ndarray
    scores: np.ndarray
    uses: list[dict[str, float]]  # shared by the pairs whose parks are alike in what they use
    turned_away: np.ndarray


def weigh(projects: list[Project], barred: list[frozenset[str]], facts: ParkFacts,
          context: RuleContext, weights: Weights) -> list[Weighed]:
    """Projects of one sector, each with the parks that rejected it, weighed together: a row per
    project, a column per park taking the sector."""
    sector = facts.taking(projects[0].sector)
    positions, parks = sector.positions, sector.parks
    if not parks:
        return [Weighed(project, rejected, positions, np.empty(0, dtype=np.int8), np.empty(0), [],
                        positions) for project, rejected in zip(projects, barred, strict=True)]
    among = [Among(sector, rejected) for rejected in barred]
    roles = np.stack([facts.roles(project).codes for project in projects])
    refused = np.zeros((len(projects), len(parks)), dtype=bool)
    for rule in ELIGIBILITY_RULES:
        if rule is not sector_accepted:
            for alike, rows in alike_by_rows(RULE_READS[rule], projects, facts, among):
                answers = [[rule(projects[row], parks[e], context) is not None
                            for e in alike.examples] for row in rows]
                refused[rows] |= np.array(answers, dtype=bool)[:, alike.codes]
    scores = np.zeros(refused.shape)
    for name, term in SCORE_TERMS.items():  # in this order, as `Pairing.score` adds them up
        for alike, rows in alike_by_rows(TERM_READS[name], projects, facts, among):
            points = [[term(projects[row], parks[e], ROLES[roles[row, e]], weights)
                       for e in alike.examples] for row in rows]
            scores[rows] = scores[rows] + np.array(points, dtype=np.float64)[:, alike.codes]
    in_use = facts.facet(sector.code, subsidy_terms)
    weighed = []
    for row, project in enumerate(projects):
        eligible = np.flatnonzero(~refused[row])
        weighed.append(Weighed(project, barred[row], positions[eligible], roles[row, eligible],
                               scores[row, eligible],
                               uses(project, in_use, roles[row, eligible], eligible, parks, context),
                               positions[refused[row]]))
    return weighed


def uses(project: Project, in_use: Facet, roles: np.ndarray, eligible: np.ndarray, parks: list,
         context: RuleContext) -> list[dict[str, float]]:
    """Each eligible pair's resource use, asked once per kind of park alike in what it charges
    and chain role (the role sets the tier of support the subsidy is paid at), and shared."""
    known: dict[tuple[int, int], dict[str, float]] = {}
    found = []
    for code, role in zip(in_use.codes[eligible].tolist(), roles.tolist(), strict=True):
        if (code, role) not in known:
            support = support_tiers(project, ROLES[role], context.policy.support)
            known[(code, role)] = resource_use(project, parks[in_use.examples[code]], support,
                                               context.today.year)
        found.append(known[(code, role)])
    return found


def alike_by_rows(reads: Reader, projects: list[Project], facts: ParkFacts,
                  among: list[Among]) -> list[tuple[Facet, list[int]]]:
    """Each facet the projects see, with the rows of the projects that see it: most see their
    sector's, and are asked in one go."""
    rows_of: dict[int, tuple[Facet, list[int]]] = {}
    for row, project in enumerate(projects):
        alike = reads(project, facts, among[row])
        rows_of.setdefault(id(alike), (alike, []))[1].append(row)
    return list(rows_of.values())
