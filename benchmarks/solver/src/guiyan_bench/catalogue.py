"""What the suites run: every instance by name, its family and its time limit.

A generated instance is `SHAPE-PROJECTSxPARKS-sSEED`, e.g. `dense-2000x200-s101`; its family is
the name without the seed. A public one is its path under ../shared/benchmarks/gap, e.g.
`yagiura2004/d801600`, in the family of its set and type (`yagiura2004/d`).

Seeds come in two sets: `tune` (1, 2) for working on the solver, `judge` (101–103) for judging
it. The suites run the judge seeds unless told `--seeds tune`, so a change tuned on the one set is
judged on instances it has not seen.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from guiyan_optimiser import Instance

from . import gap
from .generate import SHAPES, generate

SHARED_GAP = Path(__file__).resolve().parents[4].parent / "shared" / "benchmarks" / "gap"
SEEDS = {"tune": (1, 2), "judge": (101, 102, 103)}
GENERATED = re.compile(r"(?P<shape>[a-z]+)-(?P<projects>\d+)x(?P<parks>\d+)-s(?P<seed>\d+)")
# (shapes, projects, parks, seconds): every shape at 2,000 × 200, and the largest city.
SIZES = [(SHAPES, 2000, 200, 10.0), (("dense",), 10_000, 1000, 60.0)]
QUICK_SIZE = (500, 50, 5.0)
GAP_LIMITS = {"cattrysse1994/": 10.0, "chu1997/d": 30.0, "yagiura2004/": 60.0}


@dataclass(frozen=True)
class Loaded:
    instance: Instance
    offset: float | None  # GAP only: cost = offset − objective
    best_known: float | None  # GAP only, in the minimisation sense
    hidden: dict[str, str] | None  # generated only: a feasible plan


def load(name: str) -> Loaded:
    if found := GENERATED.fullmatch(name):
        made = generate(found["shape"], int(found["projects"]), int(found["parks"]),
                        int(found["seed"]))
        return Loaded(made.instance, None, None, made.hidden)
    read = gap.read(SHARED_GAP / name, gap.best_known_values(SHARED_GAP).get(name))
    return Loaded(read.instance, read.offset, read.best_known, None)


def family(name: str) -> str:
    if found := GENERATED.fullmatch(name):
        return f"{found['shape']}-{found['projects']}x{found['parks']}"
    collection, instance = name.split("/")
    return collection if collection == "cattrysse1994" else f"{collection}/{instance[0]}"


def _generated(shapes: tuple[str, ...], projects: int, parks: int, seeds: tuple[int, ...],
               seconds: float) -> list[tuple[str, float]]:
    return [(f"{shape}-{projects}x{parks}-s{seed}", seconds) for shape in shapes for seed in seeds]


def _public() -> list[tuple[str, float]]:
    """cattrysse1994 (gap1–12), chu1997 type D and yagiura2004 C, D and E, as data.csv lists them."""
    if not SHARED_GAP.exists():
        return []
    with (SHARED_GAP / "data.csv").open() as file:
        names = [row["Path"] for row in csv.DictReader(file)]
    return [(name, seconds) for name in names for prefix, seconds in GAP_LIMITS.items()
            if name.startswith(prefix)]


def suite(name: str, seeds: str) -> list[tuple[str, float]]:
    """(instance, seconds) of each instance in the suite."""
    chosen = SEEDS[seeds]
    shapes = [run for shapes, projects, parks, seconds in SIZES
              for run in _generated(shapes, projects, parks, chosen, seconds)]
    projects, parks, seconds = QUICK_SIZE
    quick = [*_generated(SHAPES, projects, parks, chosen[:1], seconds),
             ("cattrysse1994/gap1-0", 10.0), ("chu1997/d05100", 30.0)]
    return {"quick": quick, "shapes": shapes, "gap": _public(), "full": shapes + _public()}[name]
