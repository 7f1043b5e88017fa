"""A plan's fingerprint: the SHA-256 of its solver instance as canonical JSON (the optimiser's
`guiyan-instance/1` document, keys sorted, no spaces). Equal solver inputs, equal fingerprint: a
plan can be traced to exactly what it saw.

A province's instance holds a million and more candidates, and `json.dumps` of the whole document
took longer than the solve. The candidates are written here instead, straight from the instance
into the hash as they go, with each park's and project's id and each shared resource use encoded
once: the same bytes (`tests/test_instance_fingerprint.py` holds them equal), in a fraction of the
time.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from typing import Any

from guiyan_optimiser import Candidate, Instance, candidate_to_json, instance_to_json

from ..domain.collector import collector_paused

CANONICAL: dict[str, Any] = {"sort_keys": True, "separators": (",", ":")}
CHUNK = 10_000  # candidates hashed per update


def fingerprint(instance: Instance) -> str:
    with collector_paused():  # a dict per candidate, none in a cycle
        return _fingerprint(instance)


def _fingerprint(instance: Instance) -> str:
    document = instance_to_json(instance, candidates=False)
    del document["candidates"]
    candidates = instance.candidates
    before = json.dumps({k: v for k, v in document.items() if k < "candidates"}, **CANONICAL)[1:-1]
    after = json.dumps({k: v for k, v in document.items() if k > "candidates"}, **CANONICAL)[1:-1]
    digest = hashlib.sha256(("{" + before + ("," if before else "") + '"candidates":[').encode())
    write = candidate_writer()
    for start in range(0, len(candidates), CHUNK):
        chunk = ",".join(map(write, candidates[start:start + CHUNK]))
        digest.update(("," + chunk if start else chunk).encode())
    digest.update(("]" + ("," if after else "") + after + "}").encode())
    return digest.hexdigest()


class JsonStrings(dict[str, str]):
    """Each id as a JSON string, written the first time it is asked for."""

    def __missing__(self, text: str) -> str:
        self[text] = json.dumps(text)
        return self[text]


class Reprs(dict[float, str]):
    """Each number as JSON writes a float, written the first time it is asked for."""

    def __missing__(self, number: float) -> str:
        self[number] = float.__repr__(number)
        return self[number]


def candidate_writer() -> Callable[[Candidate], str]:
    """One candidate as `json.dumps` would write `candidate_to_json` of it, keys sorted: park,
    project, score, use. A score json writes otherwise than `repr` is left to `json.dumps`."""
    ids, scores = JsonStrings(), Reprs()  # a province's scores take a few thousand values
    uses: dict[int, str] = {}  # by the dict's identity: candidates alike in use share one

    def write(candidate: Candidate) -> str:
        score, use = candidate.score, candidate.use
        # Zero too goes to `json.dumps`: 0.0 and -0.0 are one key to `scores` but two texts.
        if type(score) is not float or not (score and math.isfinite(score)):
            return json.dumps(candidate_to_json(candidate), **CANONICAL)
        if (written := uses.get(id(use))) is None:
            written = uses[id(use)] = json.dumps(use, **CANONICAL)
        return (f'{{"park":{ids[candidate.park]},"project":{ids[candidate.project]},'
                f'"score":{scores[score]},"use":{written}}}')

    return write
