"""The `guiyan` command:
- `guiyan solve INSTANCE.json --time-limit S [--workers N]` solves a guiyan-instance/1 file;
- `guiyan compile SCENARIO.json` turns a guiyan-scenario/1 city into that instance;
- `guiyan plan SCENARIO.json --time-limit S` compiles, solves and explains, as the service would.
Bad input is reported item by item (exit code 2), never as a traceback."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from guiyan_optimiser import (
    InstanceError,
    instance_from_json,
    instance_to_json,
    solution_to_json,
    solve,
)
from pydantic import ValidationError

from guiyan_contracts.taxonomy import UnknownCity, load_taxonomy

from ..adapters.policies import load_policy
from ..domain.pairs import Pairs, Refusals
from ..domain.planning import PlanInputs, decide, pairings, to_instance
from ..domain.policy import Policy
from ..domain.scenario import Scenario, plan_inputs, scenario_errors


class InputError(Exception):
    pass


def read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path} is not JSON: {error}") from None


def read_scenario(path: str) -> Scenario:
    try:
        scenario = Scenario.model_validate(read_json(path))
    except ValidationError as error:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
        raise InputError(f"{path}: " + "; ".join(problems)) from None
    if errors := scenario_errors(scenario):
        raise InputError(f"{path}: " + "; ".join(errors))
    return scenario


def compiled(scenario: Scenario) -> tuple[PlanInputs, Pairs, Refusals, Policy]:
    try:
        taxonomy, policy = load_taxonomy(scenario.city), load_policy(scenario.city)
    except UnknownCity:
        raise InputError(f"no taxonomy or policy for city {scenario.city!r}") from None
    inputs = plan_inputs(scenario)
    return inputs, *pairings(inputs, taxonomy, policy), policy


def print_json(document: Any) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2))


def solve_command(arguments: argparse.Namespace) -> None:
    try:
        instance = instance_from_json(read_json(arguments.instance))
    except InstanceError as error:
        raise InputError(f"{arguments.instance}: {error}") from None
    print_json(solution_to_json(solve(instance, arguments.time_limit, workers=arguments.workers)))


def compile_command(arguments: argparse.Namespace) -> None:
    inputs, eligible, _, policy = compiled(read_scenario(arguments.scenario))
    print_json(instance_to_json(to_instance(inputs, eligible, policy)))


def plan_command(arguments: argparse.Namespace) -> None:
    scenario = read_scenario(arguments.scenario)
    inputs, eligible, excluded, policy = compiled(scenario)
    solution = solve(to_instance(inputs, eligible, policy), arguments.time_limit,
                     workers=arguments.workers)
    offers, unplaced = decide(inputs, eligible, excluded, solution, policy, load_taxonomy(scenario.city))
    print_json({
        "solution": solution_to_json(solution),
        "offers": [{"project": o.pairing.project.id, "park": o.pairing.park.id,
                    "score": o.pairing.score, "explanation_zh": o.explanation_zh,
                    "explanation_en": o.explanation_en,
                    "explanation": o.explanation.model_dump(mode="json")} for o in offers],
        "unplaced": [{"project": u.project.id, "reason_zh": u.reason_zh, "reason_en": u.reason_en,
                      "reasons": [v.model_dump(mode="json") for v in u.verdicts]}
                     for u in unplaced],
    })


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="guiyan", description="Guiyan's matching optimiser")
    commands = parser.add_subparsers(dest="command", required=True)
    solve_parser = commands.add_parser("solve", help="solve a guiyan-instance/1 JSON file")
    solve_parser.add_argument("instance", help="path to the instance")
    compile_parser = commands.add_parser("compile", help="turn a guiyan-scenario/1 city into an instance")
    compile_parser.add_argument("scenario", help="path to the scenario")
    plan_parser = commands.add_parser("plan", help="compile, solve and explain a scenario")
    plan_parser.add_argument("scenario", help="path to the scenario")
    for solving in (solve_parser, plan_parser):
        solving.add_argument("--time-limit", type=float, default=10.0, metavar="SECONDS")
        solving.add_argument("--workers", type=int, default=2)
    solve_parser.set_defaults(run=solve_command)
    compile_parser.set_defaults(run=compile_command)
    plan_parser.set_defaults(run=plan_command)
    arguments = parser.parse_args(argv)
    try:
        arguments.run(arguments)
    except InputError as error:
        print(f"guiyan {arguments.command}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
