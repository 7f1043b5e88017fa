"""The optimiser: a plain assignment instance in, a solution out. No I/O and no domain knowledge."""

from .instance import Candidate, Instance, ParkCapacity, Solution
from .solve import solve

__all__ = ["Candidate", "Instance", "ParkCapacity", "Solution", "solve"]
