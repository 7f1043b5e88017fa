"""A plan's fingerprint is the SHA-256 of its instance's canonical JSON, however it is written."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import replace

from guiyan_optimiser import Candidate, Instance, ParkCapacity, instance_to_json

from guiyan_matching.domain.planning import pairings, to_instance
from guiyan_matching.service_layer.instance_fingerprint import CHUNK, fingerprint

from .test_array_rules import generated_city
from .test_planning import POLICY, TAXONOMY


def canonical(instance: Instance) -> str:
    text = json.dumps(instance_to_json(instance), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_fingerprint_is_the_hash_of_the_canonical_document() -> None:
    inputs = generated_city(random.Random(11), park_count=30, project_count=100)
    instance = to_instance(inputs, pairings(inputs, TAXONOMY, POLICY)[0], POLICY, move_penalty=500)
    pairs = [(c.project, c.park) for c in instance.candidates]
    instance = replace(instance, previous=frozenset(pairs[:7]), forbidden=frozenset(pairs[7:9]),
                       required=frozenset({pairs[0][0]}), pinned=frozenset(pairs[9:10]))
    assert fingerprint(instance) == canonical(instance)


def test_a_fingerprint_over_many_chunks_of_candidates_is_the_same_hash() -> None:
    rng = random.Random(3)
    uses = [{"floor_m2": 200.0}, {"land_mu": 30.0, "subsidy_yuan": 126_800.5}, {"slots": 1}]
    instance = Instance(parks=[ParkCapacity(f"k{i}", {"floor_m2": 1e4}) for i in range(100)],
                        projects=[f"p{i}" for i in range(250)],
                        candidates=[Candidate(f"p{i}", f"k{j}", rng.random() * 5e4, rng.choice(uses))
                                    for i in range(250) for j in range(100)])
    assert len(instance.candidates) > 2 * CHUNK
    assert fingerprint(instance) == canonical(instance)


def test_odd_candidates_and_an_empty_instance_are_written_as_json_writes_them() -> None:
    odd = Instance(parks=[], projects=["p\u00e9"], candidates=[
        Candidate("p\u00e9", "k\"1", 3, {}), Candidate("p\u00e9", "k2", 1e-300, {"b": 2, "a": 1.5}),
        Candidate("p\u00e9", "k3", 0.0, {}), Candidate("p\u00e9", "k4", -0.0, {})])
    assert fingerprint(odd) == canonical(odd)
    empty = Instance(parks=[], projects=[], candidates=[])
    assert fingerprint(empty) == canonical(empty)
