"""Load a city's policy file: shipped with the service (`guiyan_matching/policies/<city>.toml`) or
in `$CITIES_DIR/policies/`."""

from __future__ import annotations

import tomllib
from functools import cache

from guiyan_contracts.taxonomy import city_file, load_taxonomy

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
    return parse_policy(city_file("guiyan_matching.policies", "policies", city),
                        f"policies/{city}.toml")
