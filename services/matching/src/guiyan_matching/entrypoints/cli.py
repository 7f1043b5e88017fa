"""`guiyan solve INSTANCE.json --time-limit S [--workers N]`: solve a guiyan-instance/1 file and
print its guiyan-solution/1. Bad input is reported item by item, never as a traceback."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from guiyan_optimiser import InstanceError, instance_from_json, solution_to_json, solve


def solve_command(arguments: argparse.Namespace) -> int:
    try:
        document = json.loads(Path(arguments.instance).read_text("utf-8"))
        instance = instance_from_json(document)
    except OSError as error:
        print(f"guiyan solve: cannot read {arguments.instance}: {error.strerror}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as error:
        print(f"guiyan solve: {arguments.instance} is not JSON: {error}", file=sys.stderr)
        return 2
    except InstanceError as error:
        print(f"guiyan solve: {arguments.instance}: {error}", file=sys.stderr)
        return 2
    solution = solve(instance, arguments.time_limit, arguments.workers)
    print(json.dumps(solution_to_json(solution), ensure_ascii=False, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="guiyan", description="Guiyan's matching optimiser")
    commands = parser.add_subparsers(dest="command", required=True)
    solve_parser = commands.add_parser("solve", help="solve a guiyan-instance/1 JSON file")
    solve_parser.add_argument("instance", help="path to the instance")
    solve_parser.add_argument("--time-limit", type=float, default=10.0, metavar="SECONDS")
    solve_parser.add_argument("--workers", type=int, default=2)
    solve_parser.set_defaults(run=solve_command)
    arguments = parser.parse_args(argv)
    return arguments.run(arguments)


if __name__ == "__main__":
    sys.exit(main())
