"""Load a city's policy file shipped with the service (`guiyan_matching/policies/<city>.toml`)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

from guiyan_contracts.taxonomy import load_taxonomy

from ..domain.policy import Policy, policy_errors


class PolicyError(ValueError):
    pass


def parse_policy(text: str, source: str) -> Policy:
    policy = Policy.model_validate(tomllib.loads(text))
    if errors := policy_errors(policy, load_taxonomy(policy.city)):
        raise PolicyError(f"{source}: " + "; ".join(errors))
    return policy


@cache
def load_policy(city: str = "heze") -> Policy:
    resource = files("guiyan_matching.policies").joinpath(f"{city}.toml")
    return parse_policy(resource.read_text("utf-8"), f"policies/{city}.toml")
