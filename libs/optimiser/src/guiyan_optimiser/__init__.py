"""The optimiser: a plain assignment instance in, a solution out. No I/O and no domain knowledge."""

from .format import (
    InstanceError,
    candidate_to_json,
    instance_from_json,
    instance_to_json,
    solution_to_json,
)
from .instance import Bonus, Candidate, Instance, ParkCapacity, Solution
from .solve import solve
from .stop import Stop

__all__ = ["Bonus", "Candidate", "Instance", "InstanceError", "ParkCapacity", "Solution", "Stop",
           "candidate_to_json", "instance_from_json", "instance_to_json", "solution_to_json",
           "solve"]
